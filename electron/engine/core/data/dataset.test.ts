import { describe, expect, it } from 'vitest';
import { byteImageDataset, imageLength, makeBatch } from './dataset';

const spec = () => ({
  name: 'tiny',
  height: 1,
  width: 2,
  channels: 3 as const,
  classes: 2,
  classNames: ['cat', 'dog'],
  labels: Int32Array.from([1, 0, 1]),
  pixels: Uint8Array.from([0, 255, 128, 1, 2, 3, 10, 20, 30, 40, 50, 60, 100, 110, 120, 130, 140, 150]),
});

describe('byteImageDataset', () => {
  it('maps bytes 0..255 to [-1, 1] and copies one HWC image at an offset', () => {
    const ds = byteImageDataset(spec());
    expect([ds.size, imageLength(ds), ds.classes, ds.classNames]).toEqual([3, 6, 2, ['cat', 'dog']]);
    const out = new Float32Array(8).fill(9);
    ds.copyImage(0, out, 1);
    expect(out[0]).toBe(9);
    expect(out[1]).toBe(-1);
    expect(out[2]).toBe(1);
    expect(out[3]).toBeCloseTo(128 / 127.5 - 1, 6);
    expect(out[7]).toBe(9);
  });

  it('refuses indexes and offsets outside the data, and inconsistent specs', () => {
    const ds = byteImageDataset(spec());
    expect(() => ds.copyImage(3, new Float32Array(6), 0)).toThrow(/Image 3 is outside dataset tiny \(3 images\)/);
    expect(() => ds.copyImage(-1, new Float32Array(6), 0)).toThrow(/outside/);
    expect(() => ds.copyImage(0, new Float32Array(6), 1)).toThrow(/No room/);
    expect(() => byteImageDataset({ ...spec(), pixels: new Uint8Array(17) })).toThrow(
      /17 pixel values do not make 3 images of 1×2×3/,
    );
    expect(() => byteImageDataset({ ...spec(), labels: Int32Array.from([0, 2, 1]) })).toThrow(/image 1 has label 2/);
    expect(() => byteImageDataset({ ...spec(), classNames: ['cat'] })).toThrow(/1 class names for 2 classes/);
    expect(() => byteImageDataset({ ...spec(), classes: 0, classNames: [] })).toThrow(/has label 1/);
  });
});

describe('makeBatch', () => {
  it('stacks the chosen images and labels in order, NHWC', () => {
    const ds = byteImageDataset(spec());
    const batch = makeBatch(ds, [2, 0, 2]);
    expect(batch.shape).toEqual([3, 1, 2, 3]);
    expect(Array.from(batch.labels)).toEqual([1, 1, 1]);
    const one = new Float32Array(6);
    ds.copyImage(2, one, 0);
    expect(Array.from(batch.images.subarray(0, 6))).toEqual(Array.from(one));
    expect(Array.from(batch.images.subarray(12, 18))).toEqual(Array.from(one));
    ds.copyImage(0, one, 0);
    expect(Array.from(batch.images.subarray(6, 12))).toEqual(Array.from(one));
    expect(makeBatch(ds, []).images.length).toBe(0);
  });
});
