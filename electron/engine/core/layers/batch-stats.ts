import * as tf from '@tensorflow/tfjs';
import type { AddWeight } from './layer-utils';

/**
 * PyTorch BatchNorm semantics shared by BatchNorm and ConditionalBatchNorm (Keras' batchNormalization
 * differs: momentum is the keep-fraction and the running variance is biased).
 * Training: normalise with the batch mean and biased variance over every axis but the last, eps 1e-5,
 * and update running_mean/var ← (1 − momentum)·running + momentum·batch, with the UNBIASED variance
 * n/(n−1)·var. Inference: normalise with the running statistics.
 * Written with moments rather than tf.batchNorm, whose gradient crashes without scale and offset.
 */
export const TORCH_BN_EPSILON = 1e-5;
export const TORCH_BN_MOMENTUM = 0.1;

export class RunningStats {
  private constructor(
    readonly mean: tf.LayerVariable,
    readonly variance: tf.LayerVariable,
  ) {}

  /** Adds `running_mean` (zeros) and `running_var` (ones) as non-trainable weights, named as in torch. */
  static add(add: AddWeight, channels: number): RunningStats {
    return new RunningStats(
      add('running_mean', [channels], tf.initializers.zeros(), false),
      add('running_var', [channels], tf.initializers.ones(), false),
    );
  }

  /** x̂ = (x − μ)/√(σ² + eps); updates the running statistics in training. Call inside tidy. */
  normalize(
    x: tf.Tensor,
    training: boolean,
    opts: { epsilon: number; momentum: number; layerName: string },
  ): tf.Tensor {
    if (!training) return tf.mul(tf.sub(x, this.mean.read()), tf.rsqrt(tf.add(this.variance.read(), opts.epsilon)));
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const n = x.size / x.shape[x.rank - 1];
    if (n < 2) {
      throw new Error(
        `Batch norm "${opts.layerName}" needs more than one value per channel in training (got batch × positions = ${n}); use a batch size of 2 or more.`,
      );
    }
    const { mean, variance } = tf.moments(x, axes);
    const m = opts.momentum;
    this.mean.write(tf.add(tf.mul(this.mean.read(), 1 - m), tf.mul(mean, m)));
    this.variance.write(tf.add(tf.mul(this.variance.read(), 1 - m), tf.mul(variance, (m * n) / (n - 1))));
    return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, opts.epsilon)));
  }
}
