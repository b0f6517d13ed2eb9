/** Short readable figures for the training view. */
import type { IterationTiming } from '../../graph-schemas';

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0
    ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`
    : `${m}:${String(sec).padStart(2, '0')}`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 || u === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

export function formatLoss(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return Math.abs(v) >= 100 ? v.toExponential(1) : v.toFixed(3);
}

export function formatRate(itPerSec: number | null | undefined): string {
  if (itPerSec === null || itPerSec === undefined || !Number.isFinite(itPerSec)) return '–';
  return itPerSec >= 10 ? itPerSec.toFixed(1) : itPerSec.toFixed(2);
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** γ that stays this small after this many steps means the network is not using its attention yet. */
export const GAMMA_UNUSED = { below: 0.01, afterSteps: 50 };

/** `peak` is the largest |γ| the node has had so far. */
export function attentionUnused(peak: number | undefined, step: number): boolean {
  return peak !== undefined && step >= GAMMA_UNUSED.afterSteps && peak < GAMMA_UNUSED.below;
}

/**
 * The time part of an estimate in words: the median per iteration, how it was measured, its spread and confidence,
 * and the whole run's duration with the spread applied (low confidence widens nothing it does not know: it says so).
 */
export function describeEstimateTime(
  t: IterationTiming,
  steps?: number,
): { perIteration: string; how: string; total: string } {
  const perIteration = `${(t.medianMs / 1000).toFixed(2)} s per iteration`;
  const how = t.extrapolated
    ? `extrapolated from batches 1 and 2 (batch ${t.batchSize} was not timed) · low confidence`
    : `median of ${t.samples} timed at batch ${t.batchSize} after a warm-up · ${(t.lowMs / 1000).toFixed(2)}–${(t.highMs / 1000).toFixed(2)} s · ±${Math.round(t.spread * 100)} % · ${t.confidence} confidence`;
  if (!steps) return { perIteration, how, total: '' };
  const seconds = (t.medianMs / 1000) * steps;
  const total = t.extrapolated
    ? `roughly ${formatDuration(seconds)} for ${steps.toLocaleString()} steps (corrected once the run has timed its first steps)`
    : `about ${formatDuration(seconds)} ± ${formatDuration(seconds * t.spread)} for ${steps.toLocaleString()} steps`;
  return { perIteration, how, total };
}
