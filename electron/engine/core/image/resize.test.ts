import { describe, expect, it } from 'vitest';
import { prepareImage, resample, resizeCenterCrop, rgbaToChannels, toBytes } from './resize';

const row = (...v: number[]) => Float32Array.from(v);
const close = (actual: Float32Array, expected: number[], digits = 4) => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, digits));
};

describe('resample', () => {
  it('leaves an image unchanged at its own size', () => {
    const src = Float32Array.from({ length: 12 }, (_, i) => i * 7);
    expect(Array.from(resample(src, 3, 2, 2, 3, 2))).toEqual(Array.from(src));
  });

  it('averages exact areas when shrinking, fractional edges included', () => {
    // 4×4 → 2×2: means of 2×2 blocks.
    const src = Float32Array.from([0, 10, 100, 110, 20, 30, 120, 130, 200, 210, 50, 60, 220, 230, 70, 80]);
    close(resample(src, 4, 4, 1, 2, 2), [15, 115, 215, 65]);
    // 3 → 2 along one axis: each output covers 1.5 source pixels.
    close(resample(row(0, 90, 180), 3, 1, 1, 2, 1), [(0 + 0.5 * 90) / 1.5, (0.5 * 90 + 180) / 1.5]);
  });

  it('interpolates linearly between pixel centres when enlarging, clamping at the edges', () => {
    close(resample(row(0, 255), 2, 1, 1, 4, 1), [0, 63.75, 191.25, 255]);
    close(resample(row(0, 100, 10, 200), 1, 2, 2, 1, 4), [0, 100, 2.5, 125, 7.5, 175, 10, 200]);
  });

  it('keeps a constant image constant and preserves the mean of an integer downscale, for many sizes', () => {
    const sizes = [
      [7, 5, 3, 2],
      [5, 9, 11, 13],
      [16, 16, 5, 5],
      [31, 17, 8, 4],
    ];
    for (const [w, h, sw, sh] of sizes) {
      const out = resample(new Float32Array(w! * h! * 3).fill(77), w!, h!, 3, sw!, sh!);
      for (const v of out) expect(v).toBeCloseTo(77, 3);
    }
    const src = Float32Array.from({ length: 36 }, (_, i) => (i * 37) % 255);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(resample(src, 6, 6, 1, 2, 2))).toBeCloseTo(mean(src), 3);
  });

  it('refuses a crop outside the scaled image and input of the wrong length', () => {
    expect(() => resample(new Float32Array(4), 2, 2, 1, 2, 2, { x: 1, y: 0, width: 2, height: 2 })).toThrow(
      /outside the 2×2/,
    );
    expect(() => resample(new Float32Array(3), 2, 2, 1, 2, 2)).toThrow(/needs 4 values, got 3/);
  });
});

describe('resizeCenterCrop', () => {
  it('scales the shorter side to size and keeps the centre square', () => {
    // 8×4, pixel value = column: already 4 high, so columns 2..5 are kept.
    const src = Float32Array.from({ length: 32 }, (_, i) => i % 8);
    const out = resizeCenterCrop(src, 8, 4, 1, 4);
    expect(Array.from(out.subarray(0, 4))).toEqual([2, 3, 4, 5]);
    // 4 wide × 8 high, value = row: rows 2..5.
    const tall = Float32Array.from({ length: 32 }, (_, i) => Math.floor(i / 4));
    expect(Array.from(resizeCenterCrop(tall, 4, 8, 1, 4)).filter((_, i) => i % 4 === 0)).toEqual([2, 3, 4, 5]);
    // 6×4 → 2×2: scale 1/2 makes 3×2; the centre column of three is dropped from the left (floor).
    const wide = Float32Array.from({ length: 24 }, (_, i) => Math.floor((i % 6) / 2) * 100);
    close(resizeCenterCrop(wide, 6, 4, 1, 2), [0, 100, 0, 100]);
  });

  it('refuses a size that is not a positive whole number', () => {
    expect(() => resizeCenterCrop(new Float32Array(4), 2, 2, 1, 0)).toThrow(/whole number of pixels/);
  });
});

describe('rgbaToChannels and prepareImage', () => {
  const rgba = Uint8Array.from([255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 128, 200, 200, 200, 255]);

  it('converts RGB to Rec. 601 luma and composites alpha over black or white', () => {
    close(rgbaToChannels(rgba, 4, 1, 1), [0.299 * 255, 0, 0.587 * 255 * (128 / 255), 200], 3);
    close(
      rgbaToChannels(rgba, 4, 1, 3, 'white').subarray(3, 9),
      [255, 255, 255, 255 * (127 / 255), 255, 255 * (127 / 255)],
      3,
    );
    close(rgbaToChannels(rgba, 4, 1, 3).subarray(0, 6), [255, 0, 0, 0, 0, 0]);
  });

  it('gives bytes of size×size×channels, gray replicated to RGB', () => {
    const gray = Uint8Array.from({ length: 16 * 4 }, (_, i) => (i % 4 === 3 ? 255 : 90));
    const out = prepareImage(gray, 4, 4, { size: 2, channels: 3 });
    expect(Array.from(out)).toEqual(new Array(12).fill(90));
    expect(() => rgbaToChannels(gray, 4, 3, 1)).toThrow(/needs 48 bytes, got 64/);
  });

  it('rounds and clamps to bytes', () => {
    expect(Array.from(toBytes(Float32Array.from([-3, 0.4, 0.6, 254.6, 300, NaN])))).toEqual([0, 0, 1, 255, 255, 0]);
  });
});
