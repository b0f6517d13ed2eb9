import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { EngineChild } from './engine-connection';
import { EngineConnection } from './engine-connection';
import type { ToEngine } from './engine-protocol';

/** A utilityProcess stand-in: records what main sends, and lets the test answer as the engine would. */
class FakeChild extends EventEmitter implements EngineChild {
  sent: { message: ToEngine; transfer?: unknown[] }[] = [];
  killed = false;
  postMessage(message: ToEngine, transfer?: unknown[]): void {
    this.sent.push({ message, ...(transfer ? { transfer } : {}) });
  }
  kill(): boolean {
    this.killed = true;
    return true;
  }
  answer(message: unknown): void {
    this.emit('message', message);
  }
}

function connection() {
  const children: FakeChild[] = [];
  const crashes: string[] = [];
  let restarts = 0;
  let now = 1_000_000;
  const engine = new EngineConnection({
    now: () => now,
    fork: () => {
      const child = new FakeChild();
      children.push(child);
      return child;
    },
    config: { appVersion: '1.0.0', stateDir: '/state', documentsDir: '/docs' },
    onCrash: (m) => void crashes.push(m),
    onRestart: () => void restarts++,
  });
  return { engine, children, crashes, restarts: () => restarts, advance: (ms: number) => (now += ms) };
}

describe('engine connection', () => {
  it('starts the engine on first use with its config, then matches responses to requests by id', async () => {
    const { engine, children } = connection();
    expect(children).toHaveLength(0);
    const a = engine.request({ id: 1, method: 'presets.list', params: {} });
    const b = engine.request({ id: 2, method: 'host.info', params: {} });
    const child = children[0]!;
    expect(child.sent.map((s) => s.message.type)).toEqual(['init', 'request', 'request']);
    expect(child.sent[0]!.message).toEqual({
      type: 'init',
      config: { appVersion: '1.0.0', stateDir: '/state', documentsDir: '/docs' },
    });
    child.answer({ type: 'response', message: { id: 2, result: 'info' } });
    child.answer({ type: 'response', message: { id: 1, result: 'presets' } });
    expect(await a).toEqual({ id: 1, result: 'presets' });
    expect(await b).toEqual({ id: 2, result: 'info' });
    expect(children).toHaveLength(1);
  });

  it('ignores malformed messages from the engine', async () => {
    const { engine, children } = connection();
    const pending = engine.request({ id: 1, method: 'host.info', params: {} });
    children[0]!.answer({ type: 'response', message: { id: 1, result: 'x', extra: 1 } });
    children[0]!.answer('garbage');
    children[0]!.answer({ type: 'response', message: { id: 1, result: 'ok' } });
    expect(await pending).toEqual({ id: 1, result: 'ok' });
  });

  it('hands a page port to the engine as a transfer', () => {
    const { engine, children } = connection();
    const port = { fake: 'port' };
    engine.connectPage(port);
    expect(children[0]!.sent[1]).toEqual({ message: { type: 'connect-page' }, transfer: [port] });
  });

  it('after a crash: waiting requests get "unavailable", the user is told, and a new engine starts at once', async () => {
    const { engine, children, crashes, restarts } = connection();
    const waiting = engine.request({ id: 1, method: 'training.stop', params: { runId: 'r' } });
    children[0]!.answer({ type: 'ready' });
    children[0]!.emit('exit', 139);
    expect(await waiting).toMatchObject({
      id: 1,
      error: { code: 'unavailable', message: expect.stringContaining('exit code 139') },
    });
    expect(crashes).toEqual([expect.stringContaining('resume them from their last checkpoint')]);
    // Restarted without waiting for a request: the page gets its new event port now.
    expect(children).toHaveLength(2);
    expect(restarts()).toBe(1);
    expect(children[1]!.sent[0]!.message.type).toBe('init');
    const again = engine.request({ id: 2, method: 'host.info', params: {} });
    children[1]!.answer({ type: 'response', message: { id: 2, result: 'back' } });
    expect(await again).toEqual({ id: 2, result: 'back' });
  });

  it("names a V8 fatal error (the utility process's 'error' event, e.g. out of memory) in the crash report", () => {
    const { children, crashes, engine } = connection();
    void engine.request({ id: 1, method: 'host.info', params: {} });
    children[0]!.emit('error', 'FatalError', 'Reached heap limit', '{"header":{}}');
    children[0]!.emit('exit', 133);
    expect(crashes).toEqual([
      expect.stringMatching(/^The engine process hit a fatal error \(Reached heap limit; most often out of memory\)/),
    ]);
  });

  it('an engine that keeps crashing right after it starts is not restarted in a loop; a request still starts one', () => {
    const { engine, children, advance } = connection();
    void engine.request({ id: 1, method: 'host.info', params: {} });
    for (let i = 0; i < 3; i++) {
      children.at(-1)!.emit('exit', 1);
      advance(1000);
    }
    expect(children).toHaveLength(3);
    expect(engine.running).toBe(false);
    void engine.request({ id: 2, method: 'host.info', params: {} });
    expect(children).toHaveLength(4);
  });

  it('shutdown asks the engine to checkpoint its runs, waits for it, then ends the process (no crash report)', async () => {
    const { engine, children, crashes } = connection();
    void engine.request({ id: 1, method: 'host.info', params: {} });
    const child = children[0]!;
    const done = engine.shutdown(5000);
    expect(child.sent.at(-1)!.message).toEqual({ type: 'shutdown' });
    expect(child.killed).toBe(false);
    child.answer({ type: 'shutdown-done' });
    await done;
    expect(child.killed).toBe(true);
    child.emit('exit', 0);
    expect(crashes).toEqual([]);
  });

  it('an engine that dies while shutting down is not restarted', async () => {
    const { engine, children } = connection();
    void engine.request({ id: 1, method: 'host.info', params: {} });
    const done = engine.shutdown(5000);
    children[0]!.emit('exit', 1);
    await done;
    expect(children).toHaveLength(1);
    expect(engine.running).toBe(false);
  });

  it('shutdown gives up on an engine that does not answer, and does nothing when none runs', async () => {
    const { engine, children } = connection();
    await engine.shutdown(10);
    expect(children).toHaveLength(0);
    void engine.request({ id: 1, method: 'host.info', params: {} });
    await engine.shutdown(10);
    expect(children[0]!.killed).toBe(true);
  });

  it('a fatal start ends that engine, answers with the reason, and the page can retry after a pause', async () => {
    const { engine, children, crashes, advance } = connection();
    const ready = engine.whenReady();
    const waiting = engine.request({ id: 1, method: 'host.info', params: {} });
    children[0]!.answer({ type: 'fatal', message: 'The engine could not start: EACCES /state' });
    await ready;
    expect(crashes).toEqual(['The engine could not start: EACCES /state']);
    expect(children[0]!.killed).toBe(true);
    expect(engine.running).toBe(false);
    const reason = { code: 'unavailable', message: expect.stringContaining('EACCES /state') };
    expect(await waiting).toEqual({ id: 1, error: reason });
    // Right away: the same answer, no new process (a page retrying does not fork engines in a loop).
    expect(await engine.request({ id: 2, method: 'host.info', params: {} })).toEqual({ id: 2, error: reason });
    expect(children).toHaveLength(1);
    advance(10_000);
    const retry = engine.request({ id: 3, method: 'host.info', params: {} });
    expect(children).toHaveLength(2);
    children[1]!.answer({ type: 'ready' });
    children[1]!.answer({ type: 'response', message: { id: 3, result: 'up' } });
    expect(await retry).toEqual({ id: 3, result: 'up' });
    children[0]!.emit('exit', 0);
    expect(crashes).toHaveLength(1);
  });
});
