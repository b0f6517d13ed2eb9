import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../train/random';
import type { ImageBatch } from './quality';

/** A generator to draw from: noise [N, zDim] (and class labels [N, 1] when it takes them) → images in [-1, 1]. */
export interface ImageGenerator {
  zDim: number;
  /** 0 = unconditional. */
  classes: number;
  generate(z: tf.Tensor2D, labels: tf.Tensor2D | null): tf.Tensor4D;
}

/**
 * `n` images in batches, noise from `seed` (the same images every time for the same weights, so a quality curve
 * moves only with the model) and classes in turn (0, 1, …, classes−1, 0, …), so every class is drawn equally.
 */
export function* generatedBatches(g: ImageGenerator, n: number, seed: number, batchSize = 100): Generator<ImageBatch> {
  const rng = seededRandom(seed);
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const labels = Int32Array.from({ length: count }, (_, i) => (g.classes > 0 ? (start + i) % g.classes : 0));
    const noise = rng.normal(count * g.zDim);
    const images = tf.tidy(() =>
      g.generate(tf.tensor2d(noise, [count, g.zDim]), g.classes > 0 ? tf.tensor2d(labels, [count, 1], 'int32') : null),
    );
    yield { images, labels };
  }
}
