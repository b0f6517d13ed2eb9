/**
 * xoshiro128** (Blackman & Vigna) seeded through splitmix32: fast, good enough for noise and shuffling, and its
 * whole state is four 32-bit integers, so a checkpoint can store it as JSON and a resumed run continues the
 * exact stream. The stream for a given seed is part of the checkpoint format: do not change it.
 */
export class Xoshiro128 {
  private readonly s = new Uint32Array(4);

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`A random seed must be a whole number, got ${seed}.`);
    let x = seed >>> 0; // seeds are taken modulo 2^32
    const splitmix32 = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    for (let i = 0; i < 4; i++) this.s[i] = splitmix32();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1), with 32 random bits. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** The four state words, as plain JSON. */
  getState(): [number, number, number, number] {
    return [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!];
  }

  /** Restores getState()'s words; throws a RangeError naming the problem if they are not a valid state. */
  setState(words: unknown): void {
    if (!isStateWords(words))
      throw new RangeError('Invalid random-generator state: expected four 32-bit unsigned integers, not all zero.');
    this.s.set(words);
  }
}

export function isStateWords(words: unknown): words is [number, number, number, number] {
  return (
    Array.isArray(words) &&
    words.length === 4 &&
    words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) &&
    words.some((w) => w !== 0) // the all-zero state is a fixed point of xoshiro
  );
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
