import * as tf from '@tensorflow/tfjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageDataset } from '../../core/data/dataset';
import { defaultSampleGrid } from '../../core/model/sample-grid';
import type { TrainEvent } from '../../core/train/events';
import { seededRandom, shuffledBatches } from '../../core/train/random';
import { selectBackend } from '../backend';
import { loadMnist } from '../data/mnist';
import { loadDigitClassifier } from '../metrics/digit-classifier-files';
import { QualityMonitor } from './quality-monitor';
import { createRunFolder, readMetrics } from './run-folder';
import { runSession, SessionControl } from './session';
import { tinyMnistDoc } from './test-fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'sagan-quality-'));

/** Every 25th built-in digit (MNIST is ordered by class, so all ten classes): reference statistics in a second. */
async function fewDigits(): Promise<ImageDataset> {
  const all = await loadMnist();
  const picked = Int32Array.from({ length: Math.floor(all.size / 25) }, (_, i) => i * 25);
  return {
    ...all,
    name: 'every 25th digit',
    size: picked.length,
    labels: Int32Array.from(picked, (i) => all.labels[i]!),
    copyImage: (index, out, offset) => all.copyImage(picked[index]!, out, offset),
  };
}

async function train(id: string, doc = tinyMnistDoc(), monitor?: (emit: (e: TrainEvent) => void) => QualityMonitor) {
  const dir = join(tmp, id);
  await createRunFolder(dir, {
    format: 'sagan-studio/run',
    version: 1,
    id,
    createdAt: '',
    doc,
    seed: 0,
    backend: { name: 'wasm', reason: '', threads: 1 },
    versions: {},
    dataset: { name: 'mnist', size: 10000 },
    sampleGrid: defaultSampleGrid(doc),
  });
  const events: TrainEvent[] = [];
  const emit = (e: TrainEvent) => events.push(e);
  const quality = monitor?.(emit);
  const stopped = await runSession(
    {
      doc,
      runDir: dir,
      runId: id,
      backend: { name: 'wasm', reason: '' },
      data: shuffledBatches(await loadMnist(), 0),
      rng: seededRandom(1),
      sampleGrid: defaultSampleGrid(doc),
      resume: false,
      saveSample: async () => ({ file: '', width: 1, height: 1, rgba: new Uint8ClampedArray(4) }),
      ...(quality?.enabled ? { quality } : {}),
    },
    new SessionControl(100),
    emit,
  );
  await quality?.dispose();
  return { dir, events, stopped };
}

beforeAll(async () => {
  await selectBackend({ requested: 'wasm', threads: 1 });
});

describe('quality measured while training', () => {
  it('measures every metricsEvery steps with the EMA weights, into metrics.jsonl and the event stream', async () => {
    const doc = tinyMnistDoc({
      steps: 6,
      metricsEvery: 2,
      metricsSamples: 60,
      ema: { enabled: true, decay: 0.9, startStep: 0 },
    });
    const dataset = await fewDigits();
    await loadDigitClassifier(); // loaded once per process and kept: not a leak of the measurements
    const before = tf.memory().numTensors;
    const { dir, events, stopped } = await train(
      'measured',
      doc,
      (emit) => new QualityMonitor({ doc, dataset, runDir: join(tmp, 'measured'), cacheDir: join(tmp, 'cache'), emit }),
    );
    expect(stopped.reason).toBe('finished');
    expect(tf.memory().numTensors).toBe(before);
    const quality = events.filter((e) => e.type === 'quality');
    expect(quality.map((e) => e.step)).toEqual([2, 4, 6]);
    for (const q of quality) {
      expect(q).toMatchObject({ network: 'digit-classifier-v1', samples: 60, ema: true });
      expect(q.names.fd).toBe('FD (digit classifier)');
      expect(q.fd).toBeGreaterThan(0);
      expect(q.accuracy).toBeGreaterThanOrEqual(0);
      expect(q.accuracy).toBeLessThanOrEqual(1);
      expect(q.seconds).toBeGreaterThan(0);
    }
    for (const q of quality) expect(q.trainSeconds).toBeGreaterThan(0);
    // The generator changed between measurements, so the numbers did too.
    expect(new Set(quality.map((q) => q.fd)).size).toBe(3);
    expect(events.some((e) => e.type === 'notice' && /reference statistics/.test(e.message))).toBe(true);

    const lines = await readMetrics(dir);
    const logged = lines.filter((l) => 'quality' in l);
    expect(logged.map((l) => l.step)).toEqual([2, 4, 6]);
    expect((logged[2]!.quality as { fd: number }).fd).toBe(quality[2]!.fd);
    // Loss lines stay one per step, each before the quality line of its step.
    expect(lines.filter((l) => 'lossD' in l).map((l) => l.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(lines.map((l) => l.step)).toEqual([1, 2, 2, 3, 4, 4, 5, 6, 6]);
  }, 120_000);

  it('is off for runs shorter than metricsEvery and when the setting is 0', () => {
    const monitor = (t: Parameters<typeof tinyMnistDoc>[0]) =>
      new QualityMonitor({ doc: tinyMnistDoc(t), dataset: null!, runDir: tmp, emit: () => {} });
    expect(monitor({ steps: 999 }).enabled).toBe(false); // default every 1,000
    expect(monitor({ steps: 1000 }).enabled).toBe(true);
    expect(monitor({ steps: 5000, metricsEvery: 0 }).enabled).toBe(false);
    expect(monitor({ steps: 5000 }).due(2000)).toBe(true);
    expect(monitor({ steps: 5000 }).due(2500)).toBe(false);
    expect(monitor({ steps: 5000 }).due(0)).toBe(false); // a run starts training at once
  });

  it('turns measuring off with a warning naming what is missing, and the run trains on', async () => {
    const doc = tinyMnistDoc({ steps: 2, metricsEvery: 1, metricsSamples: 50 });
    const colour = {
      ...doc,
      dataset: { ...doc.dataset, channels: 3 as const, source: { kind: 'folder' as const, path: tmp } },
    };
    const { events, stopped, dir } = await train(
      'no-inception',
      doc,
      (emit) =>
        new QualityMonitor({
          doc: colour,
          dataset: null!,
          runDir: join(tmp, 'no-inception'),
          inceptionWeights: join(tmp, 'missing.pth'),
          emit,
        }),
    );
    expect(stopped.reason).toBe('finished');
    const warnings = events.filter((e) => e.type === 'notice' && e.level === 'warning');
    expect(warnings).toHaveLength(1); // once, not at every step
    expect(warnings[0]).toMatchObject({
      message: expect.stringMatching(/Quality metrics are off for this run: .*missing\.pth does not exist/),
    });
    expect((await readMetrics(dir)).some((l) => 'quality' in l)).toBe(false);
  }, 60_000);
});
