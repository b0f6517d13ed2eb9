import * as tf from '@tensorflow/tfjs';
import { spectralNormalize, spectralSigma, torchDefaultInit, normaliseInPlace, spectralVectorInit, weightSeed } from './spectral';

type Kwargs = { training?: boolean };

export interface SNConfig {
  spectralNorm?: boolean;
  useBias?: boolean;
  /** Base seed for the weights' initialisers (mixed with the layer name). */
  seed?: number;
}

/**
 * The weight of a layer as used in one forward: spectrally normalised (updating u in training) or as stored.
 * `toMatrix` views the stored kernel as K [n, out]; `fromMatrix` turns the normalised K back.
 */
function effectiveKernel(
  layer: { kernel: tf.LayerVariable; u: tf.LayerVariable | null },
  training: boolean,
  toMatrix: (k: tf.Tensor) => tf.Tensor2D,
  fromMatrix: (k: tf.Tensor2D) => tf.Tensor,
): tf.Tensor {
  const kernel = layer.kernel.read();
  if (!layer.u) return kernel;
  const { weight, newU } = spectralNormalize(toMatrix(kernel), layer.u.read() as tf.Tensor1D, training);
  if (newU) {
    layer.u.write(newU);
    (newU as tf.Tensor).dispose();
  }
  return fromMatrix(weight);
}

/** 2-D convolution, stride 1, "same" padding, with an optional spectral norm on its kernel. */
export class SNConv2D extends tf.layers.Layer {
  static className = 'SaganSNConv2D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly useBias: boolean;
  readonly spectralNorm: boolean;
  readonly seed: number;
  kernel!: tf.LayerVariable;
  bias: tf.LayerVariable | null = null;
  u: tf.LayerVariable | null = null;

  constructor(config: { filters: number; kernelSize: number; name?: string } & SNConfig) {
    super(config);
    this.filters = config.filters;
    this.kernelSize = config.kernelSize;
    this.useBias = config.useBias ?? true;
    this.spectralNorm = config.spectralNorm ?? true;
    this.seed = config.seed ?? 0;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const cin = (inputShape as number[])[3]!;
    const fanIn = cin * this.kernelSize * this.kernelSize;
    this.kernel = this.addWeight('kernel', [this.kernelSize, this.kernelSize, cin, this.filters], 'float32', torchDefaultInit(fanIn, weightSeed(this.seed, `${this.name}/kernel`)));
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', torchDefaultInit(fanIn, weightSeed(this.seed, `${this.name}/bias`)));
    if (this.spectralNorm) this.u = normaliseInPlace(this.addWeight('u', [this.filters], 'float32', spectralVectorInit(weightSeed(this.seed, `${this.name}/u`)), undefined, false));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [s[0]!, s[1]!, s[2]!, this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const shape = this.kernel.shape;
      const w = effectiveKernel(this, kwargs.training === true, (k) => k.reshape([-1, this.filters]), (k) => k.reshape(shape as number[])) as tf.Tensor4D;
      const y = this.kernelSize === 1 ? conv1x1(x, w) : tf.conv2d(x, w, 1, 'same');
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  /** Current σ estimate (no update), for the logs. */
  sigma(): tf.Scalar {
    if (!this.u) return tf.scalar(1);
    return spectralSigma(this.kernel.read().reshape([-1, this.filters]), this.u.read() as tf.Tensor1D);
  }

  sigmas(): { name: string; sigma: tf.Scalar }[] {
    return this.u ? [{ name: this.name, sigma: this.sigma() }] : [];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, useBias: this.useBias, spectralNorm: this.spectralNorm, seed: this.seed };
  }
}

/** A 1×1 convolution as one matmul over [B·H·W, C]. */
export function conv1x1(x: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D {
  const [b, h, wd, c] = x.shape;
  const cout = w.shape[3];
  return tf.matMul(x.reshape([b * h * wd, c]), w.reshape([c, cout])).reshape([b, h, wd, cout]);
}

/** Fully connected layer with an optional spectral norm on its kernel [in, out]. */
export class SNDense extends tf.layers.Layer {
  static className = 'SaganSNDense';
  readonly units: number;
  readonly useBias: boolean;
  readonly spectralNorm: boolean;
  readonly seed: number;
  kernel!: tf.LayerVariable;
  bias: tf.LayerVariable | null = null;
  u: tf.LayerVariable | null = null;

  constructor(config: { units: number; name?: string } & SNConfig) {
    super(config);
    this.units = config.units;
    this.useBias = config.useBias ?? true;
    this.spectralNorm = config.spectralNorm ?? true;
    this.seed = config.seed ?? 0;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const fanIn = (inputShape as number[])[(inputShape as number[]).length - 1]!;
    this.kernel = this.addWeight('kernel', [fanIn, this.units], 'float32', torchDefaultInit(fanIn, weightSeed(this.seed, `${this.name}/kernel`)));
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], 'float32', torchDefaultInit(fanIn, weightSeed(this.seed, `${this.name}/bias`)));
    if (this.spectralNorm) this.u = normaliseInPlace(this.addWeight('u', [this.units], 'float32', spectralVectorInit(weightSeed(this.seed, `${this.name}/u`)), undefined, false));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [...s.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
      const w = effectiveKernel(this, kwargs.training === true, (k) => k as tf.Tensor2D, (k) => k) as tf.Tensor2D;
      const y = tf.matMul(x, w);
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  sigma(): tf.Scalar {
    if (!this.u) return tf.scalar(1);
    return spectralSigma(this.kernel.read() as tf.Tensor2D, this.u.read() as tf.Tensor1D);
  }

  sigmas(): { name: string; sigma: tf.Scalar }[] {
    return this.u ? [{ name: this.name, sigma: this.sigma() }] : [];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, useBias: this.useBias, spectralNorm: this.spectralNorm, seed: this.seed };
  }
}

tf.serialization.registerClass(SNConv2D);
tf.serialization.registerClass(SNDense);
