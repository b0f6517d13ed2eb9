import * as tf from '@tensorflow/tfjs';
import { Xoshiro128 } from '../data/prng';
import { permutation } from './permutation';

export interface KidOptions {
  /** Subsets drawn (Bińkowski et al. and torch-fidelity: 100). */
  subsets?: number;
  /** Rows per subset (default 1,000, or fewer when a set is smaller). */
  subsetSize?: number;
  seed?: number;
}

export interface KidResult {
  mean: number;
  std: number;
  subsets: number;
  subsetSize: number;
}

/**
 * Kernel Inception Distance (Bińkowski et al., "Demystifying MMD GANs", 2018): the unbiased estimate of MMD² with
 * the cubic polynomial kernel k(x, y) = (xᵀy / d + 1)³, averaged over random subsets of both sets (each subset
 * drawn without replacement). The kernel matrices are float32 products on the tfjs backend; their sums are taken
 * in float64 here, since MMD² is a small difference of large kernel means.
 */
export async function kernelDistance(
  reference: Float32Array,
  referenceCount: number,
  generated: Float32Array,
  generatedCount: number,
  dim: number,
  o: KidOptions = {},
): Promise<KidResult> {
  const m = Math.min(o.subsetSize ?? 1000, referenceCount, generatedCount);
  if (m < 2)
    throw new RangeError(
      `KID needs at least 2 feature rows on each side, got ${Math.min(referenceCount, generatedCount)}.`,
    );
  const subsets = o.subsets ?? 100;
  const rng = new Xoshiro128(o.seed ?? 0);
  const x = tf.tensor2d(reference, [referenceCount, dim]);
  const y = tf.tensor2d(generated, [generatedCount, dim]);
  const values: number[] = [];
  try {
    for (let s = 0; s < subsets; s++) {
      const ix = permutation(referenceCount, rng).subarray(0, m);
      const iy = permutation(generatedCount, rng).subarray(0, m);
      const [kxx, kyy, kxy] = tf.tidy(() => {
        const xs = tf.gather(x, ix);
        const ys = tf.gather(y, iy);
        const k = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.pow(tf.add(tf.div(tf.matMul(a, b, false, true), dim), 1), 3);
        return [k(xs, xs), k(ys, ys), k(xs, ys)];
      });
      const [axx, ayy, axy] = await Promise.all([kxx!.data(), kyy!.data(), kxy!.data()]);
      tf.dispose([kxx!, kyy!, kxy!]);
      const offDiagonal = (a: ArrayLike<number>) => {
        let total = 0;
        for (let i = 0; i < a.length; i++) total += a[i]!;
        for (let i = 0; i < m; i++) total -= a[i * m + i]!;
        return total;
      };
      let cross = 0;
      for (let i = 0; i < axy.length; i++) cross += axy[i]!;
      values.push((offDiagonal(axx) + offDiagonal(ayy)) / (m * (m - 1)) - (2 * cross) / (m * m));
    }
  } finally {
    tf.dispose([x, y]);
  }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  return { mean, std, subsets, subsetSize: m };
}
