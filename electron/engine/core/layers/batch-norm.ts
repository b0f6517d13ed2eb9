import * as tf from '@tensorflow/tfjs';
import { RunningStats, TORCH_BN_EPSILON, TORCH_BN_MOMENTUM } from './batch-stats';
import type { CallKwargs, Initializer, LayerArgs } from './layer-utils';
import { isTraining, knownChannels, shapeList, singleInput } from './layer-utils';

export interface BatchNormArgs extends LayerArgs {
  epsilon?: number;
  momentum?: number;
}

/**
 * Batch norm with PyTorch semantics (nn.BatchNorm2d / 1d, affine): eps 1e-5, momentum 0.1, unbiased
 * running variance (see batch-stats.ts). Channels last; statistics over every other axis.
 * Weights: `gamma` (torch `weight`, init 1), `beta` (torch `bias`, init 0), `running_mean`, `running_var`.
 */
export class BatchNorm extends tf.layers.Layer {
  static readonly className = 'SaganBatchNorm';
  readonly epsilon: number;
  readonly momentum: number;
  private stats: RunningStats | null = null;
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;

  constructor(args: BatchNormArgs = {}) {
    super(args);
    this.epsilon = args.epsilon ?? TORCH_BN_EPSILON;
    this.momentum = args.momentum ?? TORCH_BN_MOMENTUM;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = knownChannels(shapeList(inputShape)[0], this.name);
    const add = (name: string, shape: number[], init: Initializer, trainable: boolean) =>
      this.addWeight(name, shape, 'float32', init, undefined, trainable);
    this.gamma = add('gamma', [c], tf.initializers.ones(), true);
    this.beta = add('beta', [c], tf.initializers.zeros(), true);
    this.stats = RunningStats.add(add, c);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return shapeList(inputShape)[0];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor {
    return tf.tidy(() => {
      if (!this.stats || !this.gamma || !this.beta)
        throw new Error(`BatchNorm "${this.name}" is used before it was built.`);
      const x = singleInput(inputs, this.name);
      const normalized = this.stats.normalize(x, isTraining(kwargs), {
        epsilon: this.epsilon,
        momentum: this.momentum,
        layerName: this.name,
      });
      return tf.add(tf.mul(normalized, this.gamma.read()), this.beta.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon, momentum: this.momentum };
  }
}
tf.serialization.registerClass(BatchNorm);
