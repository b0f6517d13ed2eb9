import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventMessage } from '../../graph-schemas';
import { eventMessage } from '../../graph-schemas';
import type { Host } from '../host/handlers';
import { createHostHandlers } from '../host/handlers';
import type { PagePort, ParentPortLike } from './engine-process';
import { runEngineProcess } from './engine-process';
import type { EngineConfig, FromEngine, ToEngine } from './engine-protocol';

// The bundled engine process itself (dist/engine) is started in plain Node by scripts/build-electron.test.ts.

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sagan-engine-process-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** process.parentPort of a utility process, driven by the test. */
function fakeParent() {
  let listener: ((e: { data: unknown; ports: PagePort[] }) => void) | undefined;
  const sent: FromEngine[] = [];
  const parent: ParentPortLike = {
    on: (_event, l) => (listener = l),
    postMessage: (m) => void sent.push(m as FromEngine),
  };
  const deliver = (data: ToEngine | unknown, ports: PagePort[] = []) => listener!({ data, ports });
  const next = async () => {
    for (let i = 0; i < 100 && sent.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    return sent.shift();
  };
  return { parent, deliver, next, sent };
}

function fakePage() {
  const received: unknown[] = [];
  let onClose: (() => void) | undefined;
  const port: PagePort & { closed: boolean; started: boolean } = {
    closed: false,
    started: false,
    postMessage: (m) => void received.push(m),
    start() {
      this.started = true;
    },
    close() {
      this.closed = true;
    },
    on: (_event, l) => (onClose = l),
  };
  return { port, received, closeFromPage: () => onClose?.() };
}

const config: EngineConfig = { appVersion: '9.9.9', stateDir: '/unused', documentsDir: '/unused' };

describe('engine process (in-process, fake ports)', () => {
  it('creates its host from init, answers validated requests, streams events to every connected page', async () => {
    const { parent, deliver, next } = fakeParent();
    let emit!: (m: EventMessage) => void;
    let made: EngineConfig | undefined;
    let stopped = 0;
    runEngineProcess(parent, (c, e) => {
      made = c;
      emit = e;
      const handlers = createHostHandlers({
        kind: 'desktop',
        appVersion: c.appVersion,
        stateDir: join(dir, 'state'),
        documentsDir: dir,
      });
      return { handlers, shutdown: async () => void stopped++ } satisfies Host;
    });
    deliver({ type: 'request', message: { id: 1, method: 'host.info', params: {} } });
    expect(await next()).toEqual({
      type: 'response',
      message: { id: 1, error: { code: 'unavailable', message: expect.stringContaining('still starting') } },
    });
    deliver({ type: 'init', config });
    expect(await next()).toEqual({ type: 'ready' });
    expect(made).toEqual(config);
    deliver({ type: 'request', message: { id: 2, method: 'host.info', params: {} } });
    expect(await next()).toMatchObject({
      type: 'response',
      message: { id: 2, result: { kind: 'desktop', appVersion: '9.9.9' } },
    });
    deliver({ type: 'request', message: { id: 3, method: 'files.read', params: {} } });
    expect(await next()).toMatchObject({ type: 'response', message: { id: 3, error: { code: 'bad-request' } } });

    const a = fakePage();
    const b = fakePage();
    deliver({ type: 'connect-page' }, [a.port]);
    deliver({ type: 'connect-page' }, [b.port]);
    expect(a.port.started && b.port.started).toBe(true);
    const event = eventMessage('runs.changed', { runId: 'run-1' });
    emit(event);
    b.closeFromPage();
    emit(eventMessage('runs.changed', { runId: 'run-2' }));
    expect(a.received).toEqual([event, { event: 'runs.changed', payload: { runId: 'run-2' } }]);
    expect(b.received).toEqual([event]);

    deliver({ type: 'shutdown' });
    expect(await next()).toEqual({ type: 'shutdown-done' });
    expect(stopped).toBe(1);
    expect(a.port.closed).toBe(true);
  });

  it('ignores malformed messages and reports a host that cannot start', async () => {
    const { parent, deliver, next, sent } = fakeParent();
    const logged: string[] = [];
    runEngineProcess(
      parent,
      () => {
        throw new Error('EACCES: /state');
      },
      (line) => void logged.push(line),
    );
    deliver({ type: 'request', message: 'nope' });
    expect(sent).toEqual([]);
    expect(logged).toEqual([expect.stringContaining('malformed message')]);
    deliver({ type: 'init', config });
    expect(await next()).toEqual({ type: 'fatal', message: 'The engine could not start: EACCES: /state' });
    // Not "still starting": the reason, for as long as the process lives.
    deliver({ type: 'request', message: { id: 1, method: 'host.info', params: {} } });
    expect(await next()).toEqual({
      type: 'response',
      message: { id: 1, error: { code: 'unavailable', message: 'The engine could not start: EACCES: /state' } },
    });
  });
});
