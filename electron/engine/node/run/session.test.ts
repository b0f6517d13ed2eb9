import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateGraph } from '../../../../graph-schemas';
import { GanModel } from '../../core/model/gan-model';
import { GanTrainer } from '../../core/train/trainer';
import { seededRandom, shuffledBatches } from '../../core/train/random';
import { selectBackend } from '../backend';
import { loadMnist } from '../data/mnist';
import { readTensorBundle } from '../tensor-bundle';
import { tinyMnistDoc } from './test-fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'sagan-session-'));
const cli = join(import.meta.dirname, '../../../../bin/sagan-studio.js');
const crashPreload = join(import.meta.dirname, 'test-crash-preload.mjs');

/** The real CLI in its own process; `killBeforeRename` (a checkpoint file name) kills it mid-checkpoint. */
function train(args: string[], { killBeforeRename }: { killBeforeRename?: string } = {}) {
  const preload = killBeforeRename ? ['--import', pathToFileURL(crashPreload).href] : [];
  return spawnSync(process.execPath, [...preload, cli, 'train', ...args, '--backend', 'wasm', '--threads', '1'], {
    encoding: 'utf8',
    env: { ...process.env, SAGAN_TEST_KILL_BEFORE_RENAME: killBeforeRename ?? '' },
    timeout: 240_000,
  });
}

const metricLines = (dir: string) =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { step: number; lossD: number; lossG: number; msPerIt: number; wallMs: number });
/** The lines without what differs between two runs of the same steps: how long they took and when. */
const metrics = (dir: string) => metricLines(dir).map(({ msPerIt: _timing, wallMs: _when, ...m }) => m);

beforeAll(async () => {
  await selectBackend({ requested: 'wasm', threads: 1 });
});

describe('training session', () => {
  it('the tiny test model is a valid graph', () => {
    expect(validateGraph(tinyMnistDoc()).valid).toBe(true);
  });

  it('disposes every tensor it makes: the count after step 2 equals the count after step 20', async () => {
    const doc = tinyMnistDoc({ ema: { enabled: true, decay: 0.9, startStep: 5 } });
    const model = GanModel.compile(doc);
    const trainer = new GanTrainer(model, shuffledBatches(await loadMnist(), 0), seededRandom(1));
    await trainer.iterate(true);
    await trainer.iterate(true);
    const after2 = tf.memory().numTensors;
    for (let i = 0; i < 18; i++) await trainer.iterate(i % 5 === 0);
    // The moving average (started at step 5) holds one variable per weight of G, and nothing else may remain.
    const averaged = model.gan.generator.weights.length;
    await model.sample();
    await model.attention([{ x: 0.5, y: 0.5 }], [0, 1]);
    await model.sigmas();
    await model.gammas();
    await trainer.exportState();
    expect(tf.memory().numTensors).toBe(after2 + averaged);
    trainer.dispose();
    model.dispose();
  });

  it('gives the same losses for the same document, data and seed', async () => {
    const run = async () => {
      const model = GanModel.compile(tinyMnistDoc());
      const t = new GanTrainer(model, shuffledBatches(await loadMnist(), 0), seededRandom(1));
      const losses: number[][] = [];
      for (let i = 0; i < 3; i++) {
        const r = await t.iterate();
        losses.push([r.lossD, r.lossG]);
      }
      t.dispose();
      model.dispose();
      return losses;
    };
    expect(await run()).toEqual(await run());
  });

  it('a run killed while writing a checkpoint resumes exactly as an uninterrupted run continues', () => {
    const docFile = join(tmp, 'tiny.sagan.json');
    writeFileSync(docFile, JSON.stringify(tinyMnistDoc()));
    const whole = join(tmp, 'whole');
    const a = train([docFile, '--out', whole]);
    expect(a.status, a.stderr + a.stdout).toBe(0);

    const crashed = join(tmp, 'crashed');
    const b = train([docFile, '--out', crashed], { killBeforeRename: 'step-00000006.state.json' });
    expect(b.signal).toBe('SIGKILL');
    const files = readdirSync(join(crashed, 'checkpoints'));
    expect(files).toContain('step-00000003.state.json');
    expect(files).toContain('step-00000006.weights.bin');
    expect(files).not.toContain('step-00000006.state.json'); // torn: its marker was never written
    expect(files.some((f) => f.startsWith('.step-00000006.state.json.') && f.endsWith('.tmp'))).toBe(true);
    expect(metrics(crashed).at(-1)!.step).toBeGreaterThanOrEqual(6);

    const c = train(['--resume', crashed]);
    expect(c.status, c.stderr + c.stdout).toBe(0);
    expect(c.stdout).toMatch(/Resuming run crashed from step 3 of 8/);
    expect(metrics(crashed)).toEqual(metrics(whole));
    // Every step line says when it was logged (wall clock), in order across the crash and the resume.
    const when = metricLines(crashed).map((l) => l.wallMs);
    expect(when.every((t) => Number.isFinite(t) && t > Date.UTC(2020, 0))).toBe(true);
    for (let i = 1; i < when.length; i++) expect(when[i]!).toBeGreaterThanOrEqual(when[i - 1]!);
    const last = (dir: string) => readFileSync(join(dir, 'checkpoints', 'step-00000008.weights.bin'));
    expect(Buffer.compare(last(crashed), last(whole))).toBe(0);
    expect(existsSync(join(crashed, 'samples', 'step-00000008.png'))).toBe(true);
  }, 600_000);

  it('checkpoints hold weights, Adam moments and RNG state', async () => {
    const bundle = await readTensorBundle(join(tmp, 'whole', 'checkpoints', 'step-00000008.weights'));
    expect(bundle.ok).toBe(true);
    if (!bundle.ok) return;
    const names = [...bundle.value.tensors.keys()];
    expect(names).toContain('generator/g_attention/gamma');
    expect(names.some((n) => n.startsWith('optimizer/discriminator/'))).toBe(true);
    const state = JSON.parse(readFileSync(join(tmp, 'whole', 'checkpoints', 'step-00000008.state.json'), 'utf8'));
    expect(state.step).toBe(8);
    expect(state.rng).toMatchObject({ algorithm: 'xoshiro128**' });
    expect(state.data).toMatchObject({ epoch: 0, position: 32 });
  });
});
