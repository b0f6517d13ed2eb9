import * as tf from '@tensorflow/tfjs';
import { RunningStats, TORCH_BN_EPSILON, TORCH_BN_MOMENTUM } from './batch-stats';
import { flattenLabels } from './labels';
import type { CallKwargs, Initializer, LayerArgs } from './layer-utils';
import { isTraining, knownChannels, pairInput, shapeList } from './layer-utils';

export interface ConditionalBatchNormArgs extends LayerArgs {
  numClasses: number;
  epsilon?: number;
  momentum?: number;
}

/**
 * Conditional batch norm (SAGAN G): inputs [x [B,...,C], labels [B] or [B,1] int32].
 * y = BN(x) ⊙ gamma[label] + beta[label], where BN has no affine of its own (torch semantics, see
 * batch-stats.ts) and gamma/beta are plain per-class tables [numClasses, C] (init 1 and 0; no spectral
 * norm, which would undo gamma's init of 1). Weights: `gamma_embedding`, `beta_embedding` (torch `gamma.weight`,
 * `beta.weight`), `running_mean`, `running_var` (torch `bn.running_mean`, `bn.running_var`).
 */
export class ConditionalBatchNorm extends tf.layers.Layer {
  static readonly className = 'SaganConditionalBatchNorm';
  readonly numClasses: number;
  readonly epsilon: number;
  readonly momentum: number;
  private stats: RunningStats | null = null;
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;

  constructor(args: ConditionalBatchNormArgs) {
    super(args);
    if (!Number.isInteger(args.numClasses) || args.numClasses < 1) {
      throw new Error(
        `ConditionalBatchNorm "${this.name}": numClasses must be a positive integer, got ${args.numClasses}; with no classes use BatchNorm.`,
      );
    }
    this.numClasses = args.numClasses;
    this.epsilon = args.epsilon ?? TORCH_BN_EPSILON;
    this.momentum = args.momentum ?? TORCH_BN_MOMENTUM;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shapes = shapeList(inputShape);
    if (shapes.length !== 2)
      throw new Error(`ConditionalBatchNorm "${this.name}" takes two inputs [features, labels], got ${shapes.length}.`);
    const c = knownChannels(shapes[0], this.name);
    const add = (name: string, shape: number[], init: Initializer, trainable: boolean) =>
      this.addWeight(name, shape, 'float32', init, undefined, trainable);
    this.gamma = add('gamma_embedding', [this.numClasses, c], tf.initializers.ones(), true);
    this.beta = add('beta_embedding', [this.numClasses, c], tf.initializers.zeros(), true);
    this.stats = RunningStats.add(add, c);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return shapeList(inputShape)[0];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor {
    return tf.tidy(() => {
      if (!this.stats || !this.gamma || !this.beta)
        throw new Error(`ConditionalBatchNorm "${this.name}" is used before it was built.`);
      const [x, labels] = pairInput(inputs, this.name);
      const y = flattenLabels(labels, this.name);
      if (y.shape[0] !== x.shape[0])
        throw new Error(`ConditionalBatchNorm "${this.name}": ${y.shape[0]} labels for a batch of ${x.shape[0]}.`);
      const normalized = this.stats.normalize(x, isTraining(kwargs), {
        epsilon: this.epsilon,
        momentum: this.momentum,
        layerName: this.name,
      });
      // Per-sample [B, C] → [B, 1, ..., 1, C] so it broadcasts over the spatial axes.
      const perSample = [x.shape[0], ...x.shape.slice(1, -1).map(() => 1), x.shape[x.rank - 1]];
      const scale = tf.gather(this.gamma.read(), y).reshape(perSample);
      const shift = tf.gather(this.beta.read(), y).reshape(perSample);
      return tf.add(tf.mul(normalized, scale), shift);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numClasses: this.numClasses, epsilon: this.epsilon, momentum: this.momentum };
  }
}
tf.serialization.registerClass(ConditionalBatchNorm);
