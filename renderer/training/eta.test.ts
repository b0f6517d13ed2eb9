import { describe, expect, it } from 'vitest';
import { describeEstimateTime } from './format';
import { emptyRun, ETA_CHECK_AFTER, etaCheck, foldEvent } from './run-state';

const timing = {
  medianMs: 1280,
  lowMs: 1210,
  highMs: 1400,
  spread: 0.04,
  samples: 5,
  batchSize: 64,
  extrapolated: false,
  confidence: 'high' as const,
};

describe('estimates that hold', () => {
  it('states the median, how it was measured, the spread and the confidence, and the duration with its spread', () => {
    const t = describeEstimateTime(timing, 1200);
    expect(t.perIteration).toBe('1.28 s per iteration');
    expect(t.how).toBe('median of 5 timed at batch 64 after a warm-up · 1.21–1.40 s · ±4 % · high confidence');
    expect(t.total).toBe('about 25:36 ± 1:01 for 1,200 steps');
    const rough = describeEstimateTime({ ...timing, extrapolated: true, confidence: 'low' }, 1200);
    expect(rough.how).toMatch(/extrapolated .* low confidence/);
    expect(rough.total).toMatch(/^roughly 25:36 .*corrected once the run has timed its first steps/);
  });

  it("checks the dialog's estimate against the run's first steps and says how far off it was", () => {
    let run = emptyRun('r', { estimate: { msPerIteration: 10_400, confidence: 'low' } });
    run = foldEvent(run, {
      type: 'started',
      step: 0,
      totalSteps: 1200,
      backend: 'wasm',
      backendReason: 'test',
      resumed: false,
    });
    expect(run.sessionStartStep).toBe(0);
    expect(etaCheck({ ...run, step: 1, itPerSec: 0.1 })).toEqual({ pending: true, estimatedMs: 10_400 });
    const checked = etaCheck({ ...run, step: ETA_CHECK_AFTER, itPerSec: 1 / 1.3 });
    expect(checked).toMatchObject({ pending: false, estimatedMs: 10_400 });
    expect(checked && !checked.pending && checked.measuredMs).toBeCloseTo(1300, 6);
    expect(checked && !checked.pending && checked.off).toBeCloseTo(-0.875, 6);
    expect(etaCheck(emptyRun('x'))).toBeNull();
  });
});
