import * as tf from '@tensorflow/tfjs';
import { torchUniform } from './init';
import type { CallKwargs, LayerArgs } from './layer-utils';
import { isTraining, knownChannels, shapeList, singleInput, subSeed } from './layer-utils';
import { SpectralKernel } from './spectral';

export interface SNConv2DArgs extends LayerArgs {
  filters: number;
  /** Odd kernel size (1, 3, 5, ...); stride 1, "same" padding, as torch's Conv2d(k, padding=k//2). */
  kernelSize: number;
  useBias?: boolean;
  /** Spectral normalisation on (the default); off gives a plain conv with the same weight names. */
  spectralNorm?: boolean;
  /** Seed for the kernel, bias and u initialisers; null/undefined draws unseeded. */
  seed?: number | null;
}

/** A 1×1 conv over NHWC is a matmul over [B·H·W, C]; cheaper than conv2d in every backend we use. */
export function pointwise(x: tf.Tensor, kernel: tf.Tensor, cOut: number): tf.Tensor {
  const cIn = x.shape[x.rank - 1];
  const y = tf.matMul(x.reshape([-1, cIn]), kernel.reshape([cIn, cOut]));
  return y.reshape([...x.shape.slice(0, -1), cOut]);
}

/** 2-D conv (NHWC, stride 1, same padding) with optional spectral normalisation; weights `kernel` [kh,kw,in,out], `bias`, `u`. */
export class SNConv2D extends tf.layers.Layer {
  static readonly className = 'SaganSNConv2D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly useBias: boolean;
  readonly spectralNorm: boolean;
  readonly seed: number | null;
  private weightsSn: SpectralKernel | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: SNConv2DArgs) {
    super(args);
    if (!Number.isInteger(args.filters) || args.filters < 1)
      throw new Error(`SNConv2D "${this.name}": filters must be a positive integer, got ${args.filters}.`);
    if (!Number.isInteger(args.kernelSize) || args.kernelSize < 1 || args.kernelSize % 2 === 0) {
      throw new Error(
        `SNConv2D "${this.name}": kernelSize must be an odd positive integer (1, 3, 5, ...) so "same" padding is symmetric, got ${args.kernelSize}.`,
      );
    }
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.useBias = args.useBias ?? true;
    this.spectralNorm = args.spectralNorm ?? true;
    this.seed = args.seed ?? null;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const cIn = knownChannels(shapeList(inputShape)[0], this.name);
    const k = this.kernelSize;
    const fanIn = k * k * cIn;
    const add = (name: string, shape: number[], init: ReturnType<typeof torchUniform>, trainable: boolean) =>
      this.addWeight(name, shape, 'float32', init, undefined, trainable);
    this.weightsSn = SpectralKernel.add(
      add,
      { kernel: 'kernel', u: 'u' },
      [k, k, cIn, this.filters],
      torchUniform(fanIn, subSeed(this.seed, 0)),
      {
        spectralNorm: this.spectralNorm,
        orientation: 'outLast',
        uSeed: subSeed(this.seed, 2),
      },
    );
    this.bias = this.useBias ? add('bias', [this.filters], torchUniform(fanIn, subSeed(this.seed, 1)), true) : null;
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = shapeList(inputShape)[0];
    return [...s.slice(0, -1), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = singleInput(inputs, this.name) as tf.Tensor4D;
      const kernel = this.snKernel().read(isTraining(kwargs));
      const y =
        this.kernelSize === 1 ? pointwise(x, kernel, this.filters) : tf.conv2d(x, kernel as tf.Tensor4D, 1, 'same');
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  /** Current σ estimate (stored u, no update); the caller disposes it. Throws when SN is off. */
  sigma(): tf.Scalar {
    return this.snKernel().sigma(this.name);
  }

  private snKernel(): SpectralKernel {
    if (!this.weightsSn)
      throw new Error(`SNConv2D "${this.name}" is used before it was built; call it on an input first.`);
    return this.weightsSn;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      useBias: this.useBias,
      spectralNorm: this.spectralNorm,
      seed: this.seed,
    };
  }
}
tf.serialization.registerClass(SNConv2D);
