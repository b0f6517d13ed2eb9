import { LATENT_TRUNCATION } from '../../../../graph-schemas';
import { Rng } from '../data/sampler';

/**
 * The latent explorer's noise: one vector per (seed, column), drawn from its own stream so that a column's noise
 * does not depend on how many columns are shown or on the truncation of the others, and interpolation between two
 * such vectors (linear or spherical).
 *
 * Truncation follows BigGAN's truncation trick (Brock et al. 2019, §3.1), the standard for SAGAN/BigGAN models:
 * z ~ N(0, I) with every component whose magnitude exceeds the threshold resampled until it falls inside. A lower
 * threshold trades variety for typical-looking images; components already inside it keep their values, so moving
 * the slider changes only the outlying ones. (StyleGAN's ψ, which scales w toward its mean, needs a mapping network
 * and a mean the SAGAN generator does not have.)
 */

/** Truncation thresholds the explorer accepts (the API's limits); null = no truncation. */
export const MIN_TRUNCATION = LATENT_TRUNCATION.min;
export const MAX_TRUNCATION = LATENT_TRUNCATION.max;

/** A noise vector's name: the grid's seed and its column. */
export interface NoiseRef {
  seed: number;
  column: number;
}

/** 32-bit seed of one column's stream: a murmur3-style mix of the grid's seed and the column index. */
export function columnSeed(seed: number, column: number): number {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`A seed must be a whole number ≥ 0, got ${seed}.`);
  if (!Number.isInteger(column) || column < 0)
    throw new RangeError(`A column must be a whole number ≥ 0, got ${column}.`);
  let h = (seed >>> 0) ^ Math.imul(column + 1, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** n standard normals, each resampled from the same stream while |z| > threshold (BigGAN truncation); null: plain. */
export function truncatedNormal(rng: Pick<Rng, 'normal'>, n: number, threshold: number | null): Float32Array {
  const out = rng.normal(n);
  if (threshold === null) return out;
  if (!(threshold >= MIN_TRUNCATION && threshold <= MAX_TRUNCATION))
    throw new RangeError(
      `The truncation threshold must be from ${MIN_TRUNCATION} to ${MAX_TRUNCATION}, got ${threshold}.`,
    );
  for (let i = 0; i < n; i++) {
    // P(|z| ≤ 0.05) ≈ 4 %: a few dozen draws at most on average, so this ends quickly even at the lowest threshold.
    while (Math.abs(out[i]!) > threshold) out[i] = rng.normal(1)[0]!;
  }
  return out;
}

/** The noise vector of a column: the same for every class row, and for every grid that shows that seed. */
export function columnNoise(ref: NoiseRef, zDim: number, truncation: number | null): Float32Array {
  return truncatedNormal(new Rng(columnSeed(ref.seed, ref.column)), zDim, truncation);
}

export function lerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  sameLength(a, b);
  return a.map((v, i) => (1 - t) * v + t * b[i]!);
}

/** Below this angle (radians) between a and b, slerp is linear interpolation (sin ω ≈ 0 would divide by zero). */
const PARALLEL_EPSILON = 1e-4;

/**
 * Spherical interpolation (Shoemake; for GAN noise, White 2016 "Sampling Generative Networks"): along the great
 * circle between the directions of a and b, with weights sin((1−t)ω)/sin ω and sin(tω)/sin ω, so the norm stays near
 * that of a Gaussian sample instead of shrinking mid-way as it does on the straight line. Near-parallel vectors
 * (and zero vectors) fall back to lerp; antiparallel ones have no unique great circle, and are lerped too.
 */
export function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  sameLength(a, b);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  if (na === 0 || nb === 0) return lerp(a, b, t);
  const cos = Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
  const omega = Math.acos(cos);
  const sin = Math.sin(omega);
  if (omega < PARALLEL_EPSILON || Math.PI - omega < PARALLEL_EPSILON) return lerp(a, b, t);
  const wa = Math.sin((1 - t) * omega) / sin;
  const wb = Math.sin(t * omega) / sin;
  return a.map((v, i) => wa * v + wb * b[i]!);
}

export type InterpolationMode = 'linear' | 'spherical';

/** `frames` vectors from a to b at t = i/(frames−1): the first is a and the last is b exactly. */
export function interpolate(a: Float32Array, b: Float32Array, frames: number, mode: InterpolationMode): Float32Array[] {
  if (!Number.isInteger(frames) || frames < 2)
    throw new RangeError(`An interpolation needs at least 2 frames, got ${frames}.`);
  const step = mode === 'spherical' ? slerp : lerp;
  return Array.from({ length: frames }, (_, i) =>
    i === 0 ? a.slice() : i === frames - 1 ? b.slice() : step(a, b, i / (frames - 1)),
  );
}

function sameLength(a: Float32Array, b: Float32Array) {
  if (a.length !== b.length)
    throw new RangeError(`Cannot interpolate between vectors of ${a.length} and ${b.length} values.`);
}
