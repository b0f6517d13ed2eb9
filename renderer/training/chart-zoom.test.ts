import { describe, expect, it } from 'vitest';
import { clampRange, panRange, zoomRange } from './chart-zoom';

describe('chart zoom and pan', () => {
  it('zooms around the pointer, which stays at the same place', () => {
    expect(zoomRange([0, 100], 25, 0.5)).toEqual([12.5, 62.5]);
    const [a, b] = zoomRange([0, 100], 80, 0.8);
    expect((80 - a) / (b - a)).toBeCloseTo(0.8);
  });

  it('pans by a fraction of the width', () => {
    expect(panRange([10, 30], 0.5)).toEqual([20, 40]);
    expect(panRange([10, 30], -0.25)).toEqual([5, 25]);
  });

  it('keeps a range inside the data and drops one that covers all of it', () => {
    expect(clampRange([-10, 10], [0, 100])).toEqual([0, 20]);
    expect(clampRange([95, 115], [0, 100])).toEqual([80, 100]);
    expect(clampRange([40, 60], [0, 100])).toEqual([40, 60]);
    expect(clampRange([-5, 200], [0, 100])).toBeNull();
    expect(clampRange([3, 3], [0, 100])).toBeNull();
  });
});
