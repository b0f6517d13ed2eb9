import type { Xoshiro128 } from '../data/prng';

/** A seeded permutation of 0..n-1 (Fisher–Yates on xoshiro128**). */
export function permutation(n: number, rng: Xoshiro128): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.nextFloat() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}
