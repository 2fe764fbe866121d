// The official openai SDK against the real `portico --headless`: a plain call, a streamed call,
// and errors, exactly as a user's script would make them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startPortico, TOKEN } from './portico.mjs';

let portico;
let client;

before(async () => {
  portico = await startPortico();
  client = new OpenAI({ apiKey: TOKEN, baseURL: portico.baseURL, maxRetries: 0, timeout: 20000 });
});

after(async () => {
  const { code, signal } = await portico.stop();
  assert.equal(code, 0, `portico should exit cleanly on SIGTERM (signal ${signal})\n${portico.log()}`);
});

test('plain chat completion from the built-in diagnostic agent', async () => {
  const completion = await client.chat.completions.create({
    model: 'agent:main',
    messages: [{ role: 'user', content: 'ping from the sdk' }],
  });
  assert.equal(completion.object, 'chat.completion');
  const text = completion.choices[0].message.content;
  assert.match(text, /Portico/);
  assert.match(text, /ping from the sdk/);
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.ok(completion.usage.total_tokens > 0);
});

test('streamed chat completion', async () => {
  const stream = await client.chat.completions.create({
    model: 'agent:main',
    messages: [{ role: 'user', content: 'stream please' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let chunks = 0;
  let finish = null;
  let usage = null;
  for await (const chunk of stream) {
    chunks += 1;
    assert.equal(chunk.object, 'chat.completion.chunk');
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    text += choice.delta?.content ?? '';
    if (choice.finish_reason) finish = choice.finish_reason;
  }
  assert.ok(chunks > 5, `expected many chunks, got ${chunks}`);
  assert.match(text, /stream please/);
  assert.equal(finish, 'stop');
  assert.ok(usage && usage.completion_tokens > 0);
});

test('unknown agent is a 404 NotFoundError', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'agent:ghost', messages: [{ role: 'user', content: 'x' }] }),
    (err) => err instanceof OpenAI.NotFoundError && err.status === 404 && err.code === 'model_not_found',
  );
});

test('wrong token is a 401 AuthenticationError', async () => {
  const bad = new OpenAI({ apiKey: 'pt_wrong', baseURL: portico.baseURL, maxRetries: 0 });
  await assert.rejects(
    bad.chat.completions.create({ model: 'agent:main', messages: [{ role: 'user', content: 'x' }] }),
    (err) => err instanceof OpenAI.AuthenticationError && err.status === 401,
  );
});

test('invalid parameter is a 400 naming the field', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'agent:main', temperature: 9, messages: [{ role: 'user', content: 'x' }] }),
    (err) => err instanceof OpenAI.BadRequestError && err.param === 'temperature',
  );
});

test('models list', async () => {
  const ids = [];
  for await (const model of client.models.list()) ids.push(model.id);
  assert.ok(ids.includes('agent:main'), ids.join(','));
});
