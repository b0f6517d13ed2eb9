import { makeBatch } from './dataset';
import type { Batch, ImageDataset } from './dataset';
import { isStateWords, Xoshiro128 } from './prng';

/** Plain-JSON state of an `Rng`. */
export interface RngState {
  algorithm: 'xoshiro128**';
  words: [number, number, number, number];
}

/**
 * Seeded noise, uniforms and integers for training (latent vectors, fake labels), so runs are reproducible and a
 * resumed run draws exactly what an uninterrupted one would. Normals use Box–Muller without a cached spare,
 * so the generator's four words are the whole state.
 */
export class Rng {
  private readonly g: Xoshiro128;

  constructor(seed: number) {
    this.g = new Xoshiro128(seed);
  }

  /** n standard normal samples. */
  normal(n: number): Float32Array {
    const out = new Float32Array(checkCount(n));
    for (let i = 0; i < n; i += 2) {
      const u1 = 1 - this.g.nextFloat(); // (0, 1]: log stays finite
      const u2 = this.g.nextFloat();
      const r = Math.sqrt(-2 * Math.log(u1));
      out[i] = r * Math.cos(2 * Math.PI * u2);
      if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
    }
    return out;
  }

  /** n uniform samples in [low, high). */
  uniform(n: number, low = 0, high = 1): Float32Array {
    const out = new Float32Array(checkCount(n));
    for (let i = 0; i < n; i++) out[i] = low + (high - low) * this.g.nextFloat();
    return out;
  }

  /** n integers uniform in [0, max) (bias below max / 2^32, negligible for class counts). */
  int(n: number, max: number): Int32Array {
    if (!Number.isInteger(max) || max < 1 || max > 0x7fffffff)
      throw new RangeError(`Random integers need a whole-number upper bound of at least 1, got ${max}.`);
    const out = new Int32Array(checkCount(n));
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.g.nextFloat() * max);
    return out;
  }

  /** Alias of `int`, matching the trainer's `RandomSource` interface. */
  ints(n: number, max: number): Int32Array {
    return this.int(n, max);
  }

  getState(): RngState {
    return { algorithm: 'xoshiro128**', words: this.g.getState() };
  }

  /** Restores a `getState()` value (also a bare four-word array, as older checkpoints stored it). */
  setState(state: unknown): void {
    const words = isStateWords(state)
      ? state
      : (state as Partial<RngState> | null)?.algorithm === 'xoshiro128**'
        ? (state as RngState).words
        : undefined;
    if (!isStateWords(words))
      throw new RangeError(
        'Invalid random-generator state in the checkpoint: expected { algorithm: "xoshiro128**", words: [four 32-bit integers] }.',
      );
    this.g.setState(words);
  }
}

/** Plain-JSON state of an `EpochSampler`. */
export interface SamplerState {
  seed: number;
  /** Dataset size the order was made for. */
  size: number;
  epoch: number;
  /** Next position in this epoch's order. */
  position: number;
}

/**
 * Visits 0..size-1 in a fresh seeded shuffle every epoch (Fisher–Yates), continuing into the next epoch when a
 * request crosses the end. Each epoch's order depends only on (seed, epoch), so the state is four numbers.
 */
export class EpochSampler {
  private order: Uint32Array;

  constructor(
    readonly size: number,
    private seed: number,
    private currentEpoch = 0,
    private currentPosition = 0,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`Cannot sample from a dataset of ${size} images.`);
    if (!Number.isSafeInteger(seed)) throw new RangeError(`A random seed must be a whole number, got ${seed}.`);
    this.order = epochOrder(size, seed, currentEpoch);
  }

  get epoch(): number {
    return this.currentEpoch;
  }

  get position(): number {
    return this.currentPosition;
  }

  /** The next `count` indices. */
  next(count: number): Int32Array {
    const out = new Int32Array(checkCount(count));
    for (let i = 0; i < count; i++) {
      if (this.currentPosition >= this.size) {
        this.currentEpoch++;
        this.currentPosition = 0;
        this.order = epochOrder(this.size, this.seed, this.currentEpoch);
      }
      out[i] = this.order[this.currentPosition++]!;
    }
    return out;
  }

  getState(): SamplerState {
    return { seed: this.seed, size: this.size, epoch: this.currentEpoch, position: this.currentPosition };
  }

  /**
   * Restores a `getState()` value. The saved seed wins (the resumed run continues the saved order); a state made
   * for a dataset of another size is refused, since its order would not mean the same images.
   */
  setState(state: unknown): void {
    const s = (state ?? {}) as Partial<SamplerState>;
    const whole = (v: unknown, min: number) => Number.isSafeInteger(v) && (v as number) >= min;
    if (
      !whole(s.epoch, 0) ||
      !whole(s.position, 0) ||
      (s.seed !== undefined && !Number.isSafeInteger(s.seed)) ||
      (s.size !== undefined && !whole(s.size, 1))
    ) {
      throw new RangeError(
        'Invalid data-order state in the checkpoint: expected { seed, size, epoch, position } as whole numbers.',
      );
    }
    if (s.size !== undefined && s.size !== this.size) {
      throw new RangeError(
        `The checkpoint's data order was made for a dataset of ${s.size} images, but this dataset has ${this.size}. Resume with the same dataset, or start a new run.`,
      );
    }
    if (s.position! > this.size)
      throw new RangeError(
        `Invalid data-order state in the checkpoint: position ${s.position} is past the end of a ${this.size}-image epoch.`,
      );
    this.seed = s.seed ?? this.seed;
    this.currentEpoch = s.epoch!;
    this.currentPosition = s.position!;
    this.order = epochOrder(this.size, this.seed, this.currentEpoch);
  }
}

/** The permutation for one epoch. Its generator's seed, (seed·1000003 + epoch) mod 2^32, is part of the checkpoint format. */
export function epochOrder(size: number, seed: number, epoch: number): Uint32Array {
  const g = new Xoshiro128(Number((BigInt(seed) * 1000003n + BigInt(epoch)) & 0xffffffffn));
  const p = new Uint32Array(size);
  for (let i = 0; i < size; i++) p[i] = i;
  for (let i = size - 1; i > 0; i--) {
    const j = g.nextUint32() % (i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** Batches of a dataset in shuffled epochs, with the sampler's state for checkpoints. */
export interface ShuffledBatches {
  next(batchSize: number): Batch;
  readonly epoch: number;
  getState(): SamplerState;
  setState(state: unknown): void;
}

export function shuffledBatches(ds: ImageDataset, seed: number): ShuffledBatches {
  const sampler = new EpochSampler(ds.size, seed);
  return {
    next: (batchSize) => makeBatch(ds, sampler.next(batchSize)),
    get epoch() {
      return sampler.epoch;
    },
    getState: () => sampler.getState(),
    setState: (state) => sampler.setState(state),
  };
}

function checkCount(n: number): number {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`Cannot draw ${n} values; the count must be a whole number of at least 0.`);
  return n;
}
