import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../node/backend';
import { tinyMnistDoc } from '../../node/run/test-fixtures';
import { estimateIteration, largestBatchThatFits } from './memory';
import { GanTrainer } from './trainer';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm', threads: 1 });
});

const zeros = { normal: (n: number) => new Float32Array(n), ints: (n: number) => new Int32Array(n), getState: () => null, setState: () => {} };

describe('iteration memory estimate', () => {
  it('extrapolates the measured peak to the batch size within 15%', async () => {
    const doc = tinyMnistDoc({ batchSize: 12 });
    const estimate = await estimateIteration(doc);
    expect(estimate.perSampleBytes).toBeGreaterThan(0);
    const trainer = new GanTrainer(doc, { next: (b) => ({ images: new Float32Array(b * 1024), labels: new Int32Array(b), shape: [b, 32, 32, 1] }), getState: () => null, setState: () => {} }, zeros, zeros);
    trainer.iterate();
    const actual = await tf.profile(() => void trainer.iterate());
    trainer.dispose();
    expect(Math.abs(estimate.peakBytes - actual.peakBytes) / actual.peakBytes).toBeLessThan(0.15);
  });

  it('names the largest batch that fits', () => {
    expect(largestBatchThatFits({ fixedBytes: 100, perSampleBytes: 10, peakBytes: 0, msPerIteration: 0 }, 1000)).toBe(90);
    expect(largestBatchThatFits({ fixedBytes: 2000, perSampleBytes: 10, peakBytes: 0, msPerIteration: 0 }, 1000)).toBe(0);
  });

  it('refuses, before training, a batch the wasm heap cannot hold, naming the largest that fits', () => {
    const cli = join(import.meta.dirname, '../../../../bin/sagan-studio.js');
    const r = spawnSync(process.execPath, [cli, 'train', '--preset', 'sagan-32', '--batch', '2048', '--steps', '1', '--backend', 'wasm', '--threads', '1', '--out', join(import.meta.dirname, '.never')], { encoding: 'utf8', timeout: 240_000 });
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/SAGAN-32 at batch 2048 needs about [\d.]+ GiB for one iteration .* The largest batch that fits is \d+/);
  });
});
