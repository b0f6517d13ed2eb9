import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../data/prng';
import { kernelDistance } from './kid';

const rng = new Xoshiro128(4);
const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
const rows = (n: number, d: number, shift: number) => Float32Array.from({ length: n * d }, () => gauss() + shift);

describe('kernelDistance (KID)', () => {
  it('is about zero between two samples of one distribution and clearly positive for a shifted one', async () => {
    const d = 8;
    const a = rows(200, d, 0);
    const b = rows(200, d, 0);
    const c = rows(200, d, 0.5);
    const same = await kernelDistance(a, 200, b, 200, d, { subsets: 10, subsetSize: 100 });
    const shifted = await kernelDistance(a, 200, c, 200, d, { subsets: 10, subsetSize: 100 });
    expect(Math.abs(same.mean)).toBeLessThan(3 * same.std + 1e-3);
    expect(shifted.mean).toBeGreaterThan(10 * Math.abs(same.mean));
    expect(shifted).toMatchObject({ subsets: 10, subsetSize: 100 });
  });

  it('computes the unbiased MMD² of the cubic kernel by hand on a tiny example', async () => {
    // d = 1, k(x, y) = (xy + 1)³; X = {0, 1}, Y = {1, 2}
    const k = (x: number, y: number) => (x * y + 1) ** 3;
    const expected = (2 * k(0, 1) + 2 * k(1, 2)) / 2 - (2 * (k(0, 1) + k(0, 2) + k(1, 1) + k(1, 2))) / 4;
    const r = await kernelDistance(Float32Array.from([0, 1]), 2, Float32Array.from([1, 2]), 2, 1, { subsets: 3 });
    expect(r.mean).toBeCloseTo(expected, 9);
    expect(r.std).toBeCloseTo(0, 9); // every subset is the whole set
  });

  it('needs two rows on each side', async () => {
    await expect(kernelDistance(new Float32Array(4), 1, new Float32Array(8), 2, 4)).rejects.toThrow(/at least 2/);
  });
});
