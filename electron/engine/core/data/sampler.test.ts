import { describe, expect, it } from 'vitest';
import { byteImageDataset } from './dataset';
import { Xoshiro128 } from './prng';
import { EpochSampler, Rng, shuffledBatches } from './sampler';

describe('Xoshiro128', () => {
  // Reference values from an independent Python implementation of splitmix32 + xoshiro128** (32-bit masks).
  it('matches reference outputs for its seeding and for a known state', () => {
    const g = new Xoshiro128(0);
    expect(g.getState()).toEqual([2462723854, 1020716019, 454327756, 1275600319]);
    expect(Array.from({ length: 5 }, () => g.nextUint32())).toEqual([
      3809008728, 1133695204, 53579671, 2891528803, 139681546,
    ]);
    const h = new Xoshiro128(42);
    expect(Array.from({ length: 3 }, () => h.nextUint32())).toEqual([2837322924, 544945897, 479756282]);
    h.setState([1, 2, 3, 4]);
    expect(Array.from({ length: 5 }, () => h.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883]);
  });

  it('refuses non-integer seeds and invalid states', () => {
    expect(() => new Xoshiro128(1.5)).toThrow(/whole number/);
    const g = new Xoshiro128(1);
    expect(() => g.setState([0, 0, 0, 0])).toThrow(/not all zero/);
    expect(() => g.setState([1, 2, 3])).toThrow(/four 32-bit/);
    expect(() => g.setState([1, 2, 3, 2 ** 32])).toThrow(/four 32-bit/);
  });
});

describe('Rng', () => {
  it('draws the same values for the same seed and different ones for another', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    expect(Array.from(a.normal(9))).toEqual(Array.from(b.normal(9)));
    expect(Array.from(a.int(20, 10))).toEqual(Array.from(b.ints(20, 10)));
    expect(Array.from(a.uniform(5, -2, 2))).toEqual(Array.from(b.uniform(5, -2, 2)));
    expect(Array.from(new Rng(8).normal(4))).not.toEqual(Array.from(new Rng(7).normal(4)));
  });

  it('is standard normal, uniform in its range, and uniform over [0, max)', () => {
    const rng = new Rng(1);
    const x = rng.normal(100_001); // odd count: the last pair's second value is dropped
    expect(x.length).toBe(100_001);
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length;
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    expect(x.filter((v) => Math.abs(v) > 1.96).length / x.length).toBeCloseTo(0.05, 2);
    const u = rng.uniform(50_000, -1, 3);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...u)).toBeLessThan(3);
    expect(u.reduce((s, v) => s + v, 0) / u.length).toBeCloseTo(1, 1);
    const counts = new Array(10).fill(0);
    for (const v of rng.int(100_000, 10)) counts[v]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('continues exactly after a JSON round trip of its state, also from a bare four-word state', () => {
    const a = new Rng(5);
    a.normal(13);
    const saved = JSON.parse(JSON.stringify(a.getState()));
    expect(saved.algorithm).toBe('xoshiro128**');
    const expected = [Array.from(a.normal(6)), Array.from(a.int(4, 3))];
    const b = new Rng(999);
    b.setState(saved);
    expect([Array.from(b.normal(6)), Array.from(b.int(4, 3))]).toEqual(expected);
    const c = new Rng(999);
    c.setState(saved.words);
    expect(Array.from(c.normal(6))).toEqual(expected[0]);
    expect(() => c.setState('nonsense')).toThrow(/Invalid random-generator state/);
    expect(() => c.setState({ algorithm: 'mt19937', words: [1, 2, 3, 4] })).toThrow(/Invalid random-generator state/);
  });

  it('refuses bad counts and bounds', () => {
    const rng = new Rng(0);
    expect(() => rng.normal(-1)).toThrow(/count/);
    expect(() => rng.int(3, 0)).toThrow(/upper bound/);
    expect(() => rng.int(3, 2.5)).toThrow(/upper bound/);
    expect(rng.normal(0).length).toBe(0);
  });
});

describe('EpochSampler', () => {
  it('visits every index once per epoch, in a new seeded order each epoch', () => {
    const s = new EpochSampler(50, 3);
    const first = Array.from(s.next(50));
    const second = Array.from(s.next(50));
    expect([...first].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...second].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(second).not.toEqual(first);
    expect(first).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(s.epoch).toBe(1);
    expect(Array.from(new EpochSampler(50, 3).next(100))).toEqual([...first, ...second]);
    expect(Array.from(new EpochSampler(50, 4).next(50))).not.toEqual(first);
  });

  it('resumes from its JSON state exactly where an uninterrupted sampler would be, across epoch ends', () => {
    const uninterrupted = new EpochSampler(7, 11);
    const draws = Array.from({ length: 6 }, () => Array.from(uninterrupted.next(5)));
    const first = new EpochSampler(7, 11);
    first.next(5);
    first.next(5);
    const saved = JSON.parse(JSON.stringify(first.getState()));
    expect(saved).toEqual({ seed: 11, size: 7, epoch: 1, position: 3 });
    const resumed = new EpochSampler(7, 0); // the saved seed wins
    resumed.setState(saved);
    expect(Array.from({ length: 4 }, () => Array.from(resumed.next(5)))).toEqual(draws.slice(2));
  });

  it('accepts an older { epoch, position } state and refuses states for another dataset or out of range', () => {
    const a = new EpochSampler(9, 2);
    a.next(12);
    const b = new EpochSampler(9, 2);
    b.setState({ epoch: 1, position: 3 });
    expect(Array.from(b.next(8))).toEqual(Array.from(a.next(8)));
    expect(() => b.setState({ seed: 2, size: 10, epoch: 0, position: 0 })).toThrow(
      /dataset of 10 images, but this dataset has 9/,
    );
    expect(() => b.setState({ epoch: 0, position: 10 })).toThrow(/past the end/);
    expect(() => b.setState({ epoch: -1, position: 0 })).toThrow(/Invalid data-order state/);
    expect(() => b.setState(null)).toThrow(/Invalid data-order state/);
    expect(() => new EpochSampler(0, 1)).toThrow(/0 images/);
  });
});

describe('shuffledBatches', () => {
  // Image i is filled with byte i, so its pixels tell which image a batch holds.
  const ds = byteImageDataset({
    name: 'toy',
    height: 2,
    width: 1,
    channels: 1,
    classes: 3,
    classNames: ['a', 'b', 'c'],
    labels: Int32Array.from({ length: 6 }, (_, i) => i % 3),
    pixels: Uint8Array.from({ length: 12 }, (_, k) => Math.floor(k / 2)),
  });
  const imageIds = (images: Float32Array) =>
    Array.from(
      images.filter((_, k) => k % 2 === 0),
      (v) => Math.round((v + 1) * 127.5),
    );

  it('gives batches of images with their own labels, and the same batches again after a resume', () => {
    const run = shuffledBatches(ds, 5);
    const b1 = run.next(4);
    expect(b1.shape).toEqual([4, 2, 1, 1]);
    expect(Array.from(b1.labels)).toEqual(imageIds(b1.images).map((i) => i % 3));
    const saved = JSON.parse(JSON.stringify(run.getState()));
    const rest = [run.next(4), run.next(4)].map((b) => imageIds(b.images));
    expect(run.epoch).toBe(1);
    const resumed = shuffledBatches(ds, 5);
    resumed.setState(saved);
    expect([resumed.next(4), resumed.next(4)].map((b) => imageIds(b.images))).toEqual(rest);
  });

  it('draws exactly what an uninterrupted training loop draws when noise, labels and data resume together', () => {
    const step = (data: ReturnType<typeof shuffledBatches>, rng: Rng) => {
      const batch = data.next(4);
      return [imageIds(batch.images), Array.from(rng.normal(3)), Array.from(rng.int(4, 3))];
    };
    const data = shuffledBatches(ds, 9);
    const rng = new Rng(10);
    const all = Array.from({ length: 7 }, () => step(data, rng));
    const data2 = shuffledBatches(ds, 9);
    const rng2 = new Rng(10);
    for (let i = 0; i < 3; i++) step(data2, rng2);
    const checkpoint = JSON.stringify({ data: data2.getState(), rng: rng2.getState() });
    const restored = JSON.parse(checkpoint);
    const data3 = shuffledBatches(ds, 9);
    const rng3 = new Rng(10);
    data3.setState(restored.data);
    rng3.setState(restored.rng);
    expect(Array.from({ length: 4 }, () => step(data3, rng3))).toEqual(all.slice(3));
  });
});
