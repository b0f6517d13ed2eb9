import * as tf from '@tensorflow/tfjs';
import { l2Normalize, unitNormal } from './init';
import type { AddWeight, Initializer } from './layer-utils';

/*
 * Spectral normalisation, following PyTorch's torch.nn.utils.spectral_norm (the reference peer
 * sagan_torch.py uses it). Our weight matrix is M = kernel reshaped to [-1, out] (conv [kh,kw,in,out],
 * dense [in,out]), i.e. the transpose of torch's [out, -1]; the persistent u ∈ R^out is the same vector
 * as torch's `weight_u`, and σ = uᵀ Mᵀ v equals torch's σ = uᵀ W_torch v.
 *
 * Training forward: ONE power iteration v = normalize(M u), u = normalize(Mᵀ v), store u, then
 * σ = uᵀ Mᵀ v with u, v constants (no gradient through the power iteration; it flows through M in σ),
 * W_sn = W / σ. This is torch's training-mode numerics exactly. torch updates u on every training
 * forward (so twice per iteration for a D that sees real and fake in two passes); the official SAGAN
 * TF code updates D's u on the real pass only. We follow torch.
 *
 * Inference (training falsy): no update; σ from the stored u with v = normalize(M u) recomputed. torch
 * instead keeps the v of the last training step, so eval outputs match torch only approximately
 * (exactly when the weights have not changed since the last training forward).
 */

/** How a kernel's shape maps to the SN matrix. */
export type SpectralOrientation =
  /** conv [kh,kw,in,out] / dense [in,out]: M = [-1, out], u ∈ R^out (torch dim=0 on [out, ...]). */
  | 'outLast'
  /** embedding table [numClasses, dim]: torch's spectral_norm uses dim=0, so u ∈ R^numClasses; M = tableᵀ. */
  | 'rowsOut';

function matVec(m: tf.Tensor2D, x: tf.Tensor1D): tf.Tensor1D {
  return tf.matMul(m, x.reshape([-1, 1])).reshape([-1]);
}

function matTVec(m: tf.Tensor2D, x: tf.Tensor1D): tf.Tensor1D {
  return tf.matMul(m, x.reshape([-1, 1]), true, false).reshape([-1]);
}

/**
 * v = normalize(M u) and, when `update`, the next u = normalize(Mᵀ v), computed off the gradient tape:
 * inside a customGrad forward tfjs records nothing, and the custom gradient is zero, so u and v act
 * as constants (torch computes them under no_grad).
 */
function powerIteration(m: tf.Tensor2D, u: tf.Tensor1D, update: boolean): { v: tf.Tensor1D; u: tf.Tensor1D } {
  const step = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [mIn, uIn] = args as [tf.Tensor2D, tf.Tensor1D];
    const v = l2Normalize(matVec(mIn, uIn));
    const value = update ? tf.concat([v, l2Normalize(matTVec(mIn, v))]) : v;
    return { value, gradFunc: () => [tf.zerosLike(mIn), tf.zerosLike(uIn)] };
  });
  const packed = step(m, u) as tf.Tensor1D;
  if (!update) return { v: packed, u };
  const n = m.shape[0];
  return { v: packed.slice(0, n), u: packed.slice(n) };
}

/** σ = vᵀ M u (= uᵀ Mᵀ v), differentiable in M only; `update` runs the power-iteration step first. */
export function spectralSigma(m: tf.Tensor2D, u: tf.Tensor1D, update: boolean): { sigma: tf.Scalar; u: tf.Tensor1D } {
  const it = powerIteration(m, u, update);
  return { sigma: tf.sum(tf.mul(it.v, matVec(m, it.u))), u: it.u };
}

/** A kernel weight with optional spectral normalisation: the variables a layer added and how to read them. */
export class SpectralKernel {
  private constructor(
    readonly kernel: tf.LayerVariable,
    /** The persistent power-iteration vector, a non-trainable weight (saved with the model); null without SN. */
    readonly u: tf.LayerVariable | null,
    private readonly orientation: SpectralOrientation,
  ) {}

  /**
   * Adds `kernelName` (trainable) and, with SN, `uName` (non-trainable, u ∈ R^out) through the layer's
   * addWeight. Weight names stay predictable (`kernel`/`u`, `query/kernel`/`query/u`, `embeddings`/`u`).
   */
  static add(
    add: AddWeight,
    names: { kernel: string; u: string },
    shape: number[],
    init: Initializer,
    options: { spectralNorm: boolean; orientation: SpectralOrientation; uSeed: number | undefined },
  ): SpectralKernel {
    const kernel = add(names.kernel, shape, init, true);
    const outDim = options.orientation === 'outLast' ? shape[shape.length - 1] : shape[0];
    const u = options.spectralNorm ? add(names.u, [outDim], unitNormal(options.uSeed), false) : null;
    return new SpectralKernel(kernel, u, options.orientation);
  }

  get spectralNorm(): boolean {
    return this.u !== null;
  }

  private matrix(k: tf.Tensor): tf.Tensor2D {
    if (this.orientation === 'rowsOut') return tf.transpose(k as tf.Tensor2D);
    return k.reshape([-1, k.shape[k.rank - 1]]);
  }

  /** The kernel to compute with: W without SN, else W/σ; a training read also advances and stores u. Call inside tidy. */
  read(training: boolean): tf.Tensor {
    const k = this.kernel.read();
    if (this.u === null) return k;
    const { sigma, u } = spectralSigma(this.matrix(k), this.u.read() as tf.Tensor1D, training);
    if (training) this.u.write(u);
    return tf.div(k, sigma);
  }

  /** The current σ estimate from the stored u, without updating it (for logging). The caller disposes it. */
  sigma(layerName: string): tf.Scalar {
    const u = this.u;
    if (u === null) throw new Error(`Layer "${layerName}" has spectral normalisation off, so it has no σ to report.`);
    return tf.tidy(() => spectralSigma(this.matrix(this.kernel.read()), u.read() as tf.Tensor1D, false).sigma);
  }
}
