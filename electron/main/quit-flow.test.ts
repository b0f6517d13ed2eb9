import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QuitSteps } from './quit-flow';
import { QuitFlow } from './quit-flow';

/** The quit flow with recorded steps; `answers` are what the close prompt resolves with, in order. */
function flow(
  answers: (boolean | Error)[],
  opts: { stopEngine?: () => Promise<void>; confirm?: () => Promise<boolean> } = {},
) {
  const steps: string[] = [];
  const deps: QuitSteps = {
    confirm:
      opts.confirm ??
      (async () => {
        steps.push('confirm');
        const answer = answers.shift() ?? false;
        if (answer instanceof Error) throw answer;
        return answer;
      }),
    savePlace: () => void steps.push('save place'),
    hide: () => void steps.push('hide'),
    stopEngine: opts.stopEngine ?? (async () => void steps.push('stop engine')),
    quit: () => void steps.push('quit'),
    exit: (code) => void steps.push(`exit ${code}`),
    log: (line) => void steps.push(`log: ${line}`),
  };
  return { quit: new QuitFlow(deps, { stopTimeoutMs: 90_000 }), steps };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('quitting', () => {
  it('asks first; when confirmed it saves the window place before hiding, stops the engine, then quits', async () => {
    const { quit, steps } = flow([true]);
    expect(quit.mayClose).toBe(false);
    quit.request();
    await vi.runAllTimersAsync();
    expect(steps).toEqual(['confirm', 'save place', 'hide', 'stop engine', 'quit']);
    expect(quit.mayClose).toBe(true);
  });

  it('a cancelled or failed prompt leaves the app open, and the next close asks again', async () => {
    const { quit, steps } = flow([false, new Error('dialog broke'), true]);
    quit.request();
    await vi.runAllTimersAsync();
    expect(quit.mayClose).toBe(false);
    quit.request();
    await vi.runAllTimersAsync();
    expect(steps.at(-1)).toBe('log: Closing failed: dialog broke');
    quit.request();
    await vi.runAllTimersAsync();
    expect(steps.filter((s) => s === 'confirm')).toHaveLength(3);
    expect(steps.at(-1)).toBe('quit');
  });

  it('closing again while the prompt is up or the runs are stopping does nothing more', async () => {
    let finishStop!: () => void;
    const { quit, steps } = flow([true], { stopEngine: () => new Promise((r) => (finishStop = r)) });
    quit.request();
    quit.request();
    await vi.advanceTimersByTimeAsync(0);
    quit.request();
    expect(steps).toEqual(['confirm', 'save place', 'hide']);
    finishStop();
    await vi.runAllTimersAsync();
    expect(steps).toEqual(['confirm', 'save place', 'hide', 'quit']);
  });

  it('Ctrl-C or SIGTERM quits without questions; the same signal sent again at once (terminal and npm) is one', async () => {
    const { quit, steps } = flow([]);
    quit.signal();
    quit.signal();
    quit.signal();
    await vi.runAllTimersAsync();
    expect(steps).toEqual(['save place', 'hide', 'stop engine', 'quit']);
  });

  it('Ctrl-C while the close prompt is up stops anyway, whatever the prompt answers later', async () => {
    let answer!: (ok: boolean) => void;
    const { quit, steps } = flow([], { confirm: () => new Promise((r) => (answer = r)) });
    quit.request();
    quit.signal();
    await vi.runAllTimersAsync();
    answer(false);
    await vi.runAllTimersAsync();
    expect(steps).toEqual(['save place', 'hide', 'stop engine', 'quit']);
    expect(quit.mayClose).toBe(true);
  });

  it('a second Ctrl-C later, while the runs are stopping, exits at once', async () => {
    const { quit, steps } = flow([], { stopEngine: () => new Promise(() => undefined) });
    quit.signal();
    await vi.advanceTimersByTimeAsync(5_000);
    quit.signal();
    expect(steps).toEqual(['save place', 'hide', 'log: Stopping at once (second interrupt).', 'exit 130']);
  });

  it('an engine that never confirms its stop cannot keep the app from quitting', async () => {
    const { quit, steps } = flow([true], { stopEngine: () => new Promise(() => undefined) });
    quit.request();
    await vi.advanceTimersByTimeAsync(89_000);
    expect(steps).not.toContain('quit');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(steps.slice(-2)).toEqual(['log: The engine did not stop within 90 s; quitting anyway.', 'quit']);
    expect(quit.mayClose).toBe(true);
  });
});
