import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { encodePng } from '../../electron/engine/node/png';
import { tinyMnistDoc } from '../../electron/engine/node/run/test-fixtures';

// A real `sagan-studio serve` probed the way a curious page holding its token could: every file operation must stay
// in --dir and the --data-dir folders, whatever the path says (`..`, absolute, or a link inside the folder).
const root = realpathSync(mkdtempSync(join(tmpdir(), 'sagan-serve-folders-')));
const docs = join(root, 'docs');
const data = join(root, 'data');
const outside = join(root, 'outside');
const secret = join(outside, 'secret.txt');
const renderer = join(root, 'renderer');
for (const d of [docs, data, outside, renderer, join(docs, 'sub'), join(docs, 'runs')])
  mkdirSync(d, { recursive: true });
writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>SAGAN Studio</title>');
writeFileSync(secret, 'TOP SECRET');
writeFileSync(join(docs, 'sub', 'mine.txt'), 'mine');
symlinkSync(secret, join(docs, 'secret-link.txt'));
symlinkSync(outside, join(docs, 'outside-link'));
symlinkSync(join(outside, 'created.txt'), join(docs, 'dangling-link.txt'));
symlinkSync(join(docs, 'sub'), join(docs, 'sub-link'));
symlinkSync(outside, join(docs, 'runs', 'linked-run'));
/** A dataset outside every folder the host was given. */
const otherData = join(outside, 'digits');
/** A dataset in --data-dir whose every image is damaged: the worker starts and the run is refused. */
const brokenData = join(data, 'broken');
for (let label = 0; label < 10; label++) {
  mkdirSync(join(otherData, String(label)), { recursive: true });
  mkdirSync(join(data, 'digits', String(label)), { recursive: true });
  mkdirSync(join(brokenData, String(label)), { recursive: true });
  const rgba = new Uint8ClampedArray(32 * 32 * 4).fill(label * 20);
  for (const dir of [otherData, join(data, 'digits')])
    writeFileSync(join(dir, String(label), '0.png'), encodePng({ width: 32, height: 32, rgba }));
  writeFileSync(join(brokenData, String(label), '0.png'), 'damaged');
}

type Reply = { result?: unknown; error?: { code: string; message: string } };

let child: ChildProcessWithoutNullStreams;
let output = '';
let socket: WebSocket;
let nextId = 0;
const pending = new Map<number, (r: Reply) => void>();
/** Events pushed to the page, as JSON text. */
const events: string[] = [];

/** One API call; `params` as a value, or as JSON text (a document too deep for JSON.stringify). */
function call(method: string, params: unknown, paramsJson = JSON.stringify(params)): Promise<Reply> {
  const id = ++nextId;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    socket.send(`{"id":${id},"method":${JSON.stringify(method)},"params":${paramsJson}}`);
  });
}

beforeAll(async () => {
  const bin = fileURLToPath(new URL('../../bin/sagan-studio.js', import.meta.url));
  child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--dir', docs, '--data-dir', data], {
    env: { ...process.env, SAGAN_RENDERER_DIR: renderer, SAGAN_STATE_DIR: join(root, 'state') },
  });
  child.stdin.end();
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address printed in 30 s: ${output}`)), 30_000);
    const read = (d: Buffer) => {
      output += String(d);
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve(new URL(match[1]!));
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
  socket = new WebSocket(`ws://127.0.0.1:${url.port}/api?token=${url.searchParams.get('token')}`);
  await new Promise((r, j) => (socket.once('open', r), socket.once('error', j)));
  socket.on('message', (d) => {
    const m = JSON.parse(String(d)) as Reply & { id?: number };
    if (m.id !== undefined) pending.get(m.id)?.(m);
    else events.push(String(d));
  });
}, 40_000);

afterAll(() => {
  socket?.close();
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

/** The reply is a refusal that names the path and the folders the host may use, and leaks nothing of the target. */
function expectRefused(reply: Reply, path: string) {
  expect(reply.result, JSON.stringify(reply.result)?.slice(0, 200)).toBeUndefined();
  expect(reply.error?.code).toBe('permission');
  expect(reply.error?.message).toContain(path);
  expect(reply.error?.message).toContain(`may only use the folders ${docs}, ${data}`);
  expect(reply.error?.message).not.toMatch(/TOP SECRET|root:/);
}

describe('the web host keeps to its folders', () => {
  it('says at start, and tells the page, which folders it may use', async () => {
    expect(output).toContain(`Documents folder: ${docs}\nDataset folders: ${data}\n`);
    expect((await call('host.info', {})).result).toMatchObject({ documentsDir: docs, folders: [docs, data] });
  });

  it('reads nothing outside: ../, an absolute path, a link to a file or a folder outside', async () => {
    const upToPasswd = relative(docs, '/etc/passwd');
    for (const path of [upToPasswd, '/etc/passwd', '../outside/secret.txt', secret]) {
      expectRefused(await call('files.read', { path }), path.startsWith('/') ? path : join(docs, path));
    }
    const viaLink = await call('files.read', { path: 'secret-link.txt' });
    expectRefused(viaLink, join(docs, 'secret-link.txt'));
    expect(viaLink.error?.message).toContain(`(it leads to ${secret})`);
    expectRefused(await call('files.read', { path: 'outside-link/secret.txt' }), join(docs, 'outside-link/secret.txt'));
    expectRefused(await call('files.addRecent', { path: secret }), secret);
    // Inside, links and all, it reads as before.
    expect((await call('files.read', { path: 'sub-link/mine.txt' })).result).toMatchObject({ text: 'mine' });
  });

  it('lists nothing outside, shows no links that lead out, and offers no way up from its folder', async () => {
    for (const path of ['/etc', '..', 'outside-link', otherData]) {
      expectRefused(await call('files.list', { path }), path.startsWith('/') ? path : join(docs, path));
    }
    const listing = (await call('files.list', { path: '.' })).result as {
      parent: unknown;
      entries: { name: string }[];
    };
    expect(listing.parent).toBeNull();
    expect(listing.entries.map((e) => e.name)).toEqual(['runs', 'sub', 'sub-link']);
    const sub = (await call('files.list', { path: 'sub' })).result as { parent: unknown };
    expect(sub.parent).toBe(docs);
  });

  it('writes nothing outside: relative, absolute, through a link to a file, a folder, or a missing file', async () => {
    const attempts: [string, string][] = [
      ['../outside/new.txt', join(outside, 'new.txt')],
      [join(outside, 'new2.txt'), join(outside, 'new2.txt')],
      ['outside-link/new3.txt', join(outside, 'new3.txt')],
      ['dangling-link.txt', join(outside, 'created.txt')],
      [secret, secret],
      ['secret-link.txt', secret],
      ['/etc/passwd', '/etc/passwd'],
    ];
    for (const [path, target] of attempts) {
      const reply = await call('files.write', { path, text: 'pwned', overwrite: true });
      expectRefused(reply, path.startsWith('/') ? path : join(docs, path));
      if (target !== secret && target !== '/etc/passwd') expect(existsSync(target)).toBe(false);
    }
    expect(readFileSync(secret, 'utf8')).toBe('TOP SECRET');
    // Inside it saves as before, also through a link that stays inside.
    expect(
      (await call('files.write', { path: 'sub-link/saved.txt', text: 'ok', overwrite: false })).error,
    ).toBeUndefined();
    expect(readFileSync(join(docs, 'sub', 'saved.txt'), 'utf8')).toBe('ok');
  });

  it('exports no run outside, and opens no run folder that is a link elsewhere', async () => {
    for (const outDir of ['../outside/export', join(outside, 'export2'), 'outside-link/export3']) {
      expectRefused(
        await call('runs.export', { runId: 'some-run', outDir }),
        outDir.startsWith('/') ? outDir : join(docs, outDir),
      );
    }
    for (const name of ['export', 'export2', 'export3']) expect(existsSync(join(outside, name))).toBe(false);
    expectRefused(await call('runs.get', { runId: 'linked-run' }), join(docs, 'runs', 'linked-run'));
    expectRefused(await call('runs.delete', { runId: 'linked-run' }), join(docs, 'runs', 'linked-run'));
    expect(existsSync(outside)).toBe(true);
  });

  it('browses and trains on datasets in --data-dir only', async () => {
    const doc = tinyMnistDoc();
    expectRefused(await call('training.checkData', { doc, data: { kind: 'folder', path: otherData } }), otherData);
    const start = { doc, docPath: null, data: { kind: 'folder', path: otherData }, backend: 'wasm' };
    expectRefused(await call('training.start', start), otherData);
    expect((await call('files.list', { path: data })).result).toMatchObject({ parent: null, path: data });
    const check = await call('training.checkData', { doc, data: { kind: 'folder', path: join(data, 'digits') } });
    expect(check.result).toMatchObject({ images: 10, classes: 10 });
  }, 60_000);
});

describe('stopping', () => {
  it('exits on Ctrl-C after a graph that is too deep and a run whose worker fails to start', async () => {
    const deep = `${'{"inner":'.repeat(100_000)}{}${'}'.repeat(100_000)}`;
    const tooDeep = await call('training.start', null, `{"doc":${deep},"docPath":null,"data":{"kind":"mnist"}}`);
    expect(tooDeep.error?.code).toBe('bad-request');
    const doc = tinyMnistDoc();
    const broken = await call('training.start', {
      doc,
      docPath: null,
      data: { kind: 'folder', path: brokenData },
      backend: 'wasm',
    });
    expect(broken.result).toMatchObject({ status: 'running' });
    // The worker thread starts, cannot read the data, and the run ends with the loader's message.
    const started = Date.now();
    while (!events.some((e) => /None of the 10 images in .*broken could be read/.test(e))) {
      if (Date.now() - started > 40_000) throw new Error(`the run did not end in 40 s: ${events.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGINT');
    const code = await Promise.race([
      exited,
      new Promise((r) => setTimeout(() => r('still running after 15 s'), 15_000)),
    ]);
    expect(code).toBe(0);
    expect(output).toContain('SAGAN Studio stopped.');
  }, 60_000);
});
