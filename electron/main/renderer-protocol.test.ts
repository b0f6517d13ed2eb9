import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, serveRendererRequest } from './renderer-protocol';

let dir: string;
let root: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sagan-protocol-'));
  root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>SAGAN Studio</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1);');
  writeFileSync(join(dir, 'secret.txt'), 'not for the page');
  symlinkSync(join(dir, 'secret.txt'), join(root, 'assets', 'link.txt'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => serveRendererRequest(root, { url, method });

describe('the app scheme', () => {
  it('serves index.html (also for "/") with the strict Content-Security-Policy and no network sources', async () => {
    for (const url of ['sagan://app/index.html', 'sagan://app/', 'sagan://app/index.html?open=%2Fa.sagan.json']) {
      const res = await get(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await res.text()).toContain('<title>SAGAN Studio</title>');
    }
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|ws:|'unsafe-eval'|\*/);
  });

  it('serves assets with their type and nosniff', async () => {
    const res = await get('sagan://app/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('console.log(1);');
    const head = await get('sagan://app/assets/app.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('nothing outside the renderer folder, no other host, no writes', async () => {
    expect((await get('sagan://app/../secret.txt')).status).toBe(404);
    expect((await get('sagan://app/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get('sagan://app/assets/link.txt')).status).toBe(404);
    expect((await get('sagan://app/missing.js')).status).toBe(404);
    expect((await get('sagan://other/index.html')).status).toBe(404);
    expect((await get('sagan://app/index.html', 'POST')).status).toBe(405);
  });
});
