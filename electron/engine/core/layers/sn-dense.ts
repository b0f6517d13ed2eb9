import * as tf from '@tensorflow/tfjs';
import { torchUniform } from './init';
import type { CallKwargs, LayerArgs } from './layer-utils';
import { isTraining, knownChannels, shapeList, singleInput, subSeed } from './layer-utils';
import { SpectralKernel } from './spectral';

export interface SNDenseArgs extends LayerArgs {
  units: number;
  useBias?: boolean;
  /** Spectral normalisation on (the default); off gives a plain dense layer with the same weight names. */
  spectralNorm?: boolean;
  seed?: number | null;
}

/** Dense layer [B, in] → [B, units] with optional spectral normalisation; weights `kernel` [in, units], `bias`, `u`. */
export class SNDense extends tf.layers.Layer {
  static readonly className = 'SaganSNDense';
  readonly units: number;
  readonly useBias: boolean;
  readonly spectralNorm: boolean;
  readonly seed: number | null;
  private weightsSn: SpectralKernel | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: SNDenseArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units < 1)
      throw new Error(`SNDense "${this.name}": units must be a positive integer, got ${args.units}.`);
    this.units = args.units;
    this.useBias = args.useBias ?? true;
    this.spectralNorm = args.spectralNorm ?? true;
    this.seed = args.seed ?? null;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = shapeList(inputShape)[0];
    if (shape.length !== 2)
      throw new Error(
        `SNDense "${this.name}" takes vectors [B, features], got shape [${shape.join(', ')}]; flatten or pool first.`,
      );
    const cIn = knownChannels(shape, this.name);
    const add = (name: string, s: number[], init: ReturnType<typeof torchUniform>, trainable: boolean) =>
      this.addWeight(name, s, 'float32', init, undefined, trainable);
    this.weightsSn = SpectralKernel.add(
      add,
      { kernel: 'kernel', u: 'u' },
      [cIn, this.units],
      torchUniform(cIn, subSeed(this.seed, 0)),
      {
        spectralNorm: this.spectralNorm,
        orientation: 'outLast',
        uSeed: subSeed(this.seed, 2),
      },
    );
    this.bias = this.useBias ? add('bias', [this.units], torchUniform(cIn, subSeed(this.seed, 1)), true) : null;
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [shapeList(inputShape)[0][0], this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = singleInput(inputs, this.name) as tf.Tensor2D;
      const y = tf.matMul(x, this.snKernel().read(isTraining(kwargs)) as tf.Tensor2D);
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  /** Current σ estimate (stored u, no update); the caller disposes it. Throws when SN is off. */
  sigma(): tf.Scalar {
    return this.snKernel().sigma(this.name);
  }

  private snKernel(): SpectralKernel {
    if (!this.weightsSn)
      throw new Error(`SNDense "${this.name}" is used before it was built; call it on an input first.`);
    return this.weightsSn;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      useBias: this.useBias,
      spectralNorm: this.spectralNorm,
      seed: this.seed,
    };
  }
}
tf.serialization.registerClass(SNDense);
