import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ApiTransport, EventMessage, ResponseMessage } from '../../graph-schemas';
import { ApiError, createApiClient, eventMessage } from '../../graph-schemas';
import { createHostHandlers } from './handlers';
import type { WebServer } from './web-server';
import { startWebServer } from './web-server';

const root = mkdtempSync(join(tmpdir(), 'sagan-web-'));
const staticDir = join(root, 'renderer');
const docs = join(root, 'docs');
const INDEX = '<!doctype html><script type="module" src="/assets/app.js"></script>';
mkdirSync(join(staticDir, 'assets'), { recursive: true });
mkdirSync(docs);
writeFileSync(join(staticDir, 'index.html'), INDEX);
writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(staticDir, 'assets', 'tfjs-backend-wasm.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]));
writeFileSync(join(staticDir, 'assets', 'style.css'), 'body{}');
writeFileSync(join(root, 'secret.txt'), 'TOP SECRET');
symlinkSync(join(root, 'secret.txt'), join(staticDir, 'assets', 'escape.txt'));

let server: WebServer;
let hostHeader: string;

beforeAll(async () => {
  const handlers = createHostHandlers({
    kind: 'web',
    appVersion: '9.9.9',
    stateDir: join(root, 'state'),
    documentsDir: docs,
  });
  server = await startWebServer({ staticDir, handlers });
  hostHeader = `127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

/** A raw HTTP request (fetch would normalise "..", and may not set Host), on loopback only. */
function get(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method, headers: { host: hostHeader, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const withToken = (path: string) => `${path}${path.includes('?') ? '&' : '?'}token=${server.token}`;
const cookie = () => ({ cookie: `sagan_studio_token_${server.port}=${server.token}` });

/** Opens a WebSocket to the API; resolves with the socket, or with the HTTP status the server refused it with. */
function connect(
  path: string,
  options: { headers?: Record<string, string>; origin?: string } = {},
): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, {
      headers: options.headers,
      origin: options.origin,
    });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

async function open(
  path = withToken('/api'),
  options: { headers?: Record<string, string>; origin?: string } = {},
): Promise<WebSocket> {
  const ws = await connect(path, options);
  if (typeof ws === 'number') throw new Error(`refused with ${ws}`);
  return ws;
}

/** The browser client's job, done here with the ws package: one request out, the matching response back. */
function socketTransport(ws: WebSocket): ApiTransport {
  const pending = new Map<number, (m: ResponseMessage) => void>();
  const listeners = new Set<(m: EventMessage) => void>();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    if ('event' in msg) listeners.forEach((l) => l(msg));
    else pending.get(msg.id)?.(msg);
  });
  return {
    request: (m) => new Promise((resolve) => (pending.set(m.id, resolve), ws.send(JSON.stringify(m)))),
    onEvent: (l) => (listeners.add(l), () => listeners.delete(l)),
  };
}

function nextMessage(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
}

describe('the page and its assets', () => {
  it('serves index.html for / with the token, a strict CSP, no-store and the token cookie', async () => {
    const res = await get(withToken('/'));
    expect(res.status).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const csp = res.headers['content-security-policy']!;
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port} ws://localhost:${server.port}`);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers['set-cookie']).toEqual([
      `sagan_studio_token_${server.port}=${server.token}; Path=/; HttpOnly; SameSite=Strict`,
    ]);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets with their content types once the cookie is set', async () => {
    const js = await get('/assets/app.js', cookie());
    expect([js.status, js.headers['content-type'], js.body]).toEqual([
      200,
      'text/javascript; charset=utf-8',
      'console.log(1)',
    ]);
    expect(js.headers['content-security-policy']).toBeUndefined();
    const wasm = await get('/assets/tfjs-backend-wasm.wasm', cookie());
    expect([wasm.status, wasm.headers['content-type'], wasm.headers['content-length']]).toEqual([
      200,
      'application/wasm',
      '4',
    ]);
    expect((await get('/assets/style.css', cookie())).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/index.html', { authorization: `token ${server.token}` })).status).toBe(200);
  });

  it('answers HEAD without a body, refuses other methods, and 404s what is not there', async () => {
    const head = await get('/assets/app.js', cookie(), 'HEAD');
    expect([head.status, head.body, head.headers['content-length']]).toEqual([200, '', '14']);
    const post = await get('/', cookie(), 'POST');
    expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD']);
    expect((await get('/missing.js', cookie())).status).toBe(404);
    expect((await get('/assets', cookie())).status).toBe(404);
    expect((await get('/assets/', cookie())).status).toBe(404);
    expect((await get('/api', cookie())).status).toBe(426);
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/assets/escape.txt',
    '/index.html%00.js',
    '/%E0%A4%A',
    '//etc/passwd',
  ])('does not leave the renderer folder: %s', async (path) => {
    const res = await get(path, cookie());
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('TOP SECRET');
    expect(res.body).not.toContain('root:');
  });
});

describe('who may ask', () => {
  it('refuses requests without the token, or with a wrong one (401)', async () => {
    for (const res of [
      await get('/'),
      await get('/assets/app.js'),
      await get('/?token=0123456789abcdef'),
      await get('/', { cookie: `sagan_studio_token_${server.port}=nope` }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatch(/open the address with \?token=/);
    }
  });

  it('refuses a Host header that is not this server on loopback (403, DNS rebinding)', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${server.port}`,
      `127.0.0.1:${server.port + 1}`,
      '127.0.0.1',
      `0.0.0.0:${server.port}`,
    ]) {
      const res = await get(withToken('/'), { host });
      expect(res.status, host).toBe(403);
    }
    expect((await get(withToken('/'), { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('refuses a foreign Origin (403) and accepts its own', async () => {
    for (const origin of [
      'http://evil.example',
      `http://127.0.0.1:${server.port + 1}`,
      'null',
      `https://127.0.0.1:${server.port}`,
    ]) {
      expect((await get(withToken('/'), { origin })).status, origin).toBe(403);
    }
    expect((await get(withToken('/'), { origin: `http://localhost:${server.port}` })).status).toBe(200);
    expect((await get(withToken('/'), { origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
  });

  it('refuses WebSocket upgrades without the token (401), from a foreign origin or host (403), or elsewhere than /api (404)', async () => {
    expect(await connect('/api')).toBe(401);
    expect(await connect('/api?token=wrong')).toBe(401);
    expect(await connect(withToken('/api'), { origin: 'http://evil.example' })).toBe(403);
    expect(await connect(withToken('/api'), { headers: { host: `evil.example:${server.port}` } })).toBe(403);
    expect(await connect(withToken('/socket'))).toBe(404);
    expect(server.clientCount()).toBe(0);
  });
});

describe('the API over the WebSocket', () => {
  it('answers typed calls: presets, a file written and read back, errors with their codes', async () => {
    const ws = await open(withToken('/api'), { origin: `http://127.0.0.1:${server.port}` });
    const api = createApiClient(socketTransport(ws));
    expect((await api.host.info()).appVersion).toBe('9.9.9');
    expect((await api.presets.list()).map((p) => p.name)).toContain('sagan-32');
    const written = await api.files.write({ path: 'round-trip.sagan.json', text: '{"x":"ü"}' });
    expect(readFileSync(join(docs, 'round-trip.sagan.json'), 'utf8')).toBe('{"x":"ü"}');
    expect(await api.files.read({ path: 'round-trip.sagan.json' })).toEqual({
      path: join(docs, 'round-trip.sagan.json'),
      text: '{"x":"ü"}',
      mtimeMs: written.mtimeMs,
    });
    const error = await api.files.read({ path: 'missing.json' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'not-found', message: `${join(docs, 'missing.json')} does not exist.` });
    ws.close();
  });

  it('connects with the cookie alone, as the page does after the first load', async () => {
    const ws = await open('/api', { headers: cookie(), origin: `http://localhost:${server.port}` });
    const api = createApiClient(socketTransport(ws));
    expect(await api.recovery.load()).toBeNull();
    ws.close();
  });

  it('answers malformed messages with bad-request instead of dropping the connection', async () => {
    const ws = await open();
    ws.send('{not json');
    expect(await nextMessage(ws)).toEqual({
      id: -1,
      error: { code: 'bad-request', message: 'Malformed request: not JSON.' },
    });
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await nextMessage(ws)).toMatchObject({ id: -1, error: { code: 'bad-request' } });
    ws.send(JSON.stringify({ id: 7, method: 'shell.exec', params: {} }));
    expect(await nextMessage(ws)).toEqual({
      id: 7,
      error: { code: 'bad-request', message: 'Unknown method "shell.exec".' },
    });
    ws.close();
  });

  it('broadcasts events to every connected page', async () => {
    const [a, b] = [await open(), await open()];
    expect(server.clientCount()).toBe(2);
    const received = Promise.all([nextMessage(a), nextMessage(b)]);
    server.broadcast(eventMessage('host.notice', { level: 'info', message: 'training started' }));
    expect(await received).toEqual([
      { event: 'host.notice', payload: { level: 'info', message: 'training started' } },
      { event: 'host.notice', payload: { level: 'info', message: 'training started' } },
    ]);
    a.close();
    b.close();
  });
});

describe('starting and stopping', () => {
  it('closes pages with code 1001 and stops listening', async () => {
    const other = await startWebServer({
      staticDir,
      handlers: createHostHandlers({ kind: 'web', appVersion: '1', stateDir: join(root, 's2'), documentsDir: docs }),
    });
    expect(other.url).toBe(`http://127.0.0.1:${other.port}/?token=${other.token}`);
    expect(other.token).toMatch(/^[0-9a-f]{64}$/);
    expect(other.token).not.toBe(server.token);
    const ws = new WebSocket(`ws://127.0.0.1:${other.port}/api?token=${other.token}`);
    await new Promise((r) => ws.once('open', r));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    await other.close();
    expect(await closed).toBe(1001);
    await expect(fetch(`http://127.0.0.1:${other.port}/`)).rejects.toThrow();
  });

  it('names the port when it is taken, and refuses to listen beyond loopback', async () => {
    const handlers = createHostHandlers({
      kind: 'web',
      appVersion: '1',
      stateDir: join(root, 's3'),
      documentsDir: docs,
    });
    await expect(startWebServer({ staticDir, handlers, port: server.port })).rejects.toThrow(
      `Cannot listen on 127.0.0.1:${server.port}: the port is already in use.`,
    );
    await expect(startWebServer({ staticDir, handlers, host: '0.0.0.0' })).rejects.toThrow(
      /only listens on this machine/,
    );
  });
});
