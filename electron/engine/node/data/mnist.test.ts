import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMnist, scanUnitArray } from './mnist';

const digitsFile = (d: number) =>
  join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits', `${d}.json`);
const image = (ds: Awaited<ReturnType<typeof loadMnist>>, i: number) => {
  const px = new Float32Array(ds.height * ds.width);
  ds.copyImage(i, px, 0);
  return px;
};

describe('built-in MNIST', () => {
  it('has 10,000 labelled digits, padded to 32×32 with background -1 and ink up to +1', async () => {
    const ds = await loadMnist();
    expect([ds.size, ds.height, ds.width, ds.channels, ds.classes]).toEqual([10_000, 32, 32, 1, 10]);
    expect(ds.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const counts = new Array(10).fill(0);
    for (const l of ds.labels) counts[l]++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    // The first "3" is the package's first digit of 3.json, 2 pixels in from the top left.
    const raw = (JSON.parse(readFileSync(digitsFile(3), 'utf8')) as { data: number[] }).data;
    const first3 = image(ds, ds.labels.indexOf(3));
    for (let y = 0; y < 28; y++)
      for (let x = 0; x < 28; x++)
        expect(Math.abs(first3[(y + 2) * 32 + x + 2]! - (raw[y * 28 + x]! * 2 - 1))).toBeLessThan(0.002);
    const border = [...first3.subarray(0, 64), ...first3.subarray(30 * 32)];
    expect(border.every((v) => v === -1)).toBe(true);
    expect(Math.max(...first3)).toBe(1);
  });

  it('gives the raw 28×28 digits at size 28 and scales the 32×32 frame up for larger sizes', async () => {
    const [d28, d32, d64] = await Promise.all([
      loadMnist({ size: 28 }),
      loadMnist({ size: 32 }),
      loadMnist({ size: 64 }),
    ]);
    const a = image(d28, 500);
    const b = image(d32, 500);
    expect(Array.from(a)).toEqual(
      Array.from({ length: 784 }, (_, i) => b[(Math.floor(i / 28) + 2) * 32 + (i % 28) + 2]),
    );
    const big = image(d64, 500);
    expect(big.length).toBe(4096);
    expect(Array.from(big.subarray(0, 64 * 3)).every((v) => v === -1)).toBe(true); // 2-pixel border became 4
    const meanInk = (px: Float32Array) => px.reduce((s, v) => s + (v + 1) / 2, 0) / px.length;
    expect(meanInk(big)).toBeCloseTo(meanInk(b), 2);
    expect(Array.from(d64.labels)).toEqual(Array.from(d32.labels));
  });

  it('refuses sizes below 28 unless downscaling is asked for', async () => {
    await expect(loadMnist({ size: 16 })).rejects.toThrow(/MNIST digits are 28×28; the document asks for 16×16/);
    await expect(loadMnist({ size: 0 })).rejects.toThrow(/whole number of pixels/);
    const small = await loadMnist({ size: 16, allowDownscale: true });
    expect([small.height, small.size]).toEqual([16, 10_000]);
    expect(Math.max(...image(small, 0))).toBeGreaterThan(0.5);
  });
});

describe('scanUnitArray', () => {
  const scan = (text: string) => scanUnitArray(new TextEncoder().encode(text));

  it('reads the package format exactly as JSON.parse would (to bytes)', () => {
    expect(Array.from(scan('{ "data": [0,0.2,0.624, 1 ,0.992,1.0]}')!)).toEqual(
      [0, 0.2, 0.624, 1, 0.992, 1].map((v) => Math.round(v * 255)),
    );
    const bytes = readFileSync(digitsFile(7));
    const expected = (JSON.parse(bytes.toString('utf8')) as { data: number[] }).data.map((v) => Math.round(v * 255));
    expect(Array.from(scanUnitArray(bytes)!)).toEqual(expected);
  });

  it('gives up (so the caller falls back to JSON.parse) on anything unexpected', () => {
    for (const text of [
      '{"data": [0, 1e-3]}',
      '{"data": [0, -0.5]}',
      '{"data": [0, 2]}',
      '{"data": [0, 0.]}',
      '{"pixels": [0]}',
      '{"data": [0, "1"]}',
      '{"data": [0, 1',
    ]) {
      expect(scan(text)).toBeNull();
    }
  });
});
