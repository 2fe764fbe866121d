// The official openai SDK reassembles tool calls that Portico translated from an Anthropic
// stream: a fake Anthropic upstream (node:http on 127.0.0.1) replays the recorded-shape fixture
// tests/fixtures/anthropic/tools.sse in small pieces.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { startPortico, TOKEN } from './portico.mjs';

const fixtures = fileURLToPath(new URL('../fixtures/anthropic/', import.meta.url));
const toolsSse = readFileSync(fixtures + 'tools.sse');
const toolsJson = readFileSync(fixtures + 'tools.json');

let upstream;
let seen = [];
let portico;
let client;

before(async () => {
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', async () => {
      seen.push({ url: req.url, headers: req.headers, body: JSON.parse(body) });
      if (!JSON.parse(body).stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(toolsJson);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < toolsSse.length; i += 37) {
        res.write(toolsSse.subarray(i, i + 37));
        await new Promise((r) => setImmediate(r));
      }
      res.end();
    });
  });
  await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  portico = await startPortico({
    providers: {
      claude: { type: 'anthropic', baseUrl: `http://127.0.0.1:${upstream.address().port}`,
                apiKeyEnv: 'E2E_ANTHROPIC_KEY', models: ['claude-sonnet-4-5'] },
    },
  }, { E2E_ANTHROPIC_KEY: 'sk-ant-e2e-key' });
  client = new OpenAI({ apiKey: TOKEN, baseURL: portico.baseURL, maxRetries: 0 });
});

after(async () => {
  await portico.stop();
  upstream.close();
});

const request = {
  model: 'claude-sonnet-4-5',
  messages: [{ role: 'user', content: 'Weather in Paris and Tokyo?' }],
  tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
};

test('streamed tool calls reassemble in the openai SDK', async () => {
  seen = [];
  const stream = client.chat.completions.stream({ ...request, stream: true });
  const completion = await stream.finalChatCompletion();
  const message = completion.choices[0].message;
  assert.equal(completion.choices[0].finish_reason, 'tool_calls');
  assert.match(message.content, /both cities/);
  // Three parallel calls, each with its own index, id, name and complete arguments.
  assert.equal(message.tool_calls.length, 3);
  assert.deepEqual(message.tool_calls.map((c) => c.id), ['toolu_01Paris', 'toolu_02Tokyo', 'toolu_03Time']);
  assert.deepEqual(message.tool_calls.map((c) => c.function.name), ['get_weather', 'get_weather', 'get_time']);
  assert.deepEqual(message.tool_calls.slice(0, 2).map((c) => JSON.parse(c.function.arguments).city), ['Paris', 'Tokyo']);
  assert.equal(typeof JSON.parse(message.tool_calls[2].function.arguments), 'object');
  // What went up: the Messages API with the key and version, tools translated.
  assert.equal(seen.length, 1);
  assert.equal(seen[0].url, '/v1/messages');
  assert.equal(seen[0].headers['x-api-key'], 'sk-ant-e2e-key');
  assert.ok(seen[0].headers['anthropic-version']);
  assert.equal(seen[0].headers.authorization, undefined);
  assert.equal(seen[0].body.tools[0].name, 'get_weather');
});

test('non-streamed tool calls', async () => {
  const completion = await client.chat.completions.create(request);
  const message = completion.choices[0].message;
  assert.equal(completion.choices[0].finish_reason, 'tool_calls');
  assert.equal(message.tool_calls.length, 3);
  assert.deepEqual(message.tool_calls.slice(0, 2).map((c) => JSON.parse(c.function.arguments).city), ['Paris', 'Tokyo']);
});
