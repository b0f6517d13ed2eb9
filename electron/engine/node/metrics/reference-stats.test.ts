import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReferenceStats } from '../../core/metrics/quality';
import { readReferenceStats, writeReferenceStats } from './reference-stats';

const d = 3;
const stats: ReferenceStats = {
  network: 'test-net',
  dataKey: 'k'.repeat(64),
  stats: { dim: d, count: 7, mean: Float64Array.from([1, 2, 3]), cov: Float64Array.from({ length: 9 }, (_, i) => i) },
  sqrtCov: Float64Array.from({ length: 9 }, (_, i) => -i),
  kidFeatures: Float32Array.from({ length: 2 * d }, (_, i) => i / 4),
  kidCount: 2,
};

describe('the reference statistics cache', () => {
  it('reads back what it wrote, and a damaged or foreign file as a miss', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'refstats-')), 'stats.sagan-refstats');
    await writeReferenceStats(file, stats);
    const back = await readReferenceStats(file, 'test-net', stats.dataKey);
    expect(back).toEqual(stats);
    expect(await readReferenceStats(file, 'other-net', stats.dataKey)).toBeNull();
    expect(await readReferenceStats(file, 'test-net', 'other')).toBeNull();
    writeFileSync(file, readFileSync(file).subarray(0, -4)); // cut short
    expect(await readReferenceStats(file, 'test-net', stats.dataKey)).toBeNull();
  });
});
