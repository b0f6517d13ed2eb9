import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../../../graph-schemas';
import { GRAPH_DOCUMENT_VERSION, GRAPH_FORMAT, makeEditableCopy, networkNames } from '../../../../graph-schemas';
import { drawnFromParts } from '../../../../graph-schemas/composite/parts';
import { NetworkBuilder, paperTraining } from '../../../../graph-schemas/presets/builder';
import type { CompiledGan } from './compiled-gan';
import { compileGraph } from './compile';
import { discriminatorInputs, generatorInputs, labelTensor } from '../model/inputs';
import { seededRandom } from '../train/random';
import { selectBackend } from '../../node/backend';

/**
 * Every residual block of the catalog, drawn from parts (Conv 2D with and without SN, BN, CBN, ReLU, Upsample,
 * Average pool, Add), computes what the built-in computes with the same weights: G and D outputs in eval and
 * training mode, the spectral-norm vectors after a training forward, and the gradient of every weight and of
 * the input, to 1e-5.
 */
function residualDocument(): GraphDocument {
  const g = new NetworkBuilder('generator');
  g.side('z', 'NoiseInput', { dim: 8 });
  g.side('g_label', 'ClassLabelInput');
  g.add('g_linear', 'Linear', { units: 4 * 4 * 16 }, { in: 'z' });
  g.add('g_reshape', 'Reshape', { height: 4, width: 4, channels: 16 }, { in: 'g_linear' });
  g.add('g_up', 'ResBlockUp', { outChannels: 16, norm: 'cbn' }, { in: 'g_reshape', label: 'g_label' });
  g.add('g_up2', 'ResBlockUp', { outChannels: 8, norm: 'bn', spectralNorm: false, bias: false }, { in: 'g_up' });
  g.add('g_res', 'ResBlock', { outChannels: 8, norm: 'cbn' }, { in: 'g_up2', label: 'g_label' });
  g.add('g_res2', 'ResBlock', { outChannels: 12, norm: 'bn' }, { in: 'g_res' });
  g.imageHead('g_res2', 3);
  const d = new NetworkBuilder('discriminator');
  d.side('image', 'ImageInput');
  d.side('d_label', 'ClassLabelInput');
  d.add('d_down', 'ResBlockDown', { outChannels: 8, optimized: true }, { in: 'image' });
  d.add('d_down2', 'ResBlockDown', { outChannels: 16, optimized: false, bias: false }, { in: 'd_down' });
  d.add('d_res', 'ResBlock', { outChannels: 16, norm: 'none' }, { in: 'd_down2' });
  d.add('d_res2', 'ResBlock', { outChannels: 24, norm: 'none', spectralNorm: false }, { in: 'd_res' });
  d.projectionScore('d_res2', 'd_label');
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_DOCUMENT_VERSION,
    name: 'Residual blocks',
    description: '',
    generator: g.build(),
    discriminator: d.build(),
    training: paperTraining({ batchSize: 4, steps: 1, sampleEvery: 1, checkpointEvery: 1, emaStart: 1 }),
    dataset: { source: { kind: 'mnist' }, imageSize: 16, channels: 3, classes: 3 },
    blocks: [],
  };
}

const B = 4;
const weightsOf = (gan: CompiledGan) =>
  new Map([...gan.generator.weights, ...gan.discriminator.weights].map((w) => [w.originalName, w]));

/** Random values for the weights that start neutral (norm scales and shifts, running statistics). */
function perturb(gan: CompiledGan) {
  const rng = seededRandom(4);
  for (const w of weightsOf(gan).values()) {
    const noise = rng.normal(w.shape.reduce<number>((a, b) => a * (b ?? 1), 1));
    const name = w.originalName;
    let values: Float32Array | null = null;
    if (/(gamma|gamma_embedding)$/.test(name)) values = noise.map((v) => 1 + 0.3 * v);
    else if (/(beta|beta_embedding|running_mean)$/.test(name)) values = noise.map((v) => 0.3 * v);
    else if (name.endsWith('running_var')) values = noise.map((v) => 0.5 + Math.abs(v));
    if (values) w.write(tf.tensor(values, w.shape as number[]));
  }
}

/** G's images and D's scores on them, and the gradients of a fixed weighting of the scores. */
function run(gan: CompiledGan, training: boolean) {
  const rng = seededRandom(9);
  const z = tf.tensor2d(rng.normal(B * 8), [B, 8]);
  const y = labelTensor(rng.ints(B, 3));
  const weighting = tf.tensor2d(rng.normal(B), [B, 1]);
  const names = new Map<string, string>();
  const vars = [...gan.generator.trainableWeights, ...gan.discriminator.trainableWeights].map((w) => {
    const v = w.read() as tf.Variable;
    names.set(v.name, w.originalName);
    return v;
  });
  let images: Float32Array = new Float32Array();
  let scores: Float32Array = new Float32Array();
  const { value, grads } = tf.variableGrads(() => {
    const x = gan.generator.apply(generatorInputs(gan, z, y), { training }) as tf.Tensor;
    const s = gan.discriminator.apply(discriminatorInputs(gan, x, y), { training }) as tf.Tensor;
    images = x.dataSync() as Float32Array;
    scores = s.dataSync() as Float32Array;
    return tf.sum(tf.mul(s, weighting));
  }, vars);
  const gradients = new Map(Object.entries(grads).map(([k, g]) => [names.get(k)!, g.dataSync() as Float32Array]));
  tf.dispose([z, y, weighting, value, ...Object.values(grads)]);
  return { images, scores, gradients };
}

const maxDiff = (a: Float32Array, b: Float32Array) => {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
};

/** Every residual node made a use of its own editable copy (a composite block of the document). */
function asComposites(doc: GraphDocument): GraphDocument {
  let out = doc;
  for (const network of networkNames)
    for (const node of doc[network].nodes) {
      if (!/^ResBlock/.test(node.type)) continue;
      const made = makeEditableCopy(out, network, node.id);
      if (!made) throw new Error(`no copy of ${node.id}`);
      out = made.doc;
    }
  return out;
}

describe('residual blocks drawn from parts', () => {
  beforeAll(async () => {
    await selectBackend({ requested: 'wasm' });
  });

  it.each([
    ['drawn in the network', (doc: GraphDocument) => drawnFromParts(doc)],
    ['as composite blocks (editable copies)', asComposites],
  ])('%s: match the built-ins with the same weights, forward and backward, eval and training mode', (_how, draw) => {
    const doc = residualDocument();
    const builtIn = compileGraph(doc);
    const drawn = draw(doc);
    const parts = compileGraph(drawn);
    try {
      expect(parts.generator.layers.map((l) => l.getClassName())).toContain('Add');
      expect(parts.generator.getLayer('g_up2/conv1').getClassName()).toBe('SaganSNConv2D');
      const ours = weightsOf(parts);
      const theirs = weightsOf(builtIn);
      expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
      perturb(builtIn);
      for (const [name, w] of theirs) ours.get(name)!.write(w.read());

      for (const training of [false, true]) {
        const a = run(builtIn, training);
        const b = run(parts, training);
        expect(maxDiff(a.images, b.images), `images, training ${training}`).toBeLessThanOrEqual(1e-5);
        expect(maxDiff(a.scores, b.scores), `scores, training ${training}`).toBeLessThanOrEqual(1e-5);
        expect(a.gradients.size).toBe(theirs.size - [...theirs.keys()].filter((n) => /running_|\/u$/.test(n)).length);
        for (const [name, g] of a.gradients) {
          const scale = Math.max(1, ...g.map(Math.abs));
          expect(maxDiff(g, b.gradients.get(name)!) / scale, `gradient of ${name}`).toBeLessThanOrEqual(1e-5);
        }
      }
      // Two training forwards updated the running statistics and spectral-norm vectors alike.
      for (const [name, w] of theirs) {
        if (!/running_|\/u$/.test(name)) continue;
        const diff = maxDiff(w.read().dataSync() as Float32Array, ours.get(name)!.read().dataSync() as Float32Array);
        expect(diff, name).toBeLessThanOrEqual(1e-5);
      }
    } finally {
      builtIn.dispose();
      parts.dispose();
    }
  });
});
