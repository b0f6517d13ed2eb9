import { describe, expect, it } from 'vitest';
import type { AttentionMapWire } from '../../graph-schemas';
import { attentionDistance, nodeAttentionDistance, queryCell, uniformDistance } from './attention-distance';

describe('attention distance', () => {
  it('is zero when all attention falls on the key under the query', () => {
    // 2×2 keys, the query at the centre of the top-left key.
    expect(attentionDistance([1, 0, 0, 0], 2, 2, { x: 0.25, y: 0.25 })).toBe(0);
  });

  it('weights each key’s distance by its attention', () => {
    // Query at the top-left key's centre; the top-right key is 0.5 away, the bottom-right 0.5·√2.
    expect(attentionDistance([0, 1, 0, 0], 2, 2, { x: 0.25, y: 0.25 })).toBeCloseTo(0.5, 6);
    expect(attentionDistance([0, 0, 0, 1], 2, 2, { x: 0.25, y: 0.25 })).toBeCloseTo(Math.SQRT2 / 2, 6);
    // Half on the query's own key, half on the far corner: (0 + 0.7071) / 2.
    expect(attentionDistance([0.5, 0, 0, 0.5], 2, 2, { x: 0.25, y: 0.25 })).toBeCloseTo(Math.SQRT2 / 4, 6);
  });

  it('does not depend on the scale of the row', () => {
    const a = attentionDistance([0.1, 0.2, 0.3, 0.4], 2, 2, { x: 0.3, y: 0.6 });
    expect(attentionDistance([1, 2, 3, 4], 2, 2, { x: 0.3, y: 0.6 })).toBeCloseTo(a, 6);
  });

  it('gives the uniform baseline: (0 + 0.5 + 0.5 + 0.707) / 4 from a corner key of a 2×2 grid', () => {
    expect(uniformDistance(2, 2, { x: 0.25, y: 0.25 })).toBeCloseTo((1 + Math.SQRT2 / 2) / 4, 6);
  });

  it('refuses a row of the wrong length and has no distance for a row of zeros', () => {
    expect(() => attentionDistance([1, 0, 0], 2, 2, { x: 0, y: 0 })).toThrow(/2×2 keys has 4 values, not 3/);
    expect(attentionDistance([0, 0, 0, 0], 2, 2, { x: 0, y: 0 })).toBeNaN();
  });

  it('places a query at the centre of its cell of the node’s query grid', () => {
    expect(queryCell({ x: 0.49, y: 0.99 }, 4, 8)).toEqual({ col: 1, row: 7, centre: { x: 0.375, y: 0.9375 } });
    expect(queryCell({ x: 1, y: 0 }, 4, 4).col).toBe(3);
  });

  it('averages a node’s queries of one sample, from its query grid', () => {
    const map: AttentionMapWire & { queryHeight: number; queryWidth: number } = {
      nodeId: 'g_attention',
      network: 'generator',
      keyHeight: 2,
      keyWidth: 2,
      queryHeight: 2,
      queryWidth: 2,
      samples: 2,
      queries: 2,
      // sample 0: query 0 looks at its own key, query 1 at the key beside it; sample 1 is not read.
      data: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1],
    };
    // Point (0.1, 0.1) snaps to the top-left cell's centre (0.25, 0.25); so does (0.4, 0.2).
    const d = nodeAttentionDistance(map, 0, [
      { x: 0.1, y: 0.1 },
      { x: 0.4, y: 0.2 },
    ]);
    expect(d.perQuery[0]).toBeCloseTo(0, 6);
    expect(d.perQuery[1]).toBeCloseTo(0.5, 6);
    expect(d.mean).toBeCloseTo(0.25, 6);
    expect(d.uniform).toBeCloseTo((1 + Math.SQRT2 / 2) / 4, 6);
    expect(nodeAttentionDistance(map, 1, [{ x: 0.1, y: 0.1 }]).mean).toBeCloseTo(Math.SQRT2 / 2, 6);
  });
});
