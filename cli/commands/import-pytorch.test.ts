import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main';
import { captureIO } from '../test-io';
import type { GraphDocument } from '../../graph-schemas';
import { findPreset } from '../../graph-schemas';
import { seededRandom } from '../../electron/engine/core/train/random';
import { GanModel } from '../../electron/engine/core/model/gan-model';
import { GanTrainer } from '../../electron/engine/core/train/trainer';
import { runPython, torchAvailability } from '../../electron/engine/parity/python';
import { selectDefaultBackend } from './export';
import { loadModelFiles } from '../../electron/engine/node/export/model-files';
import { createRunFolder, readLatestCheckpoint, writeCheckpoint } from '../../electron/engine/node/run/run-folder';
import { readTensorBundle, writeTensorBundle } from '../../electron/engine/node/tensor-bundle';
import { permute } from '../../electron/engine/node/pytorch/layout';
import { tinyImageFolder } from '../../electron/engine/node/pytorch/test-fixtures';

/**
 * The whole round trip on CPU: a SAGAN Studio run of sagan-mnist → export-pytorch → 2 processes of torchrun (gloo,
 * DistributedDataParallel) continue it on an image folder → import-pytorch → the engine draws the same images as
 * the PyTorch model for the same noise and labels.
 */
const torch = torchAvailability();
const dir = mkdtempSync(join(tmpdir(), 'sagan-torchrun-'));
const N = 6;

function mnistDoc(images: string): GraphDocument {
  const doc = findPreset('sagan-mnist')!.build();
  doc.training = {
    ...doc.training,
    batchSize: 4,
    steps: 3,
    checkpointEvery: 3,
    ema: { enabled: true, decay: 0.9, startStep: 1 },
  };
  doc.dataset = { ...doc.dataset, source: { kind: 'folder', path: images } };
  return doc;
}

/** A run folder after one engine iteration (so it has an EMA of G), as `sagan-studio train` leaves one. */
async function engineRun(doc: GraphDocument, runDir: string) {
  const rng = seededRandom(3);
  const data = {
    next: (b: number) => ({
      images: rng.normal(b * 32 * 32).map(Math.tanh),
      labels: rng.ints(b, 10),
      shape: [b, 32, 32, 1] as [number, number, number, number],
    }),
    getState: () => null,
    setState: () => {},
  };
  const model = GanModel.compile(doc);
  const trainer = new GanTrainer(model, data, seededRandom(1));
  await trainer.iterate();
  const state = await trainer.exportState();
  trainer.dispose();
  model.dispose();
  await createRunFolder(runDir, {
    format: 'sagan-studio/run',
    version: 1,
    id: 'engine',
    createdAt: new Date(0).toISOString(),
    doc,
    seed: 0,
    backend: { name: 'wasm', reason: 'test', threads: 1 },
    versions: {},
    dataset: { name: 'tiny', size: 20 },
    sampleGrid: model.grid,
  });
  await writeCheckpoint(runDir, state);
  return state;
}

async function bundle(path: string) {
  const r = await readTensorBundle(path);
  if (!r.ok) throw new Error(r.error);
  return r.value.tensors;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe.skipIf(!torch.available)(
  `sagan-mnist through torchrun and back${torch.available ? '' : ` (skipped: ${torch.reason})`}`,
  () => {
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('continues a run with DDP on 2 CPU processes, imports it, and samples the same images as PyTorch', async () => {
      await selectDefaultBackend(); // as the CLI commands below select it
      const images = join(dir, 'images');
      tinyImageFolder(images, 10, 2, 28);
      const doc = mnistDoc(images);
      const runDir = join(dir, 'engine-run');
      const start = await engineRun(doc, runDir);

      const pkg = join(dir, 'package');
      const exported = captureIO();
      expect(await main(['export-pytorch', runDir, '--out', pkg], exported), exported.stderr.join('\n')).toBe(0);
      expect(JSON.parse(readFileSync(join(pkg, 'sagan-pytorch.json'), 'utf8')).init).toEqual({
        run: 'engine-run',
        step: 1,
        ema: true,
      });

      // torchrun (python3 -m torch.distributed.run); --redirects/--tee work around torch 1.13's bug on Python 3.11.
      const out = join(dir, 'torch-run');
      const args = [
        '--standalone',
        '--nproc_per_node',
        '2',
        '--redirects',
        '1',
        '--tee',
        '1',
        join(pkg, 'train.py'),
        '--data',
        images,
        '--out',
        out,
        '--workers',
        '0',
        '--log-every',
        '1',
      ];
      const trained = await runPython('-m', ['torch.distributed.run', ...args], {
        timeoutMs: 120_000,
        env: { OMP_NUM_THREADS: '1' },
      });
      if (!trained.ok) throw new Error(trained.error);
      expect(trained.value.stdout).toMatch(/Continuing from the weights in .*init \(SAGAN Studio step 1\)/);
      expect(trained.value.stdout).toMatch(/2 process\(es\) on cpu, batch 4 \(2 each\), from step 1 to 3/);
      const checkpoint = join(out, 'checkpoints', 'step-00000003');
      expect(existsSync(`${checkpoint}.pt`) && existsSync(`${checkpoint}.weights.json`)).toBe(true);
      expect(existsSync(join(out, 'samples', 'step-00000003.png'))).toBe(true); // the last step's grid, with G's EMA

      const runBack = join(dir, 'imported');
      const imported = captureIO();
      expect(
        await main(
          ['import-pytorch', `${checkpoint}.weights.json`, '--graph', join(pkg, 'graph.sagan.json'), '--out', runBack],
          imported,
        ),
        imported.stderr.join('\n'),
      ).toBe(0);
      expect(imported.stdout[0]).toMatch(
        /Imported SAGAN-MNIST at step 3 \(with G's EMA\) .* with 2 logged steps and 1 sample grid from the training/,
      );
      const latest = (await readLatestCheckpoint(runBack))!;
      expect(latest.state.step).toBe(3);
      const changed = (key: string) => maxDiff(latest.state.tensors.get(key)!.data, start.tensors.get(key)!.data);
      expect(changed('generator/g_linear/kernel')).toBeGreaterThan(1e-6); // G trained
      expect(changed('discriminator/d_block1/conv1/kernel')).toBeGreaterThan(1e-6); // D trained
      expect(latest.state.tensors.has('ema/g_linear/kernel')).toBe(true);
      expect(existsSync(join(runBack, 'samples', 'step-00000003.png'))).toBe(true);

      // The engine, through `sagan-studio export`, and PyTorch's sample.py draw the same images (both from G's EMA).
      const exp = join(dir, 'exported');
      expect(await main(['export', runBack, '--out', exp], captureIO())).toBe(0);
      const sampled = captureIO();
      expect(await main(['sample', exp, '--n', '4', '--out', join(dir, 'samples.png')], sampled)).toBe(0);
      const rng = seededRandom(8);
      const z = rng.normal(N * 64);
      const y = Int32Array.from({ length: N }, (_, i) => (3 * i) % 10);
      expect(
        (
          await writeTensorBundle(join(dir, 'noise'), {
            z: { dtype: 'float32', shape: [N, 64], data: z },
            y: { dtype: 'int32', shape: [N], data: y },
          })
        ).ok,
      ).toBe(true);
      const drawn = await runPython(
        join(pkg, 'sample.py'),
        [`${checkpoint}.pt`, '--inputs', join(dir, 'noise'), '--save-tensors', join(dir, 'torch-images')],
        { env: { OMP_NUM_THREADS: '1' } },
      );
      if (!drawn.ok) throw new Error(drawn.error);
      const theirs = (await bundle(join(dir, 'torch-images'))).get('images')!;
      const G = await loadModelFiles(join(exp, 'generator'));
      const ours = tf.tidy(
        () =>
          (
            G.predict([tf.tensor2d(z, [N, 64]), tf.tensor2d(y, [N, 1], 'int32')]) as tf.Tensor
          ).dataSync() as Float32Array,
      );
      G.dispose();
      expect(theirs.shape).toEqual([N, 1, 32, 32]);
      expect(
        maxDiff(ours, permute({ shape: theirs.shape, data: theirs.data as Float32Array }, [0, 2, 3, 1]).data),
      ).toBeLessThanOrEqual(1e-4);
      // Different labels give different images, so the comparison is not trivially of constants.
      expect(maxDiff(ours.subarray(0, 1024), ours.subarray(1024, 2048))).toBeGreaterThan(1e-3);
    }, 180_000);
  },
);
