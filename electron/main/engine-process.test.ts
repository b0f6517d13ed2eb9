import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventMessage } from '../../graph-schemas';
import { eventMessage } from '../../graph-schemas';
import type { Host } from '../host/handlers';
import { createHostHandlers } from '../host/handlers';
import type { PagePort, ParentPortLike } from './engine-process';
import { runEngineProcess } from './engine-process';
import type { EngineConfig, FromEngine, ToEngine } from './engine-protocol';

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

describe('engine process entry (a real child process, as utilityProcess runs it)', () => {
  it('boots the TypeScript host through tsx and serves the real API', async () => {
    // Electron gives a utility process `process.parentPort`; plain Node's IPC channel stands in for it here.
    const shim = join(dir, 'parent-port-shim.mjs');
    writeFileSync(
      shim,
      "process.parentPort = { on(event, listener) { process.on('message', (data) => listener({ data, ports: [] })); return this; }, postMessage(m) { process.send(m); } };\n",
    );
    const entry = fileURLToPath(new URL('./engine-process-entry.mjs', import.meta.url));
    const child = fork(entry, [], {
      execArgv: ['--import', pathToFileURL(shim).href],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const messages: FromEngine[] = [];
    const waiters: (() => void)[] = [];
    child.on('message', (m) => {
      messages.push(m as FromEngine);
      waiters.splice(0).forEach((w) => w());
    });
    const next = async (): Promise<FromEngine> => {
      while (messages.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
      return messages.shift()!;
    };
    try {
      child.send({
        type: 'init',
        config: { appVersion: '1.2.3', stateDir: join(dir, 'state'), documentsDir: dir },
      } satisfies ToEngine);
      expect(await next()).toEqual({ type: 'ready' });
      child.send({ type: 'request', message: { id: 1, method: 'host.info', params: {} } } satisfies ToEngine);
      expect(await next()).toMatchObject({
        type: 'response',
        message: { id: 1, result: { kind: 'desktop', appVersion: '1.2.3', documentsDir: dir } },
      });
      child.send({ type: 'request', message: { id: 2, method: 'presets.list', params: {} } } satisfies ToEngine);
      const presets = (await next()) as { message: { result: { name: string }[] } };
      expect(presets.message.result.map((p) => p.name)).toContain('sagan-32');
      child.send({ type: 'request', message: { id: 3, method: 'dialogs.openFile', params: {} } } satisfies ToEngine);
      // Main answers the desktop methods itself; the engine's host would only say "unavailable".
      expect(await next()).toMatchObject({ message: { id: 3, error: { code: 'unavailable' } } });
      child.send({ type: 'shutdown' } satisfies ToEngine);
      expect(await next()).toEqual({ type: 'shutdown-done' });
    } finally {
      child.kill();
    }
  });
});
