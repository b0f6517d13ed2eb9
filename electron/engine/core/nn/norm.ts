import * as tf from '@tensorflow/tfjs';

type Kwargs = { training?: boolean };

export interface NormConfig {
  name?: string;
  epsilon?: number;
  /** PyTorch convention: weight of the new batch in the running averages. */
  momentum?: number;
}

/** Labels arrive as int32 [B, 1] (or [B]); flattened to [B]. */
export function flatLabels(labels: tf.Tensor): tf.Tensor1D {
  return labels.reshape([-1]).toInt() as tf.Tensor1D;
}

/**
 * Batch statistics with PyTorch semantics: normalise with the biased batch variance in training and update the
 * running mean/var (running var from the unbiased variance, momentum 0.1); use the running values at inference.
 * Written with moments because tf.batchNorm without scale/offset fails once its gradient is recorded.
 */
abstract class BatchStatistics extends tf.layers.Layer {
  readonly epsilon: number;
  readonly momentum: number;
  runningMean!: tf.LayerVariable;
  runningVar!: tf.LayerVariable;

  constructor(config: NormConfig) {
    super(config);
    this.epsilon = config.epsilon ?? 1e-5;
    this.momentum = config.momentum ?? 0.1;
  }

  protected buildStatistics(channels: number) {
    this.runningMean = this.addWeight('running_mean', [channels], 'float32', tf.initializers.zeros(), undefined, false);
    this.runningVar = this.addWeight('running_var', [channels], 'float32', tf.initializers.ones(), undefined, false);
  }

  protected normalize(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    if (!training) {
      return tf.mul(tf.sub(x, this.runningMean.read()), tf.rsqrt(tf.add(this.runningVar.read(), this.epsilon))) as tf.Tensor4D;
    }
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const count = x.shape[0] * x.shape[1] * x.shape[2];
    const m = this.momentum;
    this.runningMean.write(tf.add(tf.mul(this.runningMean.read(), 1 - m), tf.mul(mean, m)));
    this.runningVar.write(tf.add(tf.mul(this.runningVar.read(), 1 - m), tf.mul(variance, (m * count) / Math.max(count - 1, 1))));
    return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon))) as tf.Tensor4D;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon, momentum: this.momentum };
  }
}

/** Batch norm with a learned per-channel scale γ (init 1) and shift β (init 0). */
export class BatchNorm extends BatchStatistics {
  static className = 'SaganBatchNorm';
  scale!: tf.LayerVariable;
  offset!: tf.LayerVariable;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = (inputShape as number[])[3]!;
    this.scale = this.addWeight('gamma', [c], 'float32', tf.initializers.ones());
    this.offset = this.addWeight('beta', [c], 'float32', tf.initializers.zeros());
    this.buildStatistics(c);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      return tf.add(tf.mul(this.normalize(x, kwargs.training === true), this.scale.read()), this.offset.read());
    });
  }
}

/** Conditional batch norm: batch norm without affine, then γ[y] and β[y] from per-class tables (no spectral norm). */
export class ConditionalBatchNorm extends BatchStatistics {
  static className = 'SaganConditionalBatchNorm';
  readonly numClasses: number;
  gammaTable!: tf.LayerVariable;
  betaTable!: tf.LayerVariable;

  constructor(config: NormConfig & { numClasses: number }) {
    super(config);
    this.numClasses = config.numClasses;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = (inputShape as tf.Shape[])[0]![3]!;
    this.gammaTable = this.addWeight('gamma_embedding', [this.numClasses, c], 'float32', tf.initializers.ones());
    this.betaTable = this.addWeight('beta_embedding', [this.numClasses, c], 'float32', tf.initializers.zeros());
    this.buildStatistics(c);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const [x, labels] = inputs as [tf.Tensor4D, tf.Tensor];
      const y = flatLabels(labels);
      const c = x.shape[3];
      const gamma = tf.gather(this.gammaTable.read(), y).reshape([-1, 1, 1, c]);
      const beta = tf.gather(this.betaTable.read(), y).reshape([-1, 1, 1, c]);
      return tf.add(tf.mul(this.normalize(x, kwargs.training === true), gamma), beta);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numClasses: this.numClasses };
  }
}

tf.serialization.registerClass(BatchNorm);
tf.serialization.registerClass(ConditionalBatchNorm);
