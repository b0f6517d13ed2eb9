import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from '../../node/png';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../node/backend';
import { tinyMnistDoc } from '../../node/run/test-fixtures';
import { estimateIteration, extrapolatePeak, largestBatchThatFits, traceMemory } from './memory';
import { GanModel } from '../model/gan-model';
import { GanTrainer } from './trainer';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm', threads: 1 });
});

/** The data is checked before memory is measured, so the refusal needs a real folder: one 32×32 RGB PNG per class. */
function cifarLikeFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sagan-memory-data-'));
  for (let label = 0; label < 10; label++) {
    mkdirSync(join(dir, String(label)));
    const rgba = new Uint8ClampedArray(32 * 32 * 4).map((_, k) => (k % 4 === 3 ? 255 : (k * 13 + label * 29) % 256));
    writeFileSync(join(dir, String(label), 'img0.png'), encodePng({ width: 32, height: 32, rgba }));
  }
  return dir;
}

const zeros = {
  normal: (n: number) => new Float32Array(n),
  ints: (n: number) => new Int32Array(n),
  getState: () => null,
  setState: () => {},
};

describe('iteration memory estimate', () => {
  it('extrapolates the measured peak to the batch size within 15%', async () => {
    const doc = tinyMnistDoc({ batchSize: 12 });
    const estimate = await estimateIteration(doc, { timing: { warmup: 1, min: 3, max: 3, budgetMs: 0 } });
    expect(estimate.perSampleBytes).toBeGreaterThan(0);
    // Timed at the document's batch after a warm-up, not extrapolated from one iteration at batch 1 and 2.
    expect(estimate.timing).toMatchObject({ batchSize: 12, samples: 3, extrapolated: false });
    expect(estimate.msPerIteration).toBe(estimate.timing.medianMs);
    expect(estimate.timing.lowMs).toBeLessThanOrEqual(estimate.timing.medianMs);
    const model = GanModel.compile(doc);
    const trainer = new GanTrainer(
      model,
      {
        next: (b) => ({ images: new Float32Array(b * 1024), labels: new Int32Array(b), shape: [b, 32, 32, 1] }),
        getState: () => null,
        setState: () => {},
      },
      zeros,
    );
    await trainer.iterate();
    const actual = await traceMemory(() => trainer.iterate().then(() => undefined));
    trainer.dispose();
    model.dispose();
    expect(Math.abs(estimate.peakBytes - actual.peak) / actual.peak).toBeLessThan(0.15);
  });

  it('extrapolates each point of the iteration, so a fixed peak at small batches does not hide the activations', () => {
    // Point 0: optimizer update (fixed 100, nothing per sample); point 1: backward pass (10 + 30 per sample).
    const t1 = [100, 40];
    const t2 = [100, 70];
    expect(extrapolatePeak(t1, 1, t2, 2, 1).peakBytes).toBe(100);
    expect(extrapolatePeak(t1, 1, t2, 2, 10)).toEqual({ fixedBytes: 10, perSampleBytes: 30, peakBytes: 310 });
  });

  it('counts a buffer shared by several tensors once', async () => {
    const { peak } = await traceMemory(() => {
      const x = tf.zeros([1024, 256]); // 1 MiB
      const views = [x.reshape([256, 1024]), x.clone(), tf.cast(x, 'float32')];
      tf.dispose([x, ...views]);
    });
    expect(peak - tf.memory().numBytes).toBeLessThan(1.5 * 2 ** 20);
  });

  it('extrapolates the time, with low confidence, when the batch is not timed or does not fit', async () => {
    const doc = tinyMnistDoc({ batchSize: 12 });
    const untimed = await estimateIteration(doc, { timing: false });
    expect(untimed.timing).toMatchObject({ batchSize: 12, extrapolated: true, confidence: 'low' });
    const tooBig = await estimateIteration(doc, { limitBytes: 1 });
    expect(tooBig.timing.extrapolated).toBe(true);
    expect(tooBig.msPerIteration).toBeGreaterThan(0);
  });

  it('finds the largest single buffer (what a GPU must bind at once), linear in the batch', async () => {
    const { largestBuffer } = await traceMemory(() => {
      const x = tf.ones([3, 1000]); // 12,000 bytes, the largest
      const y = tf.sum(x, 0);
      tf.dispose([x, y]);
    });
    expect(largestBuffer).toBe(12_000);
    const e = await estimateIteration(tinyMnistDoc({ batchSize: 12 }), { timing: false });
    expect(e.largestBuffer.perSampleBytes).toBeGreaterThan(0);
    expect(e.largestBuffer.bytes).toBe(e.largestBuffer.fixedBytes + 12 * e.largestBuffer.perSampleBytes);
    expect(e.largestBuffer.bytes).toBeLessThan(e.peakBytes);
  });

  it('names the largest batch that fits', () => {
    expect(largestBatchThatFits({ fixedBytes: 100, perSampleBytes: 10 }, 1000)).toBe(90);
    expect(largestBatchThatFits({ fixedBytes: 2000, perSampleBytes: 10 }, 1000)).toBe(0);
  });

  it('refuses, before training, a batch the wasm heap cannot hold, naming the largest that fits', () => {
    const cli = join(import.meta.dirname, '../../../../bin/sagan-studio.js');
    const r = spawnSync(
      process.execPath,
      [
        cli,
        'train',
        '--preset',
        'sagan-32',
        '--batch',
        '2048',
        '--steps',
        '1',
        '--backend',
        'wasm',
        '--threads',
        '1',
        '--data',
        cifarLikeFolder(),
        '--out',
        join(import.meta.dirname, '.never'),
      ],
      { encoding: 'utf8', timeout: 240_000 },
    );
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toMatch(
      /SAGAN-32 at batch 2048 needs about [\d.]+ GiB( \([^)]*per sample\))? for one iteration.* The largest batch that fits is \d+/,
    );
  }, 240_000); // one CLI run, allowed 240 s
});
