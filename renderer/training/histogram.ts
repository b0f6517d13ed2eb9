/** D's scores on real and generated images as two histograms over the same bins. */
export interface ScoreHistogram {
  edges: number[];
  real: number[];
  fake: number[];
}

export function scoreHistogram(real: readonly number[], fake: readonly number[], bins = 20): ScoreHistogram {
  const all = [...real, ...fake].filter(Number.isFinite);
  if (!all.length) return { edges: [], real: [], fake: [] };
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-6) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const count = (values: readonly number[]) => {
    const out = new Array<number>(bins).fill(0);
    for (const v of values) if (Number.isFinite(v)) out[Math.min(bins - 1, Math.floor((v - lo) / width))]!++;
    return out;
  };
  return { edges, real: count(real), fake: count(fake) };
}
