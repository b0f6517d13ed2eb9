import { describe, expect, it } from 'vitest';
import { decimateMinMax, EmaSmoother, smoothEma } from './decimate';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('decimateMinMax', () => {
  it('returns small data unchanged', () => {
    const x = [1, 2, 3, 4];
    const out = decimateMinMax(x, [[4, 3, null, 1]], { buckets: 10 });
    expect(out).toEqual({ x: [1, 2, 3, 4], ys: [[4, 3, null, 1]] });
  });

  it('reduces 100k points to at most two rows per bucket and keeps every bucket’s extremes', () => {
    const n = 100_000;
    const x = range(n).map((i) => i + 1);
    const y = x.map((s) => Math.sin(s / 500) + (s % 997 === 0 ? 50 : 0)); // rare spikes
    const out = decimateMinMax(x, [y], { buckets: 800 });
    expect(out.x.length).toBeLessThanOrEqual(1600);
    expect(out.x.length).toBeGreaterThan(800);
    // x stays non-decreasing, so uPlot can draw it.
    for (let i = 1; i < out.x.length; i++) expect(out.x[i]!).toBeGreaterThanOrEqual(out.x[i - 1]!);
    // Every spike survives: 100 of them, each far above the sine.
    const spikes = out.ys[0]!.filter((v) => v !== null && v > 40).length;
    expect(spikes).toBe(Math.floor(n / 997));
    expect(Math.max(...(out.ys[0]! as number[]))).toBe(Math.max(...y));
    expect(Math.min(...(out.ys[0]! as number[]))).toBe(Math.min(...y));
  });

  it('puts a bucket’s min and max in the order they happened', () => {
    const x = range(40);
    const rising = x.map((i) => i);
    const falling = x.map((i) => -i);
    const out = decimateMinMax(x, [rising, falling], { buckets: 2 });
    // Two buckets of 20: rising goes min then max, falling max then min.
    expect(out.x).toEqual([0, 19, 20, 39]);
    expect(out.ys[0]).toEqual([0, 19, 20, 39]);
    expect(out.ys[1]).toEqual([-0, -19, -20, -39]);
  });

  it('skips nulls and NaN, and gives null for a bucket a series did not log', () => {
    const x = range(40);
    const sparse = x.map((i) => (i < 20 ? null : i % 2 ? NaN : i));
    const out = decimateMinMax(x, [sparse], { buckets: 2 });
    expect(out.ys[0]).toEqual([null, null, 20, 38]);
  });

  it('reduces only the visible range, keeping one point either side so lines reach the edges', () => {
    const x = range(10_000);
    const y = x.map((i) => i * 2);
    const out = decimateMinMax(x, [y], { buckets: 10, xMin: 5000, xMax: 6000 });
    expect(out.x[0]).toBe(4999);
    expect(out.x[out.x.length - 1]).toBe(6001);
    expect(out.x.length).toBeLessThanOrEqual(22);
    expect(out.x.filter((v) => v >= 5000 && v <= 6000).length).toBe(out.x.length - 2);
    expect(out.ys[0]).toContain(10_000);
    expect(out.ys[0]).toContain(12_000);
  });

  it('handles empty and single-point data', () => {
    expect(decimateMinMax([], [[]], { buckets: 5 })).toEqual({ x: [], ys: [[]] });
    expect(decimateMinMax([7], [[1.5]], { buckets: 5 })).toEqual({ x: [7], ys: [[1.5]] });
  });
});

describe('EMA smoothing', () => {
  it('is debiased: a constant stays constant from the first value', () => {
    expect(smoothEma([2, 2, 2, 2], 0.9)).toEqual([2, 2, 2, 2].map(() => expect.closeTo(2, 10)));
  });

  it('weight 0 is the raw data; nulls stay null and do not reset the average', () => {
    expect(smoothEma([1, null, 3], 0)).toEqual([1, null, 3]);
    const s = smoothEma([0, null, 10], 0.5);
    expect(s[1]).toBeNull();
    // After values 0 and 10 with weight 0.5: (0.5·0.5·0 + 0.5·10)/(1 − 0.25) = 6.667
    expect(s[2]).toBeCloseTo(20 / 3, 6);
  });

  it('extends its previous answer when rows are appended, and recomputes when the weight changes', () => {
    const values: number[] = [1, 5];
    const smoother = new EmaSmoother();
    const first = [...smoother.smooth(values, 0.8)];
    values.push(9, 2);
    const extended = smoother.smooth(values, 0.8);
    expect(extended.slice(0, 2)).toEqual(first);
    expect(extended).toEqual(smoothEma(values, 0.8));
    expect(smoother.smooth(values, 0.5)).toEqual(smoothEma(values, 0.5));
  });
});
