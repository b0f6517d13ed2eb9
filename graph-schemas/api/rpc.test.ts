import { describe, expect, it } from 'vitest';
import { ApiError, apiMethods } from './contract';
import type { ApiHandlers, EventMessage } from './rpc';
import { createApiClient, dispatchRequest, eventMessage } from './rpc';

const files = new Map<string, { text: string; mtimeMs: number }>();
/** Methods these tests do not call answer as a host without them would. */
const absent = Object.fromEntries(
  Object.keys(apiMethods).map((m) => [
    m,
    () => {
      throw new ApiError('unavailable', `${m} is not offered here.`);
    },
  ]),
) as unknown as ApiHandlers;
const handlers: ApiHandlers = {
  ...absent,
  'host.info': () => ({
    kind: 'web',
    appVersion: '0.0.0',
    platform: 'linux',
    documentsDir: '/docs',
    homeDir: '/home/u',
    pathSeparator: '/',
  }),
  'presets.list': () => [{ name: 'sagan-32', title: 'SAGAN-32', summary: 's', group: 'SAGAN' }],
  'presets.get': ({ name }) => ({ name }),
  'files.list': ({ path }) => ({ path, parent: null, entries: [] }),
  'files.read': ({ path }) => {
    const f = files.get(path);
    if (!f) throw new ApiError('not-found', `No file ${path}.`);
    return { path, ...f };
  },
  'files.write': ({ path, text }) => {
    files.set(path, { text, mtimeMs: 1 });
    return { path, mtimeMs: 1 };
  },
  'files.recent': () => [],
  'files.addRecent': () => [],
  'recovery.save': () => ({ savedAt: 'now' }),
  'recovery.load': () => null,
  'recovery.clear': () => ({ cleared: true }),
};

describe('dispatchRequest', () => {
  it('refuses malformed messages, unknown methods and bad params with a reason', async () => {
    expect(await dispatchRequest(handlers, 'hello')).toEqual({
      id: -1,
      error: { code: 'bad-request', message: 'Malformed request.' },
    });
    expect(await dispatchRequest(handlers, { id: 1, method: 'shell.exec', params: {} })).toEqual({
      id: 1,
      error: { code: 'bad-request', message: 'Unknown method "shell.exec".' },
    });
    expect(await dispatchRequest(handlers, { id: 2, method: '__proto__', params: {} })).toMatchObject({
      error: { code: 'bad-request' },
    });
    const bad = await dispatchRequest(handlers, { id: 3, method: 'files.read', params: { path: 5 } });
    expect(bad).toMatchObject({
      id: 3,
      error: { code: 'bad-request', message: expect.stringMatching(/Bad parameters for files.read: path/) },
    });
    expect(
      await dispatchRequest(handlers, { id: 4, method: 'files.read', params: { path: '/x', extra: true } }),
    ).toMatchObject({ error: { code: 'bad-request' } });
  });

  it('turns handler errors into codes and messages, never throwing', async () => {
    expect(await dispatchRequest(handlers, { id: 5, method: 'files.read', params: { path: '/missing' } })).toEqual({
      id: 5,
      error: { code: 'not-found', message: 'No file /missing.' },
    });
    const broken = {
      ...handlers,
      'presets.list': () => {
        throw new Error('disk on fire');
      },
    };
    expect(await dispatchRequest(broken, { id: 6, method: 'presets.list', params: {} })).toEqual({
      id: 6,
      error: { code: 'internal', message: 'presets.list failed: disk on fire' },
    });
  });
});

describe('createApiClient', () => {
  const listeners = new Set<(m: EventMessage) => void>();
  const api = createApiClient({
    request: (m) => dispatchRequest(handlers, JSON.parse(JSON.stringify(m))),
    onEvent: (l) => (listeners.add(l), () => listeners.delete(l)),
  });

  it('offers typed namespaced calls', async () => {
    await api.files.write({ path: '/a.sagan.json', text: '{}' });
    expect(await api.files.read({ path: '/a.sagan.json' })).toEqual({ path: '/a.sagan.json', text: '{}', mtimeMs: 1 });
    expect((await api.presets.list())[0]?.name).toBe('sagan-32');
    expect(await api.recovery.load()).toBeNull();
  });

  it('raises host errors as ApiError with their code', async () => {
    await expect(api.files.read({ path: '/nope' })).rejects.toMatchObject({
      name: 'ApiError',
      code: 'not-found',
      message: 'No file /nope.',
    });
  });

  it('delivers validated events to subscribers until they unsubscribe', () => {
    const seen: string[] = [];
    const off = api.on('host.notice', (p) => seen.push(p.message));
    for (const l of listeners) l(eventMessage('host.notice', { level: 'info', message: 'hello' }));
    for (const l of listeners) l({ event: 'host.notice', payload: { level: 'nonsense' } });
    off();
    for (const l of listeners) l(eventMessage('host.notice', { level: 'info', message: 'late' }));
    expect(seen).toEqual(['hello']);
  });
});
