import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnNoise } from '../../core/latent/latent-math';
import type { LatentView } from '../../core/latent/latent-views';
import { GanModel } from '../../core/model/gan-model';
import { labelTensor } from '../../core/model/inputs';
import { selectBackend } from '../backend';
import { exportRun } from '../export/export-run';
import { decodePng } from '../png';
import { readLatestCheckpoint, readRunInfo } from '../run/run-folder';
import { tinyMnistDoc } from '../run/test-fixtures';
import { LatentExplorer, LatentSourceError, upscale } from './latent-explorer';
import { LatentRequestError } from '../../core/latent/latent-views';

const tmp = mkdtempSync(join(tmpdir(), 'sagan-latent-'));
const cli = join(import.meta.dirname, '../../../../bin/sagan-studio.js');
const run = join(tmp, 'run');
const exported = join(tmp, 'exported');
const explorer = new LatentExplorer();

beforeAll(async () => {
  const docFile = join(tmp, 'tiny.sagan.json');
  writeFileSync(
    docFile,
    JSON.stringify(tinyMnistDoc({ steps: 4, checkpointEvery: 2, ema: { enabled: true, decay: 0.5, startStep: 2 } })),
  );
  execFileSync(process.execPath, [cli, 'train', docFile, '--out', run, '--backend', 'wasm', '--threads', '1'], {
    encoding: 'utf8',
  });
  await selectBackend({ requested: 'wasm', threads: 1 });
  await exportRun(run, exported);
}, 240_000);
afterAll(() => explorer.dispose());

const grid = (over: Partial<Extract<LatentView, { kind: 'grid' }>> = {}): LatentView => ({
  kind: 'grid',
  seed: 5,
  cols: 4,
  truncation: null,
  ...over,
});
/** The pixels of cell (row, col) of a picture, as RGBA bytes. */
function cell(
  p: { image: { width: number; rgba: Uint8ClampedArray }; cellSize: number; padding: number },
  r: number,
  c: number,
) {
  const { cellSize: s, padding: pad } = p;
  const out: number[] = [];
  for (let y = 0; y < s; y++) {
    const start = ((pad + r * (s + pad) + y) * p.image.width + pad + c * (s + pad)) * 4;
    out.push(...p.image.rgba.subarray(start, start + s * 4));
  }
  return out;
}

describe('LatentExplorer on a run', () => {
  it('describes the run: checkpoints, classes with their names, EMA', async () => {
    const model = await explorer.describe({ dir: run });
    expect(model).toMatchObject({
      kind: 'run',
      step: 4,
      steps: [0, 2, 4],
      zDim: 8,
      classes: 10,
      usesEma: true,
      imageSize: 32,
      channels: 1,
    });
    expect(model.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('draws a class × noise grid: one row per class, the same noise down each column, same seed → same images', async () => {
    const a = await explorer.render({ dir: run }, grid());
    expect(a.picture).toMatchObject({ rows: 10, cols: 4, cellSize: 32, padding: 2 });
    expect(a.picture.rowClasses).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(decodePng(a.png).width).toBe(4 * 32 + 5 * 2);
    const again = await explorer.render({ dir: run }, grid());
    expect(Buffer.from(again.png).equals(Buffer.from(a.png))).toBe(true);
    const other = await explorer.render({ dir: run }, grid({ seed: 6 }));
    expect(Buffer.from(other.png).equals(Buffer.from(a.png))).toBe(false);
    // Column 2 of the grid is the image of noise (seed 5, column 2) for each row's class.
    for (const r of [0, 7]) {
      const single = await explorer.render(
        { dir: run },
        {
          kind: 'image',
          noise: { seed: 5, column: 2 },
          classIndex: r,
          truncation: null,
        },
      );
      expect(cell(single.picture, 0, 0)).toEqual(cell(a.picture, r, 2));
    }
  });

  it('draws with the EMA weights: what the model generates from that noise inside its sampling weights', async () => {
    const info = await readRunInfo(run);
    const model = GanModel.compile(info.doc, info.sampleGrid);
    model.loadWeights((await readLatestCheckpoint(run))!.state.tensors);
    const z = columnNoise({ seed: 5, column: 1 }, 8, null);
    const draw = async (sampling: boolean) => {
      const [zt, yt] = [tf.tensor2d(z, [1, 8]), labelTensor(Int32Array.of(3))];
      const out = sampling ? await model.generate(zt, yt) : (model.gan.generator.predict([zt, yt]) as tf.Tensor);
      const data = (await out.data()) as Float32Array;
      tf.dispose([zt, yt, out]);
      return data;
    };
    const [ema, raw] = [await draw(true), await draw(false)];
    model.dispose();
    const shown = await explorer.render(
      { dir: run },
      {
        kind: 'image',
        noise: { seed: 5, column: 1 },
        classIndex: 3,
        truncation: null,
      },
    );
    const bytes = cell(shown.picture, 0, 0).filter((_, i) => i % 4 === 0);
    const toBytes = (d: Float32Array) => [...d].map((v) => Math.round(((Math.max(-1, Math.min(1, v)) + 1) / 2) * 255));
    expect(bytes).toEqual(toBytes(ema));
    expect(bytes).not.toEqual(toBytes(raw));
  });

  it('interpolates: N frames, the first and last the endpoints, linear and spherical differ mid-way', async () => {
    const view = (mode: 'linear' | 'spherical'): LatentView => ({
      kind: 'strip',
      from: { seed: 5, column: 0 },
      to: { seed: 5, column: 3 },
      classIndex: 4,
      frames: 6,
      mode,
      truncation: null,
    });
    const [lin, sph, g] = [
      await explorer.render({ dir: run }, view('linear')),
      await explorer.render({ dir: run }, view('spherical')),
      await explorer.render({ dir: run }, grid()),
    ];
    expect(lin.picture).toMatchObject({ rows: 1, cols: 6, rowClasses: [4] });
    for (const strip of [lin, sph]) {
      expect(cell(strip.picture, 0, 0)).toEqual(cell(g.picture, 4, 0));
      expect(cell(strip.picture, 0, 5)).toEqual(cell(g.picture, 4, 3));
    }
    expect(cell(lin.picture, 0, 2)).not.toEqual(cell(sph.picture, 0, 2));
  });

  it('truncation changes the images', async () => {
    const plain = await explorer.render({ dir: run }, grid());
    const cut = await explorer.render({ dir: run }, grid({ truncation: 0.3 }));
    expect(Buffer.from(cut.png).equals(Buffer.from(plain.png))).toBe(false);
  });

  it('keeps the loaded checkpoint between requests, and loads another when asked for another step', async () => {
    const before = explorer.loads;
    await explorer.render({ dir: run }, grid());
    await explorer.render({ dir: run, step: 4 }, grid({ seed: 1 }));
    expect(explorer.loads).toBe(before);
    const older = await explorer.render({ dir: run, step: 2 }, grid());
    expect(older.model.step).toBe(2);
    expect(explorer.loads).toBe(before + 1);
    const newer = await explorer.render({ dir: run }, grid());
    expect(Buffer.from(older.png).equals(Buffer.from(newer.png))).toBe(false);
  });

  it('leaves no tensors behind', async () => {
    await explorer.render({ dir: run }, grid());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await explorer.render({ dir: run }, grid({ seed: i, truncation: 1 }));
      await explorer.render(
        { dir: run },
        {
          kind: 'strip',
          from: { seed: i, column: 0 },
          to: { seed: i + 1, column: 1 },
          classIndex: 1,
          frames: 40,
          mode: 'spherical',
          truncation: null,
        },
      );
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses classes out of range, steps without a checkpoint and folders that are not runs', async () => {
    await expect(
      explorer.render({ dir: run }, { kind: 'image', noise: { seed: 0, column: 0 }, classIndex: 10, truncation: null }),
    ).rejects.toThrow(/Class 10 is out of range: Tiny MNIST test model has 10 classes \(0–9\)/);
    await expect(explorer.render({ dir: run }, grid({ classes: [2, 12] }))).rejects.toBeInstanceOf(LatentRequestError);
    await expect(explorer.render({ dir: run, step: 3 }, grid())).rejects.toThrow(
      /has no checkpoint at step 3; it keeps steps 0, 2, 4/,
    );
    await expect(explorer.describe({ dir: tmp })).rejects.toBeInstanceOf(LatentSourceError);
    await expect(explorer.describe({ dir: tmp })).rejects.toThrow(/no run.json/);
  });

  it('saves a PNG file, enlarged by a whole factor', async () => {
    const file = join(tmp, 'out', 'strip.png');
    const saved = await explorer.save({ dir: run }, grid({ cols: 2 }), file, 3);
    const png = decodePng(readFileSync(file));
    expect(saved.bytes).toBe(readFileSync(file).length);
    expect([png.width, png.height]).toEqual([(2 * 32 + 3 * 2) * 3, (10 * 32 + 11 * 2) * 3]);
    expect(() => upscale({ width: 1, height: 1, rgba: new Uint8ClampedArray(4) }, 0)).toThrow(/scale/);
  });
});

describe('LatentExplorer on an export', () => {
  it('draws what the run draws at the exported step (its EMA weights)', async () => {
    const model = await explorer.describe({ dir: exported });
    expect(model).toMatchObject({ kind: 'export', step: 4, steps: [4], classes: 10, usesEma: true });
    const fromExport = await explorer.render({ dir: exported }, grid());
    const fromRun = await explorer.render({ dir: run, step: 4 }, grid());
    expect(cell(fromExport.picture, 3, 1)).toEqual(cell(fromRun.picture, 3, 1));
    await expect(explorer.describe({ dir: exported, step: 2 })).rejects.toThrow(/export of step 4/);
  });
});
