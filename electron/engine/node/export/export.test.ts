import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GanModel } from '../../core/model/gan-model';
import { seededRandom } from '../../core/train/random';
import { selectBackend } from '../backend';
import { decodePng } from '../png';
import { readLatestCheckpoint, readRunInfo } from '../run/run-folder';
import { tinyMnistDoc } from '../run/test-fixtures';
import { exportRun } from './export-run';
import { loadModelFiles } from './model-files';

const tmp = mkdtempSync(join(tmpdir(), 'sagan-export-'));
const cli = join(import.meta.dirname, '../../../../bin/sagan-studio.js');
const run = join(tmp, 'run');
const out = join(tmp, 'exported');

beforeAll(async () => {
  const docFile = join(tmp, 'tiny.sagan.json');
  writeFileSync(
    docFile,
    JSON.stringify(tinyMnistDoc({ steps: 4, checkpointEvery: 4, ema: { enabled: true, decay: 0.5, startStep: 2 } })),
  );
  execFileSync(process.execPath, [cli, 'train', docFile, '--out', run, '--backend', 'wasm', '--threads', '1'], {
    encoding: 'utf8',
  });
  await selectBackend({ requested: 'wasm', threads: 1 });
}, 240_000);

describe('export', () => {
  it('writes the document, G and D, the layers module, samples and a README', async () => {
    const manifest = await exportRun(run, out);
    expect(manifest).toMatchObject({
      format: 'sagan-studio/export',
      step: 4,
      zDim: 8,
      classes: 10,
      imageShape: [32, 32, 1],
      generatorInputs: ['z', 'label'],
      emaWeights: true,
    });
    for (const f of [
      'graph.sagan.json',
      'generator/model.json',
      'generator/weights.bin',
      'discriminator/model.json',
      'sagan-layers.js',
      'samples.png',
      'README.md',
      'export.json',
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    expect(readme).toMatch(/import '\.\/sagan-layers\.js'/);
    // How it was trained (the run's settings) and where attention sits.
    for (const row of [
      '| steps trained | 4 of 4 |',
      '| batch | 4 |',
      '| generator optimizer | Adam, lr 0.0002, β1 0, β2 0.9 |',
      '| discriminator optimizer | Adam, lr 0.0004, β1 0, β2 0.9 |',
      '| EMA of G | decay 0.5 from step 2 |',
      '| seed | 0 |',
      '| generator | `g_attention` | [16, 16, 8] | 16×16 = 256 positions (feat16) |',
      '| discriminator | `d_attention` | [16, 16, 8] | 16×16 = 256 positions (feat16) |',
    ])
      expect(readme).toContain(row);
    expect(readFileSync(join(out, 'sagan-layers.js'), 'utf8')).toMatch(/from "@tensorflow\/tfjs"/);
  });

  it('loads back and generates the same images as the run from the same noise', async () => {
    const G = await loadModelFiles(join(out, 'generator'));
    const info = await readRunInfo(run);
    const model = GanModel.compile(info.doc, info.sampleGrid);
    model.loadWeights((await readLatestCheckpoint(run))!.state.tensors);
    const fromRun = await model.sample();
    const n = fromRun.labels.length;
    const z = tf.tensor2d(seededRandom(info.sampleGrid.noiseSeed).normal(n * 8), [n, 8]);
    const images = G.predict([z, tf.tensor2d(fromRun.labels, [n, 1], 'int32')]) as tf.Tensor;
    const diff = (images.dataSync() as Float32Array).reduce(
      (m, v, i) => Math.max(m, Math.abs(v - fromRun.images[i]!)),
      0,
    );
    expect(diff).toBeLessThan(1e-5);
    model.dispose();
  });

  it('`sagan-studio export` and `sample` work from the command line', () => {
    const dir = join(tmp, 'cli-export');
    const said = execFileSync(process.execPath, [cli, 'export', run, '--out', dir], { encoding: 'utf8' });
    expect(said).toMatch(/Exported Tiny MNIST test model at step 4/);
    const png = join(tmp, 'samples.png');
    execFileSync(process.execPath, [cli, 'sample', dir, '--n', '6', '--class', '3', '--seed', '1', '--out', png], {
      encoding: 'utf8',
    });
    const image = decodePng(readFileSync(png));
    expect([image.width, image.height]).toEqual([3 * 32 + 4 * 2, 2 * 32 + 3 * 2]);
  });

  it('says clearly when a folder is not a run or has no checkpoint', async () => {
    await expect(exportRun(tmp, join(tmp, 'x'))).rejects.toThrow(/is not a SAGAN Studio run: it has no run.json/);
  });
});
