import * as tf from '@tensorflow/tfjs';
import { spectralNormalize, spectralSigma, torchDefaultInit, normaliseInPlace, spectralVectorInit, weightSeed } from './spectral';

type Kwargs = { training?: boolean };
export type AttentionVariant = 'official' | 'paper';

export interface SelfAttentionConfig {
  name?: string;
  variant: AttentionVariant;
  /** Max-pool keys and values 2×2 (official code): N/4 keys. */
  pooledKeys: boolean;
  useBias: boolean;
  spectralNorm: boolean;
  seed?: number;
}

interface Projection {
  name: string;
  cin: number;
  cout: number;
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
  u: tf.LayerVariable | null;
}

/**
 * SAGAN self-attention on an NHWC map: y = x + γ·out(Σ_j softmax_j(q_i·k_j) v_j), γ starting at 0.
 * official: q, k = 1×1 convs to C/8, v to C/2, out 1×1 back to C (keys/values optionally 2×2 max-pooled);
 * paper: q, k, v to C/8 and out from C/8. The 1×1 convs are matmuls over [B·N, C]; no 1/√d scaling.
 * It can hand back the softmax rows of chosen query pixels from the same forward (setAttentionProbe).
 */
export class SelfAttention extends tf.layers.Layer {
  static className = 'SaganSelfAttention';
  readonly variant: AttentionVariant;
  readonly pooledKeys: boolean;
  readonly useBias: boolean;
  readonly spectralNorm: boolean;
  readonly seed: number;
  private projections: Record<'query' | 'key' | 'value' | 'out', Projection> | null = null;
  gamma!: tf.LayerVariable;
  private probe: number[] | null = null;
  private probed: { maps: tf.Tensor3D; keyHeight: number; keyWidth: number } | null = null;

  constructor(config: SelfAttentionConfig) {
    super(config);
    this.variant = config.variant;
    this.pooledKeys = config.pooledKeys;
    this.useBias = config.useBias;
    this.spectralNorm = config.spectralNorm;
    this.seed = config.seed ?? 0;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = (inputShape as number[])[3]!;
    const c8 = Math.floor(c / 8);
    const cv = this.variant === 'official' ? Math.floor(c / 2) : c8;
    const make = (name: string, cin: number, cout: number): Projection => ({
      name,
      cin,
      cout,
      kernel: this.addWeight(`${name}/kernel`, [1, 1, cin, cout], 'float32', torchDefaultInit(cin, weightSeed(this.seed, `${this.name}/${name}/kernel`))),
      bias: this.useBias ? this.addWeight(`${name}/bias`, [cout], 'float32', torchDefaultInit(cin, weightSeed(this.seed, `${this.name}/${name}/bias`))) : null,
      u: this.spectralNorm ? normaliseInPlace(this.addWeight(`${name}/u`, [cout], 'float32', spectralVectorInit(weightSeed(this.seed, `${this.name}/${name}/u`)), undefined, false)) : null,
    });
    this.projections = { query: make('query', c, c8), key: make('key', c, c8), value: make('value', c, cv), out: make('out', cv, c) };
    this.gamma = this.addWeight('gamma', [], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return inputShape as tf.Shape;
  }

  /** A 1×1 conv over rows [M, cin] → [M, cout], with the kernel spectrally normalised. */
  private project(p: Projection, rows: tf.Tensor2D, training: boolean): tf.Tensor2D {
    let w: tf.Tensor2D = p.kernel.read().reshape([p.cin, p.cout]);
    if (p.u) {
      const { weight, newU } = spectralNormalize(w, p.u.read() as tf.Tensor1D, training);
      if (newU) {
        p.u.write(newU);
        (newU as tf.Tensor).dispose();
      }
      w = weight;
    }
    const y = tf.matMul(rows, w);
    return (p.bias ? tf.add(y, p.bias.read()) : y) as tf.Tensor2D;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const [b, h, w, c] = x.shape;
      const n = h * w;
      const training = kwargs.training === true;
      const p = this.projections!;
      const rows = x.reshape([b * n, c]) as tf.Tensor2D;
      const q = this.project(p.query, rows as tf.Tensor2D, training).reshape([b, n, p.query.cout]);
      let k: tf.Tensor = this.project(p.key, rows, training);
      let v: tf.Tensor = this.project(p.value, rows, training);
      let kh = h;
      let kw = w;
      if (this.pooledKeys) {
        k = tf.maxPool(k.reshape([b, h, w, p.key.cout]) as tf.Tensor4D, 2, 2, 'valid');
        v = tf.maxPool(v.reshape([b, h, w, p.value.cout]) as tf.Tensor4D, 2, 2, 'valid');
        kh = h / 2;
        kw = w / 2;
      }
      const keys = kh * kw;
      const attention = tf.softmax(tf.matMul(q, k.reshape([b, keys, p.key.cout]), false, true)) as tf.Tensor3D; // [b, n, keys]
      if (this.probe) {
        this.probed?.maps.dispose();
        this.probed = { maps: tf.keep(tf.gather(attention, this.probe, 1)) as tf.Tensor3D, keyHeight: kh, keyWidth: kw };
      }
      const o = tf.matMul(attention, v.reshape([b, keys, p.value.cout])).reshape([b * n, p.value.cout]) as tf.Tensor2D;
      const out = this.project(p.out, o, training).reshape([b, h, w, c]);
      return tf.add(x, tf.mul(this.gamma.read(), out));
    });
  }

  /** Keep the softmax rows of these query pixels (row-major h·W + w) at the next forward; null stops. */
  setAttentionProbe(queryIndices: number[] | null): void {
    this.probe = queryIndices && queryIndices.length > 0 ? [...queryIndices] : null;
    if (!this.probe) {
      this.probed?.maps.dispose();
      this.probed = null;
    }
  }

  /** The probed rows [B, Q, keys] of the last forward; the caller owns (and disposes) them. */
  takeProbedAttention(): { maps: tf.Tensor3D; keyHeight: number; keyWidth: number } | null {
    const out = this.probed;
    this.probed = null;
    return out;
  }

  gammaValue(): number {
    return this.gamma.read().dataSync()[0]!;
  }

  /** σ of each projection (no update), for the logs. */
  sigmas(): { name: string; sigma: tf.Scalar }[] {
    if (!this.projections) return [];
    return Object.values(this.projections)
      .filter((p) => p.u)
      .map((p) => ({ name: `${this.name}/${p.name}`, sigma: spectralSigma(p.kernel.read().reshape([p.cin, p.cout]) as tf.Tensor2D, p.u!.read() as tf.Tensor1D) }));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), variant: this.variant, pooledKeys: this.pooledKeys, useBias: this.useBias, spectralNorm: this.spectralNorm, seed: this.seed };
  }
}

tf.serialization.registerClass(SelfAttention);
