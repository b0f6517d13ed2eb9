import * as tf from '@tensorflow/tfjs';
import { torchEmbedding, torchUniform } from './init';
import { flattenLabels } from './labels';
import type { CallKwargs, Initializer, LayerArgs } from './layer-utils';
import { isTraining, knownChannels, pairInput, shapeList, subSeed } from './layer-utils';
import { SpectralKernel } from './spectral';

export interface ProjectionHeadArgs extends LayerArgs {
  numClasses: number;
  useBias?: boolean;
  spectralNorm?: boolean;
  seed?: number | null;
}

/**
 * Projection discriminator head (Miyato & Koyama): inputs [h [B, C], labels [B] or [B,1] int32],
 * out [B, 1] = linear(h) + Σ_c h ⊙ embedding[label]. Both are spectral-normalised when spectralNorm is on,
 * the embedding with torch's orientation for nn.Embedding (u ∈ R^numClasses, see SNEmbedding).
 * Weights: `linear/kernel` [C,1], `linear/bias`, `linear/u`, `embedding/embeddings` [numClasses, C],
 * `embedding/u` (sagan_torch.py's D holds these as `lin` and `emb`).
 */
export class ProjectionHead extends tf.layers.Layer {
  static readonly className = 'SaganProjectionHead';
  readonly numClasses: number;
  readonly useBias: boolean;
  readonly spectralNorm: boolean;
  readonly seed: number | null;
  private linear: SpectralKernel | null = null;
  private bias: tf.LayerVariable | null = null;
  private embedding: SpectralKernel | null = null;

  constructor(args: ProjectionHeadArgs) {
    super(args);
    if (!Number.isInteger(args.numClasses) || args.numClasses < 1) {
      throw new Error(
        `ProjectionHead "${this.name}": numClasses must be a positive integer, got ${args.numClasses}; without classes use an SNDense with 1 unit.`,
      );
    }
    this.numClasses = args.numClasses;
    this.useBias = args.useBias ?? true;
    this.spectralNorm = args.spectralNorm ?? true;
    this.seed = args.seed ?? null;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shapes = shapeList(inputShape);
    if (shapes.length !== 2 || shapes[0].length !== 2) {
      throw new Error(
        `ProjectionHead "${this.name}" takes [features [B, C], labels]; pool the feature map to a vector first (global sum pool).`,
      );
    }
    const c = knownChannels(shapes[0], this.name);
    const add = (name: string, s: number[], init: Initializer, trainable: boolean) =>
      this.addWeight(name, s, 'float32', init, undefined, trainable);
    const sn = (uSeed: number | undefined, orientation: 'outLast' | 'rowsOut') => ({
      spectralNorm: this.spectralNorm,
      orientation,
      uSeed,
    });
    this.linear = SpectralKernel.add(
      add,
      { kernel: 'linear/kernel', u: 'linear/u' },
      [c, 1],
      torchUniform(c, subSeed(this.seed, 0)),
      sn(subSeed(this.seed, 2), 'outLast'),
    );
    this.bias = this.useBias ? add('linear/bias', [1], torchUniform(c, subSeed(this.seed, 1)), true) : null;
    this.embedding = SpectralKernel.add(
      add,
      { kernel: 'embedding/embeddings', u: 'embedding/u' },
      [this.numClasses, c],
      torchEmbedding(subSeed(this.seed, 'embedding')),
      sn(subSeed(this.seed, 'embedding/u'), 'rowsOut'),
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [shapeList(inputShape)[0][0], 1];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor {
    return tf.tidy(() => {
      if (!this.linear || !this.embedding)
        throw new Error(`ProjectionHead "${this.name}" is used before it was built.`);
      const [h, labels] = pairInput(inputs, this.name) as [tf.Tensor2D, tf.Tensor];
      const training = isTraining(kwargs);
      let score = tf.matMul(h, this.linear.read(training) as tf.Tensor2D);
      if (this.bias) score = tf.add(score, this.bias.read());
      const classRows = tf.gather(this.embedding.read(training), flattenLabels(labels, this.name));
      return tf.add(score, tf.sum(tf.mul(h, classRows), 1, true));
    });
  }

  /** Current σ of the linear part or the embedding (stored u, no update); the caller disposes it. */
  sigma(part: 'linear' | 'embedding'): tf.Scalar {
    const k = part === 'linear' ? this.linear : this.embedding;
    if (!k) throw new Error(`ProjectionHead "${this.name}" is used before it was built.`);
    return k.sigma(`${this.name}/${part}`);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numClasses: this.numClasses,
      useBias: this.useBias,
      spectralNorm: this.spectralNorm,
      seed: this.seed,
    };
  }
}
tf.serialization.registerClass(ProjectionHead);
