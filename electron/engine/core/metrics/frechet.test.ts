import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../data/prng';
import { featureStats, frechetDistance } from './frechet';
import { symmetricSqrt, matmul } from './linalg';

const rng = new Xoshiro128(9);
const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());

/** n rows whose i-th feature is mean[i] + scale[i]·N(0,1), independent. */
function rows(n: number, mean: number[], scale: number[]) {
  const d = mean.length;
  return Float32Array.from({ length: n * d }, (_, k) => mean[k % d]! + scale[k % d]! * gauss());
}

describe('featureStats', () => {
  it('gives the mean and the unbiased covariance', () => {
    const s = featureStats(Float32Array.from([1, 2, 3, 6, 5, 10]), 3, 2);
    expect(Array.from(s.mean)).toEqual([3, 6]);
    // x = 1,3,5 (var 4); y = 2,6,10 (var 16); cov 8
    expect(Array.from(s.cov)).toEqual([4, 8, 8, 16]);
  });

  it('refuses rows that do not fit the dimension', () => {
    expect(() => featureStats(new Float32Array(7), 2, 4)).toThrow(/not 2 rows of 4/);
  });
});

describe('frechetDistance', () => {
  it('is zero between a set and itself', () => {
    const x = rows(300, [0, 1, 2, 3], [1, 2, 0.5, 1]);
    const s = featureStats(x, 300, 4);
    expect(Math.abs(frechetDistance(s, s))).toBeLessThan(1e-9);
  });

  it('matches the closed form for diagonal covariances: ‖Δμ‖² + Σ(√a − √b)²', () => {
    const a = { dim: 3, count: 10, mean: Float64Array.from([0, 1, 2]), cov: diag([1, 4, 9]) };
    const b = { dim: 3, count: 10, mean: Float64Array.from([1, 1, 0]), cov: diag([4, 1, 9]) };
    expect(frechetDistance(a, b)).toBeCloseTo(1 + 4 + (1 + 1 + 0), 9);
  });

  it('gives the same value through the n×n route when there are fewer rows than dimensions', () => {
    const d = 40;
    const ref = featureStats(rows(200, range(d, 0), range(d, 1)), 200, d);
    const gen = rows(25, range(d, 0.2), range(d, 1.1));
    const stats = featureStats(gen, 25, d);
    const viaRows = frechetDistance(ref, stats, { generatedFeatures: gen });
    const viaSqrt = frechetDistance(ref, stats, { referenceSqrt: symmetricSqrt(ref.cov, d) });
    expect(Math.abs(viaRows - viaSqrt) / viaSqrt).toBeLessThan(1e-6); // two eigen-solves of different matrices
  });

  it('refuses features of another dimension', () => {
    const a = featureStats(rows(10, [0, 0], [1, 1]), 10, 2);
    const b = featureStats(rows(10, [0, 0, 0], [1, 1, 1]), 10, 3);
    expect(() => frechetDistance(a, b)).toThrow(/3-d features with 2-d/);
  });
});

describe('symmetricSqrt', () => {
  it('squares back to the matrix', () => {
    const m = Float64Array.from([4, 1, 0, 1, 3, 0.5, 0, 0.5, 2]);
    const r = symmetricSqrt(m, 3);
    matmul(r, r, 3, 3, 3).forEach((v, i) => expect(v).toBeCloseTo(m[i]!, 12));
  });
});

function diag(values: number[]) {
  const n = values.length;
  const m = new Float64Array(n * n);
  values.forEach((v, i) => (m[i * n + i] = v));
  return m;
}

function range(n: number, offset: number) {
  return Array.from({ length: n }, (_, i) => offset + (i % 5) * 0.1);
}
