import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../node/backend';
import { tinyMnistDoc } from '../../node/run/test-fixtures';
import { composeGrid } from '../image/grid';
import { seededRandom } from '../train/random';
import { GanTrainer } from '../train/trainer';
import { GanModel } from './gan-model';
import { defaultSampleGrid, sampleGridPixels } from './sample-grid';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm', threads: 1 });
});

const noise = (seed: number) => {
  const rng = seededRandom(seed);
  return {
    next: (b: number) => ({
      images: rng.normal(b * 32 * 32).map(Math.tanh),
      labels: rng.ints(b, 10),
      shape: [b, 32, 32, 1] as [number, number, number, number],
    }),
    getState: () => null,
    setState: () => {},
  };
};

/** A model trained for a few steps with G's moving average on from step 2, so it differs from a fresh compile. */
async function trained(steps = 3) {
  const model = GanModel.compile(tinyMnistDoc({ ema: { enabled: true, decay: 0.5, startStep: 2 } }));
  const trainer = new GanTrainer(model, noise(5), seededRandom(1));
  for (let i = 0; i < steps; i++) await trainer.iterate();
  trainer.dispose();
  return model;
}

/** The engine's synchronous read (what dataSync, arraySync and bufferSync go through), while a test replaces it. */
type Engine = { readSync: (dataId: object) => unknown };
const engine = () => tf.engine() as unknown as Engine;
let ownReadSync = false;
afterEach(() => {
  if (ownReadSync) delete (engine() as Partial<Engine>).readSync; // the prototype's method again
  ownReadSync = false;
});

describe('GanModel', () => {
  it('draws the grid its plan describes: one row per class, the plan’s noise, the plan’s picture size', async () => {
    const doc = tinyMnistDoc();
    const model = GanModel.compile(doc);
    expect(model.grid).toEqual(defaultSampleGrid(doc));
    expect(model.grid).toMatchObject({ rows: 10, cols: 8, cellSize: 32, padding: 2, noiseSeed: doc.training.seed + 2 });
    const batch = await model.sample();
    expect(batch.shape).toEqual([80, 32, 32, 1]);
    expect(Array.from(batch.labels.slice(0, 9))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const picture = await model.sampleGridImage();
    expect({ width: picture.width, height: picture.height }).toEqual(sampleGridPixels(model.grid));
    // Another noise seed in the plan is another grid.
    const other = GanModel.compile(doc, { ...model.grid, noiseSeed: 99 });
    other.loadWeights(await model.readWeights());
    expect((await other.sample()).images).not.toEqual(batch.images);
    model.dispose();
    other.dispose();
  });

  it('loads the weights another model read, moving average included, and then samples exactly as it does', async () => {
    const source = await trained();
    expect(source.usesAverage()).toBe(true);
    const weights = await source.readWeights();
    expect([...weights.keys()].filter((k) => k.startsWith('ema/'))).toHaveLength(source.gan.generator.weights.length);
    const copy = GanModel.compile({ ...source.doc, training: { ...source.doc.training, seed: 123 } }, source.grid);
    copy.loadWeights(weights);
    expect(copy.usesAverage()).toBe(true);
    expect((await copy.sample()).images).toEqual((await source.sample()).images);
    // The grid is drawn with the average, not with G's own weights.
    const withoutAverage = GanModel.compile(source.doc, source.grid);
    withoutAverage.loadWeights(new Map([...weights].filter(([k]) => !k.startsWith('ema/'))));
    expect(withoutAverage.usesAverage()).toBe(false);
    expect((await withoutAverage.sample()).images).not.toEqual((await source.sample()).images);
    for (const m of [source, copy, withoutAverage]) m.dispose();
  });

  it('refuses weights of another graph and changes nothing', async () => {
    const model = GanModel.compile(tinyMnistDoc());
    const before = await model.readWeights();
    const weights = new Map(before);
    const [key] = [...weights.keys()].filter((k) => k.startsWith('discriminator/'));
    weights.delete(key!);
    expect(() => model.loadWeights(weights)).toThrow(`The checkpoint has no weight "${key}"`);
    expect(await model.readWeights()).toEqual(before);
    model.dispose();
  });

  it('answers where attention looks for chosen cells, and refuses a cell outside the grid', async () => {
    const model = GanModel.compile(tinyMnistDoc());
    const maps = await model.attention([{ x: 0.5, y: 0.5 }], [0, 79]);
    expect(maps.map((m) => m.nodeId)).toEqual(['g_attention', 'd_attention']);
    for (const m of maps) expect(m.data).toHaveLength(2 * 1 * m.keyHeight * m.keyWidth);
    await expect(model.attention([{ x: 0.5, y: 0.5 }], [80])).rejects.toThrow(
      'The sample grid has 80 cells; there is no cell 80.',
    );
    model.dispose();
  });

  it('never reads a tensor synchronously: steps, grid, attention, γ, σ and checkpoints work where readSync fails', async () => {
    // WebGPU in Node cannot read synchronously (dataSync fails there); here every synchronous read fails the same way.
    const model = GanModel.compile(tinyMnistDoc({ ema: { enabled: true, decay: 0.5, startStep: 1 } }));
    const trainer = new GanTrainer(model, noise(6), seededRandom(2));
    expect(Object.prototype.hasOwnProperty.call(tf.engine(), 'readSync')).toBe(false);
    engine().readSync = () => {
      throw new Error('a synchronous read');
    };
    ownReadSync = true;
    expect(() => tf.scalar(1).dataSync()).toThrow('a synchronous read');
    const result = await trainer.iterate(true);
    expect(result.realScores).toHaveLength(4);
    await trainer.iterate();
    const grid = await model.sampleGridImage();
    const maps = await model.attention([{ x: 0.1, y: 0.9 }], [3]);
    const gammas = await model.gammas();
    const sigmas = await model.sigmas();
    const state = await trainer.exportState();
    await trainer.importState(state);
    expect(grid.width).toBe(sampleGridPixels(model.grid).width);
    expect(maps).toHaveLength(2);
    expect(gammas.map((g) => g.nodeId)).toEqual(['g_attention', 'd_attention']);
    expect(sigmas.length).toBeGreaterThan(10);
    expect(state.tensors.has('optimizer/generator/0000')).toBe(true);
    trainer.dispose();
    model.dispose();
  });

  it('composes the same picture as composeGrid with the plan’s layout', async () => {
    const model = GanModel.compile(tinyMnistDoc());
    const batch = await model.sample();
    const picture = await model.sampleGridImage();
    expect(picture).toEqual(composeGrid(batch.images, batch.shape, { cols: 8, padding: 2, background: 0 }));
    model.dispose();
  });
});
