import { describe, expect, it } from 'vitest';
import { describeTiming, sessionMsPerIteration, summarizeTimes, timeIterations } from './timing';

describe('iteration timing', () => {
  it('reports the median, not the mean, so one slow iteration does not decide the estimate', () => {
    const t = summarizeTimes([1280, 1300, 10400, 1270, 1290], 64);
    expect(t.medianMs).toBe(1290);
    expect(t.lowMs).toBe(1270);
    expect(t.highMs).toBe(10400);
    expect(t.samples).toBe(5);
    expect(t.confidence).toBe('high');
    expect(describeTiming(t)).toBe('1.29 s per iteration (median of 5, ±1 %, high confidence)');
  });

  it('states lower confidence when the times scatter, are few, or were extrapolated', () => {
    expect(summarizeTimes([1000, 1500, 2000, 3000, 4000], 8).confidence).toBe('low');
    expect(summarizeTimes([1000, 1200, 1400, 1600, 1800], 8).confidence).toBe('medium');
    expect(summarizeTimes([1000, 1010, 990], 8).confidence).toBe('medium');
    expect(summarizeTimes([1000, 1010], 8).confidence).toBe('low');
    expect(summarizeTimes([1000, 1000, 1000, 1000, 1000], 8, true).confidence).toBe('medium');
  });

  it('times only after the warm-up, at least min and at most max iterations', async () => {
    let calls = 0;
    const times = await timeIterations(
      async () => {
        calls++;
        await new Promise((r) => setTimeout(r, calls === 1 ? 40 : 2));
      },
      { warmup: 1, min: 3, max: 5, budgetMs: 10_000 },
    );
    expect(calls).toBe(6);
    expect(times).toHaveLength(5);
    expect(Math.max(...times)).toBeLessThan(40);
    const few = await timeIterations(() => new Promise((r) => setTimeout(r, 5)), {
      warmup: 0,
      min: 2,
      max: 10,
      budgetMs: 0,
    });
    expect(few).toHaveLength(2);
  });

  it("leaves a session's first iteration out of its ETA once there are others", () => {
    expect(sessionMsPerIteration([9000, 1000, 1100, 1200], true)).toBe(1100);
    expect(sessionMsPerIteration([9000, 1000, 1100, 1200], false)).toBe(1150);
    expect(sessionMsPerIteration([9000], true)).toBe(9000);
  });
});
