import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { presets } from '../../graph-schemas';
import { createHostHandlers } from './handlers';
import { startWebServer } from './web-server';

const CHROMIUM = '/usr/bin/chromium';

/**
 * The same flow a real page goes through, in Debian's Chromium: open the printed address, load a module
 * script and a wasm file under the CSP, reach the API over the WebSocket with the cookie alone, and
 * survive a reload without the token in the address.
 */
describe.skipIf(!existsSync(CHROMIUM))('the web server in a real browser', () => {
  it('works under its CSP with the token cookie, and blocks inline scripts', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sagan-browser-'));
    const staticDir = join(root, 'renderer');
    mkdirSync(staticDir);
    writeFileSync(
      join(staticDir, 'index.html'),
      '<!doctype html><script>window.inlineRan = true</script><script type="module" src="/app.js"></script>',
    );
    writeFileSync(join(staticDir, 'empty.wasm'), Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    writeFileSync(
      join(staticDir, 'app.js'),
      `const wasm = await WebAssembly.instantiateStreaming(fetch('/empty.wasm')).then(() => 'ok', (e) => String(e));
       const ws = new WebSocket('ws://' + location.host + '/api');
       const reply = await new Promise((resolve, reject) => {
         ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'presets.list', params: {} }));
         ws.onmessage = (m) => resolve(JSON.parse(m.data));
         ws.onerror = () => reject(new Error('socket refused'));
       });
       window.result = { wasm, presets: reply.result.length, inlineRan: window.inlineRan ?? false };`,
    );
    const handlers = createHostHandlers({
      kind: 'web',
      appVersion: '1',
      stateDir: join(root, 'state'),
      documentsDir: root,
    });
    const server = await startWebServer({ staticDir, handlers });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const cspErrors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && cspErrors.push(m.text()));
      await page.goto(server.url);
      await page.waitForFunction(() => 'result' in window, undefined, { timeout: 10_000 });
      const result = await page.evaluate(() => (window as unknown as { result: unknown }).result);
      expect(result).toEqual({ wasm: 'ok', presets: presets.length, inlineRan: false });
      expect(cspErrors.join('\n')).toMatch(/Content Security Policy/);
      // A reload without the token in the address still works: the cookie carries it.
      const reloaded = await page.goto(`http://127.0.0.1:${server.port}/`);
      expect(reloaded?.status()).toBe(200);
      await page.waitForFunction(() => 'result' in window, undefined, { timeout: 10_000 });
      // A fresh browser profile without the cookie or token is refused.
      const stranger = await browser.newPage();
      expect((await stranger.goto(`http://127.0.0.1:${server.port}/`))?.status()).toBe(401);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
