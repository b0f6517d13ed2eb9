import type { BatchSource, RandomSource } from './rng-source';

/**
 * xoshiro128** with a splitmix32 seeder: fast, seedable, and its whole state is four integers, so a checkpoint
 * can store it and a resumed run draws exactly what an uninterrupted run would have.
 */
export class Xoshiro128 {
  private s: Uint32Array;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s = Uint32Array.of(next(), next(), next(), next());
  }

  /** A uniform 32-bit integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  getState(): number[] {
    return Array.from(this.s);
  }

  setState(state: unknown): void {
    if (!Array.isArray(state) || state.length !== 4 || !state.every((v) => Number.isInteger(v))) throw new Error('Invalid random-generator state in the checkpoint.');
    this.s = Uint32Array.from(state as number[]);
  }
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/** Seeded noise and labels for training (Box–Muller normals; no cached spare, so the state is only the generator's). */
export function seededRandom(seed: number): RandomSource {
  const g = new Xoshiro128(seed);
  return {
    normal(n) {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i += 2) {
        const u1 = 1 - g.nextFloat();
        const u2 = g.nextFloat();
        const r = Math.sqrt(-2 * Math.log(u1));
        out[i] = r * Math.cos(2 * Math.PI * u2);
        if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
      }
      return out;
    },
    ints(n, max) {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(g.nextFloat() * max);
      return out;
    },
    getState: () => g.getState(),
    setState: (s) => g.setState(s),
  };
}

/** What a batch source needs of a dataset: its size, labels and a way to copy one image ([-1, 1], NHWC). */
export interface IndexedImages {
  size: number;
  height: number;
  width: number;
  channels: number;
  labels: Int32Array;
  copyImage(index: number, out: Float32Array, offset: number): void;
}

/** Shuffled epochs in a seeded order; the state (seed, epoch, position) makes resumption exact. */
export function shuffledBatches(ds: IndexedImages, seed: number): BatchSource {
  let epoch = 0;
  let position = 0;
  let order = permutation(ds.size, seed, epoch);
  const pixels = ds.height * ds.width * ds.channels;
  return {
    next(batchSize) {
      const images = new Float32Array(batchSize * pixels);
      const labels = new Int32Array(batchSize);
      for (let b = 0; b < batchSize; b++) {
        if (position >= order.length) {
          epoch++;
          position = 0;
          order = permutation(ds.size, seed, epoch);
        }
        const index = order[position++]!;
        ds.copyImage(index, images, b * pixels);
        labels[b] = ds.labels[index]!;
      }
      return { images, labels, shape: [batchSize, ds.height, ds.width, ds.channels] };
    },
    getState: () => ({ epoch, position }),
    setState(state) {
      const s = state as { epoch?: unknown; position?: unknown };
      if (!Number.isInteger(s?.epoch) || !Number.isInteger(s?.position)) throw new Error('Invalid data-order state in the checkpoint.');
      epoch = s.epoch as number;
      position = s.position as number;
      order = permutation(ds.size, seed, epoch);
    },
  };
}

function permutation(n: number, seed: number, epoch: number): Uint32Array {
  const g = new Xoshiro128((seed * 1000003 + epoch) >>> 0);
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = g.nextUint32() % (i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}
