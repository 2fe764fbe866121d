// Starts the real `portico --headless` binary on a free loopback port for a test and stops it.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TOKEN = 'pt_e2e_token_' + 'x'.repeat(20);

export async function startPortico(config = {}, env = {}) {
  const bin = process.env.PORTICO_BIN;
  if (!bin) throw new Error('PORTICO_BIN is not set (run through ctest)');
  const dir = mkdtempSync(join(tmpdir(), 'portico-e2e-'));
  const configPath = join(dir, 'portico.json');
  const full = {
    ...config,
    gateway: {
      bind: '127.0.0.1', port: 0, auth: { mode: 'token' },
      http: { endpoints: { chatCompletions: { enabled: true } } },
      ...(config.gateway ?? {}),
    },
  };
  writeFileSync(configPath, JSON.stringify(full));
  const child = spawn(bin, ['--headless', '--config', configPath], {
    env: { ...process.env, PORTICO_GATEWAY_TOKEN: TOKEN, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('portico did not start:\n' + stderr)), 15000);
    child.stderr.on('data', (data) => {
      stderr += data;
      const m = /listening on http:\/\/[^:]+:(\d+)\/v1/.exec(stderr);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`portico exited ${code}:\n${stderr}`)); });
  });
  return {
    port,
    baseURL: `http://127.0.0.1:${port}/v1`,
    log: () => stderr,
    async stop() {
      child.removeAllListeners('exit');
      const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      child.kill('SIGTERM');
      return exited;
    },
  };
}
