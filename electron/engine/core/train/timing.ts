import type { IterationTiming } from '../../../../graph-schemas';
import { now } from './clock';

export type { IterationTiming };

const quantile = (sorted: number[], q: number): number => {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
};

/**
 * The median and spread of measured iteration times. Confidence is high with at least 5 iterations whose middle
 * half lies within ±10 % of the median, medium with at least 3 within ±25 %, low otherwise; `extrapolated` (times
 * measured at another batch size than the run's) is never better than medium.
 */
export function summarizeTimes(ms: readonly number[], batchSize: number, extrapolated = false): IterationTiming {
  if (ms.length === 0) throw new RangeError('No iteration was timed.');
  const sorted = [...ms].sort((a, b) => a - b);
  const medianMs = quantile(sorted, 0.5);
  const spread = medianMs > 0 ? (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / 2 / medianMs : 0;
  let confidence: IterationTiming['confidence'] =
    sorted.length >= 5 && spread <= 0.1 ? 'high' : sorted.length >= 3 && spread <= 0.25 ? 'medium' : 'low';
  if (extrapolated && confidence === 'high') confidence = 'medium';
  return {
    medianMs,
    lowMs: sorted[0]!,
    highMs: sorted[sorted.length - 1]!,
    spread,
    samples: sorted.length,
    batchSize,
    extrapolated,
    confidence,
  };
}

export interface TimingPlan {
  /** Iterations run first and not counted (kernel set-up, optimizer state, caches). */
  warmup: number;
  /** Timed iterations: at least `min`, at most `max`, and no more once `budgetMs` of timing has passed. */
  min: number;
  max: number;
  budgetMs: number;
}

// Fast iterations get enough samples for high confidence; slow ones stop at 2 (low confidence, the run corrects it)
// so the dialog answers in seconds.
export const DEFAULT_TIMING: TimingPlan = { warmup: 1, min: 2, max: 9, budgetMs: 3000 };

/** Times `iterate` after its warm-up: each iteration on its own, until the plan says enough. */
export async function timeIterations(iterate: () => Promise<unknown>, plan: TimingPlan = DEFAULT_TIMING) {
  for (let i = 0; i < plan.warmup; i++) await iterate();
  const times: number[] = [];
  const began = now();
  while (times.length < plan.max && (times.length < plan.min || now() - began < plan.budgetMs)) {
    const started = now();
    await iterate();
    times.push(now() - started);
  }
  return times;
}

/**
 * Milliseconds per iteration of a running session from its recent iteration times: the median, leaving out the
 * session's first iteration (warm-up) once there are others, so one slow step does not decide the ETA.
 */
export function sessionMsPerIteration(recent: readonly number[], includesFirst: boolean): number {
  const times = includesFirst && recent.length > 1 ? recent.slice(1) : recent;
  const sorted = [...times].sort((a, b) => a - b);
  return quantile(sorted, 0.5);
}

/** "1.28 s per iteration (median of 5, ±4 %, high confidence)", or "roughly 1.30 s per iteration (extrapolated, …)". */
export function describeTiming(t: IterationTiming): string {
  const s = (t.medianMs / 1000).toFixed(2);
  return t.extrapolated
    ? `roughly ${s} s per iteration (extrapolated from batches 1 and 2, low confidence)`
    : `${s} s per iteration (median of ${t.samples}, ±${Math.round(t.spread * 100)} %, ${t.confidence} confidence)`;
}
