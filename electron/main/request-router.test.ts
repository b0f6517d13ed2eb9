import { describe, expect, it } from 'vitest';
import type { RequestMessage, ResponseMessage } from '../../graph-schemas';
import type { DesktopHandlers } from './desktop-handlers';
import { createRequestRouter, isAppUrl, isTrustedSender } from './request-router';

const desktop: DesktopHandlers = {
  'dialogs.openFile': () => ({ path: '/from/main' }),
  'dialogs.saveFile': () => ({ path: null }),
  'dialogs.chooseFolder': () => ({ path: null }),
  'shell.showItem': () => ({}),
  'app.documentState': () => ({}),
};

function recordingEngine(answer: (m: RequestMessage) => ResponseMessage) {
  const seen: RequestMessage[] = [];
  return { seen, request: async (m: RequestMessage) => (seen.push(m), answer(m)) };
}

describe('request router', () => {
  it('runs desktop methods in main and forwards the rest to the engine with validated params, answering with the page id', async () => {
    const engine = recordingEngine((m) => ({
      id: m.id,
      result: [{ name: 'sagan-32', title: 'SAGAN-32', summary: 's', group: 'g' }],
    }));
    const route = createRequestRouter(desktop, engine);
    expect(await route({ id: 7, method: 'dialogs.openFile', params: {} })).toEqual({
      id: 7,
      result: { path: '/from/main' },
    });
    expect(engine.seen).toEqual([]);
    expect(await route({ id: 8, method: 'presets.list', params: {} })).toEqual({
      id: 8,
      result: [{ name: 'sagan-32', title: 'SAGAN-32', summary: 's', group: 'g' }],
    });
    // Defaults are applied before forwarding (files.write's overwrite defaults to true).
    engine.seen.length = 0;
    await route({ id: 9, method: 'files.write', params: { path: '/a.sagan.json', text: '{}' } });
    expect(engine.seen[0]).toMatchObject({
      method: 'files.write',
      params: { path: '/a.sagan.json', text: '{}', overwrite: true },
    });
  });

  it('never forwards a malformed request, an unknown method or bad params', async () => {
    const engine = recordingEngine((m) => ({ id: m.id, result: {} }));
    const route = createRequestRouter(desktop, engine);
    expect(await route({ id: 1, method: 'fs.rm', params: { path: '/' } })).toMatchObject({
      id: 1,
      error: { code: 'bad-request', message: 'Unknown method "fs.rm".' },
    });
    expect(await route({ id: 2, method: 'files.read', params: { path: 42 } })).toMatchObject({
      id: 2,
      error: { code: 'bad-request' },
    });
    expect(await route({ id: 3, method: 'files.read', params: { path: '/x' }, extra: 'smuggled' })).toMatchObject({
      error: { code: 'bad-request', message: 'Malformed request.' },
    });
    expect(await route('hello')).toMatchObject({ error: { code: 'bad-request' } });
    expect(engine.seen).toEqual([]);
  });

  it("passes the engine's errors on with their code, and checks the engine's results against the contract", async () => {
    const failing = createRequestRouter(
      desktop,
      recordingEngine((m) => ({ id: m.id, error: { code: 'not-found', message: 'No such run.' } })),
    );
    expect(await failing({ id: 4, method: 'runs.get', params: { runId: 'r1' } })).toEqual({
      id: 4,
      error: { code: 'not-found', message: 'No such run.' },
    });
    const lying = createRequestRouter(
      desktop,
      recordingEngine((m) => ({ id: m.id, result: { not: 'a listing' } })),
    );
    expect(await lying({ id: 5, method: 'files.list', params: { path: '/' } })).toMatchObject({
      id: 5,
      error: { code: 'internal' },
    });
  });
});

describe('who may call', () => {
  it("only the app's own top-level page", () => {
    expect(isAppUrl('sagan://app/index.html?open=%2Fx.sagan.json')).toBe(true);
    expect(isAppUrl('sagan://evil/index.html')).toBe(false);
    expect(isAppUrl('https://app/index.html')).toBe(false);
    expect(isAppUrl('file:///work/main/dist/renderer/index.html')).toBe(false);
    expect(isAppUrl('sagan://user@app/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
    expect(isTrustedSender({ url: 'sagan://app/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'sagan://app/index.html', parent: {} })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});
