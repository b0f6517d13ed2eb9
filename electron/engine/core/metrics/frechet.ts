import { matmul, symmetricSqrt, traceSqrt, transpose } from './linalg';

/** Mean and covariance of a set of feature vectors, in float64 (what FD compares). */
export interface GaussianStats {
  dim: number;
  count: number;
  mean: Float64Array;
  /** [dim×dim] row-major, unbiased (divided by count − 1), as numpy.cov and pytorch-fid compute it. */
  cov: Float64Array;
}

/**
 * Mean and covariance of `count` feature rows of length `dim` (row-major), in one pass.
 */
export function featureStats(features: Float32Array, count: number, dim: number): GaussianStats {
  if (features.length !== count * dim)
    throw new RangeError(`${features.length} feature values are not ${count} rows of ${dim}.`);
  const acc = new StatsAccumulator(dim);
  acc.add(features, count);
  return acc.finish();
}

/**
 * Streams feature rows into a mean and covariance without keeping them: float64 sums of the rows and of their
 * outer products, both taken about a shift (the first rows' mean) so the final subtraction loses no precision.
 * Rows are taken a block at a time, transposed, so each covariance entry grows by one short dot product.
 */
export class StatsAccumulator {
  private count = 0;
  private shift: Float64Array | null = null;
  private readonly sum: Float64Array;
  private readonly outer: Float64Array;
  private static readonly BLOCK = 64;
  private readonly block: Float64Array;

  constructor(readonly dim: number) {
    this.sum = new Float64Array(dim);
    this.outer = new Float64Array(dim * dim);
    this.block = new Float64Array(dim * StatsAccumulator.BLOCK);
  }

  add(rows: Float32Array, count: number) {
    const d = this.dim;
    const B = StatsAccumulator.BLOCK;
    if (rows.length < count * d) throw new RangeError(`${rows.length} feature values are not ${count} rows of ${d}.`);
    if (count === 0) return;
    if (!this.shift) {
      this.shift = new Float64Array(d);
      for (let r = 0; r < count; r++) for (let i = 0; i < d; i++) this.shift[i]! += rows[r * d + i]! / count;
    }
    const shift = this.shift;
    for (let r0 = 0; r0 < count; r0 += B) {
      const n = Math.min(B, count - r0);
      const block = this.block;
      block.fill(0);
      for (let r = 0; r < n; r++)
        for (let i = 0; i < d; i++) {
          const v = rows[(r0 + r) * d + i]! - shift[i]!;
          block[i * B + r] = v;
          this.sum[i]! += v;
        }
      for (let i = 0; i < d; i++) {
        const bi = i * B;
        for (let j = i; j < d; j++) {
          const bj = j * B;
          let s = 0;
          for (let r = 0; r < n; r++) s += block[bi + r]! * block[bj + r]!;
          this.outer[i * d + j]! += s;
        }
      }
    }
    this.count += count;
  }

  finish(): GaussianStats {
    const d = this.dim;
    const n = this.count;
    if (n < 2) throw new RangeError(`A covariance needs at least 2 feature rows, got ${n}.`);
    const centred = Float64Array.from(this.sum, (s) => s / n); // mean − shift
    const mean = Float64Array.from(centred, (c, i) => c + this.shift![i]!);
    const cov = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
      for (let j = i; j < d; j++) {
        const v = (this.outer[i * d + j]! - n * centred[i]! * centred[j]!) / (n - 1);
        cov[i * d + j] = v;
        cov[j * d + i] = v;
      }
    return { dim: d, count: n, mean, cov };
  }
}

export interface FrechetOptions {
  /** √(reference covariance), when cached with the reference statistics (saves one eigen-decomposition). */
  referenceSqrt?: Float64Array;
  /** The generated features behind `generated` (row-major): with fewer rows than dimensions, the trace term
   *  comes from a count×count matrix instead of a dim×dim one. */
  generatedFeatures?: Float32Array;
}

/**
 * Fréchet distance between two Gaussians, in float64:
 *   ‖μ₁ − μ₂‖² + Tr Σ₁ + Tr Σ₂ − 2 Tr √(Σ₁Σ₂).
 * Σ₁Σ₂ is not symmetric, but it is similar to the PSD matrix √Σ₁ Σ₂ √Σ₁, whose square root's trace is the sum of
 * the square roots of its eigenvalues: the value scipy.linalg.sqrtm(Σ₁Σ₂) gives pytorch-fid, without a
 * non-symmetric square root. When Σ₂ = XᵀX/(n−1) with X the n centred generated rows and n < dim, the same
 * eigenvalues are those of X Σ₁ Xᵀ/(n−1), an n×n matrix.
 */
export function frechetDistance(reference: GaussianStats, generated: GaussianStats, o: FrechetOptions = {}): number {
  const d = reference.dim;
  if (generated.dim !== d)
    throw new RangeError(`Cannot compare ${generated.dim}-d features with ${d}-d reference statistics.`);
  let meanTerm = 0;
  let traces = 0;
  for (let i = 0; i < d; i++) {
    meanTerm += (reference.mean[i]! - generated.mean[i]!) ** 2;
    traces += reference.cov[i * d + i]! + generated.cov[i * d + i]!;
  }
  const n = generated.count;
  let cross: number;
  if (o.generatedFeatures && n < d) {
    const x = new Float64Array(n * d);
    for (let r = 0; r < n; r++)
      for (let i = 0; i < d; i++) x[r * d + i] = o.generatedFeatures[r * d + i]! - generated.mean[i]!;
    const m = matmul(matmul(x, reference.cov, n, d, d), transpose(x, n, d), n, d, n);
    for (let i = 0; i < m.length; i++) m[i]! /= n - 1;
    cross = traceSqrt(symmetrize(m, n), n);
  } else {
    const root = o.referenceSqrt ?? symmetricSqrt(reference.cov, d);
    const m = matmul(matmul(root, generated.cov, d, d, d), root, d, d, d);
    cross = traceSqrt(symmetrize(m, d), d);
  }
  return meanTerm + traces - 2 * cross;
}

/** (A + Aᵀ)/2: removes the rounding asymmetry of a product that is symmetric in exact arithmetic. */
function symmetrize(a: Float64Array, n: number): Float64Array {
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const v = (a[i * n + j]! + a[j * n + i]!) / 2;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  return a;
}
