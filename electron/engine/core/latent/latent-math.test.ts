import { describe, expect, it } from 'vitest';
import { Rng } from '../data/sampler';
import { columnNoise, columnSeed, interpolate, lerp, slerp, truncatedNormal } from './latent-math';

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const vec = (...xs: number[]) => Float32Array.from(xs);

describe('lerp and slerp', () => {
  it('lerp is the straight line', () => {
    expect([...lerp(vec(0, 2), vec(4, 6), 0.25)]).toEqual([1, 3]);
  });

  it('slerp of orthogonal unit vectors stays on the unit circle and halves the angle', () => {
    const mid = slerp(vec(1, 0), vec(0, 1), 0.5);
    expect(mid[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(mid[1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(norm(mid)).toBeCloseTo(1, 6);
    // lerp's midpoint is shorter: the reason slerp exists for Gaussian noise.
    expect(norm(lerp(vec(1, 0), vec(0, 1), 0.5))).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('slerp keeps a Gaussian-sized norm between two noise vectors, where lerp shrinks it', () => {
    const a = columnNoise({ seed: 1, column: 0 }, 128, null);
    const b = columnNoise({ seed: 1, column: 1 }, 128, null);
    const s = norm(slerp(a, b, 0.5));
    const l = norm(lerp(a, b, 0.5));
    expect(s).toBeGreaterThan(0.9 * Math.min(norm(a), norm(b)));
    expect(l).toBeLessThan(0.8 * Math.min(norm(a), norm(b)));
  });

  it('near-parallel, antiparallel and zero vectors fall back to lerp instead of dividing by sin ω ≈ 0', () => {
    const a = vec(1, 0, 0);
    const b = vec(1, 1e-7, 0);
    expect([...slerp(a, b, 0.5)].every(Number.isFinite)).toBe(true);
    expect(slerp(a, b, 0.5)[0]).toBeCloseTo(1, 6);
    expect([...slerp(vec(1, 0), vec(-1, 0), 0.5)]).toEqual([0, 0]);
    expect([...slerp(vec(0, 0), vec(2, 2), 0.5)]).toEqual([1, 1]);
    expect([...slerp(vec(2, 0), vec(4, 0), 0.5)]).toEqual([3, 0]);
  });

  it('interpolate gives N frames whose first and last are the endpoints exactly', () => {
    const a = columnNoise({ seed: 3, column: 0 }, 16, null);
    const b = columnNoise({ seed: 9, column: 4 }, 16, null);
    for (const mode of ['linear', 'spherical'] as const) {
      const frames = interpolate(a, b, 7, mode);
      expect(frames).toHaveLength(7);
      expect([...frames[0]!]).toEqual([...a]);
      expect([...frames[6]!]).toEqual([...b]);
      expect([...frames[3]!]).not.toEqual([...a]);
    }
    expect(() => interpolate(a, b, 1, 'linear')).toThrow(/at least 2 frames/);
    expect(() => lerp(a, vec(1), 0.5)).toThrow(/16 and 1 values/);
  });
});

describe('column noise and truncation', () => {
  it('is the same for the same seed and column, and differs between columns and seeds', () => {
    const a = columnNoise({ seed: 7, column: 2 }, 32, null);
    expect([...columnNoise({ seed: 7, column: 2 }, 32, null)]).toEqual([...a]);
    expect([...columnNoise({ seed: 7, column: 3 }, 32, null)]).not.toEqual([...a]);
    expect([...columnNoise({ seed: 8, column: 2 }, 32, null)]).not.toEqual([...a]);
    expect(columnSeed(0, 0)).not.toBe(columnSeed(0, 1));
    expect(() => columnSeed(-1, 0)).toThrow(/seed/);
  });

  it('resamples every component beyond the threshold and keeps the ones inside it', () => {
    const plain = columnNoise({ seed: 11, column: 0 }, 512, null);
    const cut = columnNoise({ seed: 11, column: 0 }, 512, 0.5);
    expect(Math.max(...cut.map(Math.abs))).toBeLessThanOrEqual(0.5);
    expect(Math.max(...plain.map(Math.abs))).toBeGreaterThan(2);
    plain.forEach((v, i) => {
      if (Math.abs(v) <= 0.5) expect(cut[i]).toBe(v);
    });
    // A lower threshold shrinks the vector: less variety, more typical images.
    expect(norm(cut)).toBeLessThan(0.5 * norm(plain));
  });

  it('ends quickly even at the lowest threshold, and refuses thresholds out of range', () => {
    const v = truncatedNormal(new Rng(1), 256, 0.05);
    expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(0.05);
    expect(() => truncatedNormal(new Rng(1), 4, 0)).toThrow(/from 0.05 to 4/);
    expect(() => truncatedNormal(new Rng(1), 4, 9)).toThrow(/from 0.05 to 4/);
  });
});
