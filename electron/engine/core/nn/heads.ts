import * as tf from '@tensorflow/tfjs';
import { flatLabels } from './norm';
import { spectralNormalize, spectralSigma, torchDefaultInit, normaliseInPlace, spectralVectorInit, weightSeed } from './spectral';

type Kwargs = { training?: boolean };

/** Sums each channel over all positions: [B, H, W, C] → [B, C]. */
export class GlobalSumPool extends tf.layers.Layer {
  static className = 'SaganGlobalSumPool';
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [s[0]!, s[3]!];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.sum((Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D, [1, 2]));
  }
}

/**
 * Projection discriminator head (Miyato & Koyama): score = Linear(h) + Σ_c h_c·E[y]_c, both spectrally normalised.
 * The embedding E [classes, C] is normalised as PyTorch's spectral_norm does on nn.Embedding (dim 0): its
 * matrix is E itself, with u ∈ R^classes — i.e. K = Eᵀ [C, classes] in our [n, out] convention.
 */
export class ProjectionHead extends tf.layers.Layer {
  static className = 'SaganProjectionHead';
  readonly numClasses: number;
  readonly spectralNorm: boolean;
  readonly useBias: boolean;
  readonly seed: number;
  kernel!: tf.LayerVariable;
  bias: tf.LayerVariable | null = null;
  u: tf.LayerVariable | null = null;
  embeddings!: tf.LayerVariable;
  embeddingU: tf.LayerVariable | null = null;

  constructor(config: { name?: string; numClasses: number; spectralNorm?: boolean; useBias?: boolean; seed?: number }) {
    super(config);
    this.numClasses = config.numClasses;
    this.spectralNorm = config.spectralNorm ?? true;
    this.useBias = config.useBias ?? true;
    this.seed = config.seed ?? 0;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = (inputShape as tf.Shape[])[0]![1]!;
    const seed = (part: string) => weightSeed(this.seed, `${this.name}/${part}`);
    this.kernel = this.addWeight('linear/kernel', [c, 1], 'float32', torchDefaultInit(c, seed('linear/kernel')));
    if (this.useBias) this.bias = this.addWeight('linear/bias', [1], 'float32', torchDefaultInit(c, seed('linear/bias')));
    // nn.Embedding initialises N(0, 1).
    this.embeddings = this.addWeight('embedding/embeddings', [this.numClasses, c], 'float32', tf.initializers.randomNormal({ mean: 0, stddev: 1, seed: seed('embedding') }));
    if (this.spectralNorm) {
      this.u = normaliseInPlace(this.addWeight('linear/u', [1], 'float32', spectralVectorInit(seed('linear/u')), undefined, false));
      this.embeddingU = normaliseInPlace(this.addWeight('embedding/u', [this.numClasses], 'float32', spectralVectorInit(seed('embedding/u')), undefined, false));
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [(inputShape as tf.Shape[])[0]![0]!, 1];
  }

  private normalized(k: tf.Tensor2D, u: tf.LayerVariable | null, training: boolean): tf.Tensor2D {
    if (!u) return k;
    const { weight, newU } = spectralNormalize(k, u.read() as tf.Tensor1D, training);
    if (newU) {
      u.write(newU);
      (newU as tf.Tensor).dispose();
    }
    return weight;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const [h, labels] = inputs as [tf.Tensor2D, tf.Tensor];
      const training = kwargs.training === true;
      const w = this.normalized(this.kernel.read() as tf.Tensor2D, this.u, training);
      let score = tf.matMul(h, w);
      if (this.bias) score = tf.add(score, this.bias.read());
      const table = this.normalized((this.embeddings.read() as tf.Tensor2D).transpose(), this.embeddingU, training).transpose();
      const projection = tf.sum(tf.mul(h, tf.gather(table, flatLabels(labels))), 1, true);
      return tf.add(score, projection);
    });
  }

  sigmas(): { name: string; sigma: tf.Scalar }[] {
    const out: { name: string; sigma: tf.Scalar }[] = [];
    if (this.u) out.push({ name: `${this.name}/linear`, sigma: spectralSigma(this.kernel.read() as tf.Tensor2D, this.u.read() as tf.Tensor1D) });
    if (this.embeddingU) out.push({ name: `${this.name}/embedding`, sigma: spectralSigma((this.embeddings.read() as tf.Tensor2D).transpose(), this.embeddingU.read() as tf.Tensor1D) });
    return out;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numClasses: this.numClasses, spectralNorm: this.spectralNorm, useBias: this.useBias, seed: this.seed };
  }
}

tf.serialization.registerClass(GlobalSumPool);
tf.serialization.registerClass(ProjectionHead);
