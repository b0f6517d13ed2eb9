import { readFile } from 'node:fs/promises';
import { contentTypeOf, resolveStaticFile } from '../host/static-files';
import { APP_HOST, APP_SCHEME } from './request-router';

/**
 * The built renderer is served to the window from a privileged custom scheme (sagan://app/…) instead of
 * file://, so the page has an origin of its own, gets real response headers (the Content-Security-Policy
 * below) and cannot read arbitrary files. Nothing is ever loaded from the network.
 */

/** Our own scripts, styles and workers only; no network at all (the API goes over IPC, not HTTP). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // React and React Flow position nodes with style attributes; no stylesheet can run code.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "child-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-cache',
};

/** The scheme's privileges (protocol.registerSchemesAsPrivileged): a standard, secure origin for module scripts and workers. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

/** Answers one request of the page for a file of the built renderer in `rendererDir`. */
export async function serveRendererRequest(
  rendererDir: string,
  request: { url: string; method: string },
): Promise<Response> {
  const url = new URL(request.url);
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return textResponse(404, `Not found: ${request.url}`);
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return textResponse(405, `${request.method} is not allowed here.`);
  const file = await resolveStaticFile(rendererDir, url.pathname);
  if (!file) return textResponse(404, `Not found: ${url.pathname}`);
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch (e) {
    return textResponse(500, `Cannot read ${file}: ${(e as Error).message}`);
  }
  const headers: Record<string, string> = { ...securityHeaders, 'Content-Type': contentTypeOf(file) };
  if (file.endsWith('.html')) headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}

function textResponse(status: number, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}
