import { describe, expect, it } from 'vitest';
import { seededRandom, shuffledBatches } from './random';
import type { IndexedImages } from './random';

const toy: IndexedImages = {
  size: 7,
  height: 1,
  width: 1,
  channels: 1,
  labels: Int32Array.from([0, 1, 2, 3, 4, 5, 6]),
  copyImage: (i, out, offset) => void (out[offset] = i),
};

describe('seededRandom', () => {
  it('draws the same normals and ints for the same seed, different ones for another', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    expect(Array.from(a.normal(9))).toEqual(Array.from(b.normal(9)));
    expect(Array.from(a.ints(20, 10))).toEqual(Array.from(b.ints(20, 10)));
    expect(Array.from(seededRandom(43).normal(4))).not.toEqual(Array.from(seededRandom(42).normal(4)));
  });

  it('is standard normal and uniform over the classes', () => {
    const x = seededRandom(1).normal(200_000);
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    const counts = new Array(10).fill(0);
    for (const v of seededRandom(2).ints(100_000, 10)) counts[v]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('continues exactly from a saved state (JSON round trip)', () => {
    const a = seededRandom(5);
    a.normal(13);
    const saved = JSON.parse(JSON.stringify(a.getState()));
    const expected = Array.from(a.normal(6));
    const b = seededRandom(999);
    b.setState(saved);
    expect(Array.from(b.normal(6))).toEqual(expected);
    expect(() => b.setState('nonsense')).toThrow(/Invalid random-generator state/);
  });
});

describe('shuffledBatches', () => {
  it('visits every image once per epoch, in a seeded order, with its label', () => {
    const src = shuffledBatches(toy, 3);
    const seen = [...src.next(4).images, ...src.next(3).images];
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const batch = src.next(2);
    expect(Array.from(batch.labels)).toEqual(Array.from(batch.images));
    expect(batch.shape).toEqual([2, 1, 1, 1]);
    expect(Array.from(shuffledBatches(toy, 3).next(7).images)).toEqual(seen);
  });

  it('resumes the same order from its state, across epoch boundaries', () => {
    const a = shuffledBatches(toy, 11);
    a.next(5);
    const state = JSON.parse(JSON.stringify(a.getState()));
    const expected = [a.next(4), a.next(6)].map((b) => Array.from(b.images));
    const b = shuffledBatches(toy, 11);
    b.setState(state);
    expect([b.next(4), b.next(6)].map((x) => Array.from(x.images))).toEqual(expected);
  });
});
