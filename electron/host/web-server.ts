import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { resolve } from 'node:path';
import type { RawData, WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { ApiHandlers, EventMessage, ResponseMessage } from '../../graph-schemas';
import { dispatchRequest } from '../../graph-schemas';
import { resolveStaticFile, sendFile } from './static-files';
import type { Refusal } from './web-security';
import { AccessPolicy, newToken, tokenCookie } from './web-security';

export interface WebServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback only: 127.0.0.1 (default), localhost or ::1. Reach a remote machine through an SSH tunnel. */
  host?: string;
  /** The built renderer (index.html and its assets). */
  staticDir: string;
  handlers: ApiHandlers;
  /** Defaults to 32 random bytes as hex. */
  token?: string;
}

export interface WebServer {
  /** The address to open, with the token: http://127.0.0.1:PORT/?token=… */
  url: string;
  port: number;
  token: string;
  /** Sends an event (made with eventMessage) to every connected page. */
  broadcast(message: EventMessage): void;
  /** How many pages are connected to the API now. */
  clientCount(): number;
  close(): Promise<void>;
}

/** The path of the API's WebSocket. */
export const API_PATH = '/api';
/** A request is one JSON message; files.write may carry up to 64 MiB of text, plus escaping. */
const MAX_MESSAGE_BYTES = 96 * 1024 * 1024;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Serves the built renderer and the typed API (JSON messages over a WebSocket at /api) on loopback,
 * behind a random token, the way Jupyter does, so the editor runs in a browser against this machine.
 */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host))
    throw new Error(
      `The web server only listens on this machine (127.0.0.1, localhost or ::1), not on ${host}; use an SSH tunnel to reach it from elsewhere.`,
    );
  const token = opts.token ?? newToken();
  if (token.length < 16 || !/^[\x21-\x7e]+$/.test(token))
    throw new Error('The token must be at least 16 printable characters without spaces.');
  const staticDir = resolve(opts.staticDir);
  const server = createServer();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const port = await listen(server, opts.port ?? 0, host);
  const policy = new AccessPolicy(port, token, host);
  const csp = contentSecurityPolicy(policy.socketSources);

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void servePage(req, res).catch(() => {
      if (!res.headersSent) respond(res, 500, 'The server could not read this file.');
      else res.destroy();
    });
  });

  async function servePage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req);
    const refusal = policy.check(req, url);
    if (refusal) return respond(res, refusal.status, refusal.message);
    if (url.pathname === API_PATH)
      return respond(res, 426, 'The API speaks WebSocket: connect with new WebSocket(ws://…/api).');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return respond(res, 405, `${req.method} is not allowed here.`, { Allow: 'GET, HEAD' });
    const file = await resolveStaticFile(staticDir, url.pathname);
    if (!file) return respond(res, 404, `Not found: ${url.pathname}`);
    const isHtml = file.endsWith('.html');
    await sendFile(res, file, req.method, {
      ...securityHeaders,
      'Cache-Control': isHtml ? 'no-store' : 'no-cache',
      ...(isHtml ? { 'Content-Security-Policy': csp } : {}),
      ...(policy.tokenInQuery(url) ? { 'Set-Cookie': tokenCookie(port, token) } : {}),
    });
  }

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = requestUrl(req);
    if (url.pathname !== API_PATH) return refuseUpgrade(socket, { status: 404, message: `Not found: ${url.pathname}` });
    const refusal = policy.check(req, url);
    if (refusal) return refuseUpgrade(socket, refusal);
    sockets.handleUpgrade(req, socket, head, (ws) => serveApi(ws, opts.handlers));
  });

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/?token=${token}`,
    port,
    token,
    broadcast(message) {
      const text = JSON.stringify(message);
      for (const ws of sockets.clients) if (ws.readyState === ws.OPEN) ws.send(text);
    },
    clientCount: () => sockets.clients.size,
    close: () => closeAll(server, sockets),
  };
}

/** One connected page: every text message is a request, answered (in any order) with its id. */
function serveApi(ws: WebSocket, handlers: ApiHandlers): void {
  ws.on('error', () => ws.terminate());
  ws.on('message', (data: RawData, isBinary: boolean) => {
    void answer(data, isBinary).then((response) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(response));
    });
  });
  async function answer(data: RawData, isBinary: boolean): Promise<ResponseMessage> {
    if (isBinary)
      return { id: -1, error: { code: 'bad-request', message: 'Malformed request: send JSON text, not binary.' } };
    let raw: unknown;
    try {
      raw = JSON.parse(rawText(data));
    } catch {
      return { id: -1, error: { code: 'bad-request', message: 'Malformed request: not JSON.' } };
    }
    return dispatchRequest(handlers, raw);
  }
}

const securityHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  // Cross-origin isolation lets a browser engine use wasm threads (SharedArrayBuffer) later; everything is same-origin anyway.
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Scripts only from our own files (and wasm compilation for tfjs); the API only over our own WebSocket. */
export function contentSecurityPolicy(socketSources: string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    // React and React Flow position nodes with style attributes; no stylesheet can run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${socketSources.join(' ')}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'http://127.0.0.1');
  } catch {
    return new URL('http://127.0.0.1/');
  }
}

function respond(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...securityHeaders,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(`${message}\n`);
}

function refuseUpgrade(socket: Socket, refusal: Refusal | { status: 404; message: string }): void {
  const body = `${refusal.message}\n`;
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      const where = `${host}:${port}`;
      if (e.code === 'EADDRINUSE')
        reject(
          new Error(
            `Cannot listen on ${where}: the port is already in use. Choose another with --port, or leave it out for a free one.`,
          ),
        );
      else if (e.code === 'EACCES')
        reject(
          new Error(
            `Cannot listen on ${where}: permission denied (ports below 1024 need administrator rights). Choose a port above 1024.`,
          ),
        );
      else reject(new Error(`Cannot listen on ${where}: ${e.message}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

/** Says goodbye to every page (close code 1001), gives them a moment, then drops whatever is left. */
async function closeAll(server: ReturnType<typeof createServer>, sockets: WebSocketServer): Promise<void> {
  for (const ws of sockets.clients) ws.close(1001, 'SAGAN Studio is shutting down');
  const deadline = Date.now() + 1000;
  while (sockets.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  for (const ws of sockets.clients) ws.terminate();
  await new Promise<void>((r) => sockets.close(() => r()));
  await new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
}
