import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { main } from '../main';
import { captureIO } from '../test-io';
import { NOT_BUILT, serveCommand, stateDirFor } from './serve';

const root = mkdtempSync(join(tmpdir(), 'sagan-serve-'));
const renderer = join(root, 'renderer');
const docs = join(root, 'docs');
mkdirSync(renderer);
mkdirSync(docs);
writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>SAGAN Studio</title>');
const env = { SAGAN_RENDERER_DIR: renderer, SAGAN_STATE_DIR: join(root, 'state') };

/** One API call over a fresh WebSocket, as the browser page makes it. */
async function callOnce(url: string, method: string): Promise<unknown> {
  const { port, searchParams } = new URL(url);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${searchParams.get('token')}`);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const reply = new Promise((r) => ws.once('message', (d) => r(JSON.parse(String(d)))));
  ws.send(JSON.stringify({ id: 1, method, params: {} }));
  const message = await reply;
  ws.close();
  return message;
}

describe('sagan-studio serve', () => {
  it('serves the editor and the API for the documents folder until told to stop', async () => {
    const io = captureIO();
    let seen: { page: string; info: unknown } | undefined;
    const code = await serveCommand(['--dir', docs], io, {
      env,
      waitForStop: async (server) => {
        const page = await fetch(server.url).then((r) => r.text());
        seen = { page, info: await callOnce(server.url, 'host.info') };
      },
    });
    expect(code).toBe(0);
    expect(io.stdout[0]).toMatch(/^SAGAN Studio is running at http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect(io.stdout[1]).toBe(`Documents folder: ${docs}`);
    expect(io.stdout.at(-1)).toBe('SAGAN Studio stopped.');
    expect(seen?.page).toContain('<title>SAGAN Studio</title>');
    expect(seen?.info).toMatchObject({
      id: 1,
      result: { kind: 'web', documentsDir: docs, appVersion: expect.stringMatching(/^\d+\.\d+\.\d+/) },
    });
    await expect(fetch(io.stdout[0]!.split(' at ')[1]!)).rejects.toThrow();
  });

  it('says in one sentence that the editor is not built', async () => {
    const io = captureIO();
    expect(await serveCommand([], io, { env: { ...env, SAGAN_RENDERER_DIR: join(root, 'no-build') } })).toBe(1);
    expect(io.stderr).toEqual([NOT_BUILT]);
    expect(NOT_BUILT).toBe(
      'The editor is not built yet: run npm run build:renderer (or npm run serve, which builds it).',
    );
  });

  it('refuses a missing documents folder and a bad port', async () => {
    const io = captureIO();
    expect(await serveCommand(['--dir', join(root, 'nope')], io, { env })).toBe(1);
    expect(io.stderr[0]).toBe(
      `The documents folder ${join(root, 'nope')} does not exist or is not a folder; give an existing one with --dir.`,
    );
    const io2 = captureIO();
    expect(await main(['serve', '--port', '70000'], io2)).toBe(2);
    expect(io2.stderr.join('\n')).toMatch(
      /^--port must be a whole number from 0 to 65535, 0 for any free port \(got "70000"\)\.\nUsage: sagan-studio serve \[--port N\] \[--dir PATH\] \[--data-dir PATH\]\.\.\.$/,
    );
  });

  it('keeps its state in SAGAN_STATE_DIR, else the XDG state folder', () => {
    expect(stateDirFor({ SAGAN_STATE_DIR: '/tmp/s', XDG_STATE_HOME: '/x' }, '/home/u')).toBe('/tmp/s');
    expect(stateDirFor({ XDG_STATE_HOME: '/x/state' }, '/home/u')).toBe('/x/state/sagan-studio');
    expect(stateDirFor({}, '/home/u')).toBe('/home/u/.local/state/sagan-studio');
  });

  it('runs from the command line and stops cleanly on Ctrl-C', async () => {
    const bin = fileURLToPath(new URL('../../bin/sagan-studio.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--dir', docs], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no address printed in 20 s: ${out}`)), 20_000);
        child.stdout.on('data', (d: Buffer) => {
          out += String(d);
          const match = /running at (http:\/\/\S+)/.exec(out);
          if (!match) return;
          clearTimeout(timer);
          resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
      expect((await fetch(url)).status).toBe(200);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(out).toContain('SAGAN Studio stopped.');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
