import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { frameThrottle } from './frame-throttle';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('frameThrottle', () => {
  it('runs the first flush at once and each later one no sooner than the interval after the previous', () => {
    const schedule = frameThrottle(500);
    const ran: number[] = [];
    schedule(() => ran.push(performance.now()));
    vi.advanceTimersByTime(0);
    expect(ran).toHaveLength(1);
    schedule(() => ran.push(performance.now()));
    vi.advanceTimersByTime(499);
    expect(ran).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(ran).toHaveLength(2);
    expect(ran[1]! - ran[0]!).toBeGreaterThanOrEqual(500);
  });

  it('keeps one clock per scheduler: a second one is not held back by the first', () => {
    const first = frameThrottle(500);
    const second = frameThrottle(500);
    let a = 0;
    let b = 0;
    first(() => a++);
    vi.advanceTimersByTime(0);
    second(() => b++);
    vi.advanceTimersByTime(0);
    expect([a, b]).toEqual([1, 1]);
  });
});
