import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../../graph-schemas';
import type { SaganHostBridge } from './preload-transport';
import type { ConnectionStatus } from './web-transport';
import { preloadTransport } from './preload-transport';

function bridge(answer: (m: { id: number; method: string }) => unknown): SaganHostBridge & { emit(e: unknown): void } {
  const listeners = new Set<(m: never) => void>();
  return {
    request: async (m) => answer(m) as never,
    onEvent: (l) => {
      listeners.add(l as never);
      return () => listeners.delete(l as never);
    },
    emit: (e) => listeners.forEach((l) => l(e as never)),
  };
}

describe('preloadTransport', () => {
  it('passes requests through and returns checked results', async () => {
    const api = createApiClient(preloadTransport(bridge((m) => ({ id: m.id, result: { cleared: true } }))));
    await expect(api.recovery.clear()).resolves.toEqual({ cleared: true });
  });

  it('turns a malformed answer or a failing bridge into a clear error', async () => {
    await expect(
      createApiClient(preloadTransport(bridge(() => ({ nonsense: 1 })))).files.recent(),
    ).rejects.toMatchObject({ code: 'internal', message: 'The desktop host sent a malformed answer to files.recent.' });
    const failing = bridge(() => {
      throw new Error('IPC closed');
    });
    await expect(createApiClient(preloadTransport(failing)).files.recent()).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/IPC closed/),
    });
  });

  it('delivers only well-formed events', () => {
    const b = bridge(() => undefined);
    const seen: unknown[] = [];
    createApiClient(preloadTransport(b)).on('host.notice', (n) => seen.push(n));
    b.emit({ event: 'host.notice', payload: { level: 'warning', message: 'disk almost full' } });
    b.emit({ bogus: true });
    expect(seen).toEqual([{ level: 'warning', message: 'disk almost full' }]);
  });
});

describe('preloadTransport: the engine behind it', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('is "connecting" until the engine first answers; when it cannot start, the page asks again until it can', async () => {
    let engineUp = false;
    const asked: string[] = [];
    const statuses: ConnectionStatus[] = [];
    const transport = preloadTransport(
      bridge((m) => {
        asked.push(m.method);
        return engineUp
          ? { id: m.id, result: {} }
          : { id: m.id, error: { code: 'unavailable', message: 'The engine could not start: EACCES /state' } };
      }),
      (s) => statuses.push(s),
    );
    expect(statuses).toEqual(['connecting']);
    const api = createApiClient(transport);
    await expect(api.recovery.clear()).rejects.toMatchObject({ code: 'unavailable' });
    expect(statuses).toEqual(['connecting', 'reconnecting']);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(asked).toEqual(['recovery.clear', 'host.info']);
    engineUp = true;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(statuses).toEqual(['connecting', 'reconnecting', 'open']);
    // Open again: no more asking on its own.
    await vi.advanceTimersByTimeAsync(30_000);
    expect(asked).toEqual(['recovery.clear', 'host.info', 'host.info']);
  });
});
