import * as tf from '@tensorflow/tfjs';
import { attend } from './attend';
import { torchUniform } from './init';
import type { CallKwargs, Initializer, LayerArgs } from './layer-utils';
import { isTraining, shapeList, singleInput, subSeed } from './layer-utils';
import { SpectralKernel } from './spectral';

export type AttentionVariant = 'official' | 'paper';

export interface SelfAttentionArgs extends LayerArgs {
  /**
   * official (authors' TF code, BigGAN, StudioGAN, and the PyTorch reference peer): query/key C→C/8,
   * value C→C/2, out C/2→C. paper (eq. 1–3): query/key/value C→C/8, out C/8→C.
   */
  variant?: AttentionVariant;
  /** 2×2 max-pool the keys and values (N/4 keys; H and W must be even), as the official TF code does. */
  pooledKeys?: boolean;
  useBias?: boolean;
  spectralNorm?: boolean;
  seed?: number | null;
}

/** Rows of the attention matrix kept by a probe: [B, Q, N'] over a keyHeight × keyWidth key grid. */
export interface ProbedAttention {
  maps: tf.Tensor3D;
  keyHeight: number;
  keyWidth: number;
}

/** The four 1×1 projections, named so they map onto the reference: query↔f, key↔g, value↔h, out↔o. */
const PROJECTIONS = ['query', 'key', 'value', 'out'] as const;
type Projection = (typeof PROJECTIONS)[number];

interface ProjectionWeights {
  kernel: SpectralKernel;
  bias: tf.LayerVariable | null;
  cIn: number;
  cOut: number;
}

/**
 * SAGAN self-attention over NHWC: θ = query(x), φ = key(x), g = value(x) (1×1 convs, as matmuls over
 * [B·H·W, C]; optionally 2×2 max-pooled keys/values), β = softmax over keys of θ_i·φ_j (no 1/√d),
 * o_i = Σ_j β_ij g_j, y = x + γ·out(o) with γ a trainable scalar starting at 0.
 * With variant official, pooledKeys false, useBias true this is sagan_torch.py's SelfAttention exactly.
 * Weights: `query|key|value|out/kernel` [1,1,in,out], `…/bias`, `…/u`, `gamma` (scalar).
 */
export class SelfAttention extends tf.layers.Layer {
  static readonly className = 'SaganSelfAttention';
  readonly variant: AttentionVariant;
  readonly pooledKeys: boolean;
  readonly useBias: boolean;
  readonly spectralNorm: boolean;
  readonly seed: number | null;
  private projections: Record<Projection, ProjectionWeights> | null = null;
  private gammaWeight: tf.LayerVariable | null = null;
  private probeRows: number[] | null = null;
  private probed: ProbedAttention | null = null;

  constructor(args: SelfAttentionArgs = {}) {
    super(args);
    this.variant = args.variant ?? 'official';
    if (this.variant !== 'official' && this.variant !== 'paper')
      throw new Error(
        `SelfAttention "${this.name}": variant must be "official" or "paper", got "${String(this.variant)}".`,
      );
    this.pooledKeys = args.pooledKeys ?? false;
    this.useBias = args.useBias ?? true;
    this.spectralNorm = args.spectralNorm ?? true;
    this.seed = args.seed ?? null;
  }

  private widths(c: number): Record<Projection, [number, number]> {
    const qk = c / 8;
    const v = this.variant === 'official' ? c / 2 : c / 8;
    return { query: [c, qk], key: [c, qk], value: [c, v], out: [v, c] };
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = shapeList(inputShape)[0];
    const c = shape[3];
    if (shape.length !== 4 || c == null)
      throw new Error(
        `SelfAttention "${this.name}" takes feature maps [B, H, W, C] with known C, got [${shape.join(', ')}].`,
      );
    if (c % 8 !== 0)
      throw new Error(
        `SelfAttention "${this.name}": C must be divisible by 8 (queries and keys have C/8 channels), got C = ${c}.`,
      );
    const add = (name: string, s: number[], init: Initializer, trainable: boolean) =>
      this.addWeight(name, s, 'float32', init, undefined, trainable);
    const widths = this.widths(c);
    const made = {} as Record<Projection, ProjectionWeights>;
    PROJECTIONS.forEach((p) => {
      const [cIn, cOut] = widths[p];
      const seedBase = subSeed(this.seed, p);
      const kernel = SpectralKernel.add(
        add,
        { kernel: `${p}/kernel`, u: `${p}/u` },
        [1, 1, cIn, cOut],
        torchUniform(cIn, subSeed(seedBase, 0)),
        {
          spectralNorm: this.spectralNorm,
          orientation: 'outLast',
          uSeed: subSeed(seedBase, 2),
        },
      );
      const bias = this.useBias ? add(`${p}/bias`, [cOut], torchUniform(cIn, subSeed(seedBase, 1)), true) : null;
      made[p] = { kernel, bias, cIn, cOut };
    });
    this.projections = made;
    this.gammaWeight = add('gamma', [], tf.initializers.zeros(), true);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return shapeList(inputShape)[0];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor {
    return tf.tidy(() => {
      const proj = this.projections;
      const gamma = this.gammaWeight;
      if (!proj || !gamma) throw new Error(`SelfAttention "${this.name}" is used before it was built.`);
      const x = singleInput(inputs, this.name) as tf.Tensor4D;
      const [b, h, w, c] = x.shape;
      const training = isTraining(kwargs);
      const flat = x.reshape([b * h * w, c]) as tf.Tensor2D;
      const project = (p: Projection, input: tf.Tensor2D): tf.Tensor2D => {
        const { kernel, bias, cIn, cOut } = proj[p];
        const y = tf.matMul(input, kernel.read(training).reshape([cIn, cOut])) as tf.Tensor2D;
        return bias ? (tf.add(y, bias.read()) as tf.Tensor2D) : y;
      };
      const query = project('query', flat).reshape([b, h * w, proj.query.cOut]) as tf.Tensor3D;
      let key = project('key', flat);
      let value = project('value', flat);
      let [keyHeight, keyWidth] = [h, w];
      if (this.pooledKeys) {
        if (h % 2 !== 0 || w % 2 !== 0)
          throw new Error(
            `SelfAttention "${this.name}" pools keys 2×2 and needs even height and width, got ${h}×${w}; turn pooled keys off.`,
          );
        const pool = (t: tf.Tensor2D) => tf.maxPool(t.reshape([b, h, w, t.shape[1]]) as tf.Tensor4D, 2, 2, 'valid');
        key = pool(key).reshape([-1, proj.key.cOut]) as tf.Tensor2D;
        value = pool(value).reshape([-1, proj.value.cOut]) as tf.Tensor2D;
        [keyHeight, keyWidth] = [h / 2, w / 2];
      }
      const keys = key.reshape([b, keyHeight * keyWidth, proj.key.cOut]) as tf.Tensor3D;
      const values = value.reshape([b, keyHeight * keyWidth, proj.value.cOut]) as tf.Tensor3D;
      this.captureProbe(query, keys, keyHeight, keyWidth);
      // softmax(query·keysᵀ)·values, [B, N, N'] rows summing to 1, in chunks that bound the N×N' memory (see attend.ts).
      const attended = attend(query, keys, values).reshape([b * h * w, proj.value.cOut]) as tf.Tensor2D;
      const out = project('out', attended).reshape([b, h, w, c]);
      return tf.add(x, tf.mul(gamma.read(), out));
    });
  }

  /**
   * Keep, on every following forward, the attention rows of these query positions (flattened row-major,
   * i = h·W + w); null stops probing. The rows come from the same forward, so no second pass is needed.
   */
  setAttentionProbe(queryIndices: number[] | null): void {
    if (queryIndices !== null) {
      const bad = queryIndices.find((i) => !Number.isInteger(i) || i < 0);
      if (bad !== undefined)
        throw new Error(
          `SelfAttention "${this.name}": probe query indices must be non-negative integers (h·W + w), got ${bad}.`,
        );
      if (queryIndices.length === 0)
        throw new Error(`SelfAttention "${this.name}": give at least one probe query index, or null to stop probing.`);
    }
    this.probeRows = queryIndices === null ? null : [...queryIndices];
    if (queryIndices === null) this.discardProbe();
  }

  /** The rows kept by the last probed forward, handed over (the caller disposes `maps`); null if none. */
  takeProbedAttention(): ProbedAttention | null {
    const p = this.probed;
    this.probed = null;
    return p;
  }

  /** The probed rows of softmax(query·keysᵀ), computed for those queries only (the full N×N' matrix is never kept). */
  private captureProbe(query: tf.Tensor3D, keys: tf.Tensor3D, keyHeight: number, keyWidth: number): void {
    const rows = this.probeRows;
    if (rows === null) return;
    const n = query.shape[1];
    const outside = rows.find((i) => i >= n);
    if (outside !== undefined)
      throw new Error(
        `SelfAttention "${this.name}": probe query index ${outside} is outside the ${n} positions of this feature map.`,
      );
    this.discardProbe();
    this.probed = {
      maps: tf.keep(tf.softmax(tf.matMul(tf.gather(query, rows, 1), keys, false, true)) as tf.Tensor3D),
      keyHeight,
      keyWidth,
    };
  }

  private discardProbe(): void {
    this.probed?.maps.dispose();
    this.probed = null;
  }

  /** γ, the weight of the attention branch (for logging): the variable itself, to read (asynchronously), never dispose. */
  gamma(): tf.Scalar {
    if (!this.gammaWeight) throw new Error(`SelfAttention "${this.name}" has no γ before it is built.`);
    return this.gammaWeight.read() as tf.Scalar;
  }

  /** Current σ of one projection (stored u, no update); the caller disposes it. Throws when SN is off. */
  sigma(projection: Projection): tf.Scalar {
    if (!this.projections) throw new Error(`SelfAttention "${this.name}" is used before it was built.`);
    return this.projections[projection].kernel.sigma(`${this.name}/${projection}`);
  }

  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    this.discardProbe();
    return super.dispose();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      variant: this.variant,
      pooledKeys: this.pooledKeys,
      useBias: this.useBias,
      spectralNorm: this.spectralNorm,
      seed: this.seed,
    };
  }
}
tf.serialization.registerClass(SelfAttention);
