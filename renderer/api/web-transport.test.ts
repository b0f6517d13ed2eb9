import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient } from '../../graph-schemas';
import type { SocketLike } from './web-transport';
import { apiSocketUrl, WebSocketTransport } from './web-transport';

class StandInSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: ((ev: Event) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({} as CloseEvent);
  }
  deliver(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) } as MessageEvent);
  }
}

function setup() {
  const sockets: StandInSocket[] = [];
  const transport = new WebSocketTransport({
    url: 'ws://127.0.0.1:1/api',
    createSocket: () => {
      const s = new StandInSocket();
      sockets.push(s);
      return s;
    },
    requestTimeoutMs: 1000,
    slowRequestTimeoutMs: 60_000,
    reconnectDelaysMs: [10],
  });
  return { transport, sockets, api: createApiClient(transport) };
}

afterEach(() => vi.useRealTimers());

describe('WebSocketTransport', () => {
  it('queues requests until the socket opens, then matches answers by id', async () => {
    const { sockets, api } = setup();
    const pending = api.files.recent();
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.sent).toEqual([]);
    sockets[0]!.open();
    const sent = JSON.parse(sockets[0]!.sent[0]!) as { id: number; method: string };
    expect(sent.method).toBe('files.recent');
    sockets[0]!.deliver({
      id: sent.id,
      result: [{ path: '/a.sagan.json', name: 'a.sagan.json', openedAt: '2026-01-01T00:00:00Z' }],
    });
    await expect(pending).resolves.toEqual([
      { path: '/a.sagan.json', name: 'a.sagan.json', openedAt: '2026-01-01T00:00:00Z' },
    ]);
  });

  it('turns host errors into ApiError with their code and message', async () => {
    const { sockets, api } = setup();
    const pending = api.files.read({ path: 'missing.sagan.json' });
    sockets[0]!.open();
    const { id } = JSON.parse(sockets[0]!.sent[0]!) as { id: number };
    sockets[0]!.deliver({ id, error: { code: 'not-found', message: 'missing.sagan.json does not exist.' } });
    await expect(pending).rejects.toEqual(new ApiError('not-found', 'missing.sagan.json does not exist.'));
  });

  it('fails pending requests when the connection drops, then reconnects', async () => {
    vi.useFakeTimers();
    const { transport, sockets, api } = setup();
    const statuses: string[] = [];
    transport.onStatus((s) => statuses.push(s));
    const pending = api.host.info();
    sockets[0]!.open();
    sockets[0]!.drop();
    await expect(pending).rejects.toMatchObject({ code: 'unavailable' });
    vi.advanceTimersByTime(20);
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    expect(statuses).toEqual(['open', 'reconnecting', 'open']);
  });

  it('times out a request the host never answers', async () => {
    vi.useFakeTimers();
    const { sockets, api } = setup();
    const pending = api.presets.list();
    sockets[0]!.open();
    vi.advanceTimersByTime(1500);
    await expect(pending).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/did not answer presets.list/),
    });
  });

  it('waits longer for the engine’s slow requests (a measured iteration) than for the rest', async () => {
    vi.useFakeTimers();
    const { sockets, api } = setup();
    const estimate = api.training.estimate({ doc: {}, docPath: null, data: { kind: 'mnist' } });
    const failed = vi.fn();
    estimate.catch(failed);
    sockets[0]!.open();
    vi.advanceTimersByTime(30_000);
    await Promise.resolve();
    expect(failed).not.toHaveBeenCalled();
    vi.advanceTimersByTime(30_001);
    await expect(estimate).rejects.toMatchObject({
      message: expect.stringMatching(/did not answer training.estimate/),
    });
  });

  it('delivers valid events and ignores malformed messages', () => {
    const { sockets, api } = setup();
    const notices: unknown[] = [];
    api.on('host.notice', (n) => notices.push(n));
    sockets[0]!.open();
    sockets[0]!.onmessage?.({ data: 'not json' } as MessageEvent);
    sockets[0]!.deliver({ event: 'host.notice', payload: { level: 'info', message: 'hello' } });
    sockets[0]!.deliver({ event: 'host.notice', payload: { level: 'loud' } });
    expect(notices).toEqual([{ level: 'info', message: 'hello' }]);
  });

  it('derives the socket address from the page address', () => {
    expect(apiSocketUrl({ protocol: 'http:', host: '127.0.0.1:8123' })).toBe('ws://127.0.0.1:8123/api');
    expect(apiSocketUrl({ protocol: 'https:', host: 'example.test' })).toBe('wss://example.test/api');
  });
});
