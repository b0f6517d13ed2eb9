import * as tf from '@tensorflow/tfjs';
import { torchEmbedding } from './init';
import type { CallKwargs, LayerArgs } from './layer-utils';
import { isTraining, shapeList, singleInput, subSeed } from './layer-utils';
import { flattenLabels } from './labels';
import { SpectralKernel } from './spectral';

export interface SNEmbeddingArgs extends LayerArgs {
  numClasses: number;
  dim: number;
  spectralNorm?: boolean;
  seed?: number | null;
}

/**
 * Class embedding: labels ([B] or [B, 1] int32) → rows of `embeddings` [numClasses, dim], with optional
 * spectral normalisation. Orientation: torch's spectral_norm on nn.Embedding uses dim=0, so its matrix
 * is the table [numClasses, dim] itself and u ∈ R^numClasses (not R^dim as for conv/dense, where the
 * output axis is first in torch). We keep that: `u` has numClasses entries and maps to torch's weight_u.
 */
export class SNEmbedding extends tf.layers.Layer {
  static readonly className = 'SaganSNEmbedding';
  readonly numClasses: number;
  readonly dim: number;
  readonly spectralNorm: boolean;
  readonly seed: number | null;
  private table: SpectralKernel | null = null;

  constructor(args: SNEmbeddingArgs) {
    super(args);
    for (const [key, v] of [
      ['numClasses', args.numClasses],
      ['dim', args.dim],
    ] as const) {
      if (!Number.isInteger(v) || v < 1)
        throw new Error(`SNEmbedding "${this.name}": ${key} must be a positive integer, got ${v}.`);
    }
    this.numClasses = args.numClasses;
    this.dim = args.dim;
    this.spectralNorm = args.spectralNorm ?? true;
    this.seed = args.seed ?? null;
  }

  override build(): void {
    const add = (name: string, s: number[], init: ReturnType<typeof torchEmbedding>, trainable: boolean) =>
      this.addWeight(name, s, 'float32', init, undefined, trainable);
    this.table = SpectralKernel.add(
      add,
      { kernel: 'embeddings', u: 'u' },
      [this.numClasses, this.dim],
      torchEmbedding(subSeed(this.seed, 0)),
      {
        spectralNorm: this.spectralNorm,
        orientation: 'rowsOut',
        uSeed: subSeed(this.seed, 2),
      },
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [shapeList(inputShape)[0][0], this.dim];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor {
    return tf.tidy(() =>
      tf.gather(this.snTable().read(isTraining(kwargs)), flattenLabels(singleInput(inputs, this.name), this.name)),
    );
  }

  /** Current σ estimate (stored u, no update); the caller disposes it. Throws when SN is off. */
  sigma(): tf.Scalar {
    return this.snTable().sigma(this.name);
  }

  private snTable(): SpectralKernel {
    if (!this.table)
      throw new Error(`SNEmbedding "${this.name}" is used before it was built; call it on an input first.`);
    return this.table;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numClasses: this.numClasses,
      dim: this.dim,
      spectralNorm: this.spectralNorm,
      seed: this.seed,
    };
  }
}
tf.serialization.registerClass(SNEmbedding);
