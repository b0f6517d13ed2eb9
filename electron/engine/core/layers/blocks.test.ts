import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resBlock, resBlockDown, resBlockUp } from './blocks';
import { labelInput } from './labels';
import { maxAbsDiff, saveAndLoad, seededTensor } from './testkit';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const conv = { spectralNorm: true, useBias: true };
const names = (m: tf.LayersModel, prefix: string) =>
  m.layers
    .map((l) => l.name)
    .filter((n) => n.startsWith(`${prefix}/`))
    .sort();
/** The layer feeding `layer` (first inbound). */
const source = (m: tf.LayersModel, layer: string) => m.getLayer(layer).inboundNodes[0].inboundLayers[0].name;
/** Runs one named layer on concrete tensors (inference). */
const run = (m: tf.LayersModel, layer: string, x: tf.Tensor | tf.Tensor[]) => m.getLayer(layer).apply(x) as tf.Tensor;

describe('resBlockUp', () => {
  it('is CBN-ReLU-up2-conv3×3-CBN-ReLU-conv3×3 + (up2 → conv1×1), with every layer named under the block', () => {
    const x = tf.input({ shape: [4, 4, 8] });
    const y = labelInput();
    const out = resBlockUp(x, y, { ...conv, outChannels: 6, norm: 'cbn', numClasses: 3, name: 'up1', seed: 1 });
    expect(out.shape).toEqual([null, 8, 8, 6]);
    const model = tf.model({ inputs: [x, y], outputs: out });
    expect(names(model, 'up1')).toEqual(
      [
        'up1/add',
        'up1/cbn1',
        'up1/cbn2',
        'up1/conv1',
        'up1/conv2',
        'up1/relu1',
        'up1/relu2',
        'up1/shortcut',
        'up1/shortcut_up',
        'up1/up',
      ].sort(),
    );
    expect(source(model, 'up1/shortcut')).toBe('up1/shortcut_up');
    expect(model.getLayer('up1/conv1').weights[0].originalName).toBe('up1/conv1/kernel');
    // Wiring, checked against applying the named layers one by one.
    const xv = seededTensor([2, 4, 4, 8], 1);
    const yv = tf.tensor2d([[2], [0]], [2, 1], 'int32');
    for (const l of ['up1/cbn1', 'up1/cbn2']) {
      const table = model.getLayer(l).weights[0];
      table.write(tf.add(table.read(), seededTensor(table.shape as number[], 2)));
    }
    let h = run(model, 'up1/cbn1', [xv, yv]);
    h = run(model, 'up1/conv1', run(model, 'up1/up', tf.relu(h)));
    h = run(model, 'up1/conv2', tf.relu(run(model, 'up1/cbn2', [h, yv])));
    const expected = tf.add(h, run(model, 'up1/shortcut', run(model, 'up1/shortcut_up', xv)));
    expect(maxAbsDiff(model.predict([xv, yv]) as tf.Tensor, expected)).toBeLessThan(1e-5);
  });

  it('with norm "bn" names its norms bn1/bn2 and needs no labels; "cbn" without labels is refused', () => {
    const x = tf.input({ shape: [2, 2, 8] });
    const out = resBlockUp(x, null, { ...conv, outChannels: 8, norm: 'bn', name: 'g', seed: 1 });
    expect(tf.model({ inputs: x, outputs: out }).layers.map((l) => l.name)).toEqual(
      expect.arrayContaining(['g/bn1', 'g/bn2']),
    );
    expect(() => resBlockUp(x, null, { ...conv, outChannels: 8, norm: 'cbn', numClasses: 2, name: 'h' })).toThrow(
      /needs the class labels/,
    );
  });
});

describe('resBlockDown', () => {
  it('optimized: conv3×3-ReLU-conv3×3-avgpool + (avgpool → conv1×1)', () => {
    const x = tf.input({ shape: [8, 8, 3] });
    const out = resBlockDown(x, { ...conv, outChannels: 4, optimized: true, downsample: true, name: 'd1', seed: 2 });
    expect(out.shape).toEqual([null, 4, 4, 4]);
    const model = tf.model({ inputs: x, outputs: out });
    expect(names(model, 'd1')).toEqual(
      ['d1/add', 'd1/conv1', 'd1/conv2', 'd1/pool', 'd1/relu1', 'd1/shortcut', 'd1/shortcut_pool'].sort(),
    );
    expect(source(model, 'd1/shortcut')).toBe('d1/shortcut_pool');
    expect(source(model, 'd1/conv1')).toBe(model.inputLayers[0].name); // no ReLU on the image
    const xv = seededTensor([2, 8, 8, 3], 3);
    const h = run(model, 'd1/pool', run(model, 'd1/conv2', tf.relu(run(model, 'd1/conv1', xv))));
    const expected = tf.add(h, run(model, 'd1/shortcut', run(model, 'd1/shortcut_pool', xv)));
    expect(maxAbsDiff(model.predict(xv) as tf.Tensor, expected)).toBeLessThan(1e-5);
  });

  it('regular: ReLU-conv-ReLU-conv-avgpool + (conv1×1 → avgpool); identity shortcut when neither pooling nor widening', () => {
    const x = tf.input({ shape: [4, 4, 4] });
    const down = resBlockDown(x, { ...conv, outChannels: 4, optimized: false, downsample: true, name: 'd2', seed: 3 });
    const same = resBlockDown(down, {
      ...conv,
      outChannels: 4,
      optimized: false,
      downsample: false,
      name: 'd3',
      seed: 4,
    });
    const wider = resBlockDown(same, {
      ...conv,
      outChannels: 8,
      optimized: false,
      downsample: false,
      name: 'd4',
      seed: 5,
    });
    expect([down.shape, same.shape, wider.shape]).toEqual([
      [null, 2, 2, 4],
      [null, 2, 2, 4],
      [null, 2, 2, 8],
    ]);
    const model = tf.model({ inputs: x, outputs: wider });
    expect(source(model, 'd2/shortcut_pool')).toBe('d2/shortcut');
    expect(source(model, 'd2/conv1')).toBe('d2/relu1');
    expect(names(model, 'd3')).not.toContain('d3/shortcut');
    expect(names(model, 'd4')).toContain('d4/shortcut');
    expect(names(model, 'd4')).not.toContain('d4/pool');
    const xv = seededTensor([1, 4, 4, 4], 4);
    const d2 = tf.add(
      run(model, 'd2/pool', run(model, 'd2/conv2', tf.relu(run(model, 'd2/conv1', tf.relu(xv))))),
      run(model, 'd2/shortcut_pool', run(model, 'd2/shortcut', xv)),
    );
    const d3 = tf.add(run(model, 'd3/conv2', tf.relu(run(model, 'd3/conv1', tf.relu(d2)))), d2);
    const d4 = tf.add(
      run(model, 'd4/conv2', tf.relu(run(model, 'd4/conv1', tf.relu(d3)))),
      run(model, 'd4/shortcut', d3),
    );
    expect(maxAbsDiff(model.predict(xv) as tf.Tensor, d4)).toBeLessThan(1e-5);
  });
});

describe('resBlock', () => {
  it('keeps H×W; norm none/bn/cbn; identity or 1×1 shortcut by channel count', () => {
    const x = tf.input({ shape: [4, 4, 8] });
    const y = labelInput();
    const a = resBlock(x, null, { ...conv, outChannels: 8, norm: 'none', name: 'r1' });
    const b = resBlock(a, null, { ...conv, outChannels: 16, norm: 'bn', name: 'r2' });
    const c = resBlock(b, y, { ...conv, outChannels: 16, norm: 'cbn', numClasses: 4, name: 'r3' });
    expect(c.shape).toEqual([null, 4, 4, 16]);
    const model = tf.model({ inputs: [x, y], outputs: c });
    expect(names(model, 'r1')).toEqual(['r1/add', 'r1/conv1', 'r1/conv2', 'r1/relu1', 'r1/relu2']);
    expect(names(model, 'r2')).toEqual(expect.arrayContaining(['r2/bn1', 'r2/bn2', 'r2/shortcut']));
    expect(names(model, 'r3')).toEqual(expect.arrayContaining(['r3/cbn1', 'r3/cbn2']));
    expect(names(model, 'r3')).not.toContain('r3/shortcut');
  });
});

describe('blocks save → load', () => {
  it('a model of all three blocks reloads with identical outputs after a training step moved its state', async () => {
    const x = tf.input({ shape: [4, 4, 8] });
    const y = labelInput();
    let h = resBlockUp(x, y, { ...conv, outChannels: 8, norm: 'cbn', numClasses: 3, name: 'up', seed: 1 });
    h = resBlockDown(h, { ...conv, outChannels: 8, optimized: false, downsample: true, name: 'down', seed: 2 });
    h = resBlock(h, null, {
      ...conv,
      spectralNorm: false,
      useBias: false,
      outChannels: 16,
      norm: 'bn',
      name: 'res',
      seed: 3,
    });
    const model = tf.model({ inputs: [x, y], outputs: h });
    const inputs = [seededTensor([2, 4, 4, 8], 5), tf.tensor2d([[1], [2]], [2, 1], 'int32')];
    tf.dispose(model.apply(inputs, { training: true }) as tf.Tensor);
    const loaded = await saveAndLoad(model);
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    const a = model.predict(inputs) as tf.Tensor;
    const b = loaded.predict(inputs) as tf.Tensor;
    expect(maxAbsDiff(a, b)).toBe(0);
    loaded.dispose();
  });
});
