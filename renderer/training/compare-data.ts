import type { RunMetrics } from '../../graph-schemas';
import type { Column } from './metric-log';

/** Two runs' columns on one x axis (the union of their steps), nulls where a run did not log that step. */
export function alignRuns(
  a: { step: number[]; columns: Column[] },
  b: { step: number[]; columns: Column[] },
): { x: number[]; a: Column[]; b: Column[] } {
  const x = [...new Set([...a.step, ...b.step])].sort((p, q) => p - q);
  const place = (run: { step: number[]; columns: Column[] }) => {
    const index = new Map(run.step.map((s, i) => [s, i]));
    return run.columns.map((col) => x.map((s) => (index.has(s) ? (col[index.get(s)!] ?? null) : null)));
  };
  return { x, a: place(a), b: place(b) };
}

/** D's total loss (on real + on fake) and G's, per logged step. */
export function lossColumns(m: RunMetrics): { step: number[]; columns: Column[] } {
  const d = m.lossDReal.map((r, i) => (r === null || m.lossDFake[i] === null ? null : r + m.lossDFake[i]!));
  return { step: m.step, columns: [d, m.lossG] };
}

/** The newest sample step at or before `step` (grids of two runs rarely share every step). */
export function stepAtOrBefore(steps: readonly number[], step: number): number | null {
  let best: number | null = null;
  for (const s of steps) if (s <= step && (best === null || s > best)) best = s;
  return best ?? (steps.length ? steps[0]! : null);
}
