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
  const engine = new EngineConnection({
    fork: () => {
      const child = new FakeChild();
      children.push(child);
      return child;
    },
    config: { appVersion: '1.0.0', stateDir: '/state', documentsDir: '/docs' },
    onCrash: (m) => void crashes.push(m),
    onRestart: () => void restarts++,
  });
  return { engine, children, crashes, restarts: () => restarts };
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

  it('after a crash: waiting requests get "unavailable", the user is told, and the next request starts a new engine', async () => {
    const { engine, children, crashes, restarts } = connection();
    const waiting = engine.request({ id: 1, method: 'training.stop', params: { runId: 'r' } });
    children[0]!.emit('exit', 139);
    expect(await waiting).toMatchObject({
      id: 1,
      error: { code: 'unavailable', message: expect.stringContaining('exit code 139') },
    });
    expect(crashes).toEqual([expect.stringContaining('resume them from their last checkpoint')]);
    expect(engine.running).toBe(false);
    const again = engine.request({ id: 2, method: 'host.info', params: {} });
    expect(children).toHaveLength(2);
    expect(restarts()).toBe(1);
    children[1]!.answer({ type: 'response', message: { id: 2, result: 'back' } });
    expect(await again).toEqual({ id: 2, result: 'back' });
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

  it('shutdown gives up on an engine that does not answer, and does nothing when none runs', async () => {
    const { engine, children } = connection();
    await engine.shutdown(10);
    expect(children).toHaveLength(0);
    void engine.request({ id: 1, method: 'host.info', params: {} });
    await engine.shutdown(10);
    expect(children[0]!.killed).toBe(true);
  });

  it('a fatal start is reported like a crash', async () => {
    const { engine, children, crashes } = connection();
    const ready = engine.whenReady();
    children[0]!.answer({ type: 'fatal', message: 'The engine could not start: EACCES /state' });
    await ready;
    expect(crashes).toEqual(['The engine could not start: EACCES /state']);
  });
});
