/**
 * Chart data reduction: a chart never needs more than about two points per pixel column. Each column keeps the
 * smallest and largest value of every series in the order they occurred, so spikes (a diverging loss) stay
 * visible however many steps are drawn, and a 100k-step run draws as fast as a 1k-step one.
 */

export type Values = ArrayLike<number | null>;

export interface Decimated {
  x: number[];
  ys: (number | null)[][];
}

export interface DecimateOptions {
  /** Pixel columns to reduce to; the result has at most 2 rows per bucket, plus one row either side of the range. */
  buckets: number;
  /** The visible range of x (default: all of it). One point outside on each side is kept so lines reach the edges. */
  xMin?: number;
  xMax?: number;
}

const usable = (v: number | null | undefined): v is number => v !== null && v !== undefined && !Number.isNaN(v);

/** First index with x[i] >= value (strict: x[i] > value), x increasing. */
function bound(x: ArrayLike<number>, value: number, strict: boolean): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! < value || (strict && x[mid] === value)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Min/max-per-bucket decimation of series sharing an increasing x. Series may hold nulls (not logged). */
export function decimateMinMax(x: ArrayLike<number>, ys: readonly Values[], options: DecimateOptions): Decimated {
  const n = x.length;
  if (n === 0) return { x: [], ys: ys.map(() => []) };
  const xMin = options.xMin ?? x[0]!;
  const xMax = options.xMax ?? x[n - 1]!;
  // The range plus one neighbour either side.
  const from = Math.max(0, bound(x, xMin, false) - 1);
  const to = Math.min(n, bound(x, xMax, true) + 1);
  const buckets = Math.max(1, Math.floor(options.buckets));
  if (to - from <= 2 * buckets || xMax <= xMin) return slice(x, ys, from, to);

  const out: Decimated = { x: [], ys: ys.map(() => []) };
  const span = xMax - xMin;
  const bucketOf = (v: number) => Math.min(buckets - 1, Math.max(0, Math.floor(((v - xMin) / span) * buckets)));
  let i = from;
  // The neighbour before the range, and the one after, stay as they are.
  if (x[i]! < xMin) pushRow(out, x, ys, i++);
  const end = to > from && x[to - 1]! > xMax ? to - 1 : to;
  while (i < end) {
    const bucket = bucketOf(x[i]!);
    let j = i + 1;
    while (j < end && bucketOf(x[j]!) === bucket) j++;
    if (j - i === 1) pushRow(out, x, ys, i);
    else pushBucket(out, x, ys, i, j);
    i = j;
  }
  if (end < to) pushRow(out, x, ys, end);
  return out;
}

function slice(x: ArrayLike<number>, ys: readonly Values[], from: number, to: number): Decimated {
  const out: Decimated = { x: [], ys: ys.map(() => []) };
  for (let i = from; i < to; i++) pushRow(out, x, ys, i);
  return out;
}

function pushRow(out: Decimated, x: ArrayLike<number>, ys: readonly Values[], i: number): void {
  out.x.push(x[i]!);
  ys.forEach((y, s) => out.ys[s]!.push(usable(y[i]) ? y[i]! : null));
}

/** Two rows for the bucket [i, j): at its first and last x; each series puts its extremes there in time order. */
function pushBucket(out: Decimated, x: ArrayLike<number>, ys: readonly Values[], i: number, j: number): void {
  out.x.push(x[i]!, x[j - 1]!);
  ys.forEach((y, s) => {
    let lo = -1;
    let hi = -1;
    for (let k = i; k < j; k++) {
      const v = y[k];
      if (!usable(v)) continue;
      if (lo < 0 || v < y[lo]!) lo = k;
      if (hi < 0 || v > y[hi]!) hi = k;
    }
    const col = out.ys[s]!;
    if (lo < 0) col.push(null, null);
    else if (lo <= hi) col.push(y[lo]!, y[hi]!);
    else col.push(y[hi]!, y[lo]!);
  });
}

/**
 * Exponential moving average, debiased like TensorBoard's smoothing (the first values are not pulled to 0);
 * nulls stay null and do not reset the average. weight 0 = raw, 0.99 = very smooth.
 */
export class EmaSmoother {
  private weight = -1;
  private generation = -1;
  private source: Values | null = null;
  private readonly out: (number | null)[] = [];
  private last = 0;
  private count = 0;

  /** The smoothed column for `values`; extends the previous answer when only rows were appended. */
  smooth(values: Values, weight: number, generation = 0): (number | null)[] {
    if (
      weight !== this.weight ||
      generation !== this.generation ||
      values !== this.source ||
      values.length < this.out.length
    ) {
      this.weight = weight;
      this.generation = generation;
      this.source = values;
      this.out.length = 0;
      this.last = 0;
      this.count = 0;
    }
    for (let i = this.out.length; i < values.length; i++) {
      const v = values[i];
      if (!usable(v)) {
        this.out.push(null);
        continue;
      }
      this.count++;
      this.last = this.last * weight + (1 - weight) * v;
      const debias = 1 - weight ** this.count;
      this.out.push(debias > 0 ? this.last / debias : v);
    }
    return this.out;
  }
}

/** Smooths a whole column at once (tests and one-off charts). */
export function smoothEma(values: Values, weight: number): (number | null)[] {
  return [...new EmaSmoother().smooth(values, weight)];
}
