import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../../../graph-schemas';
import { GRAPH_DOCUMENT_VERSION, GRAPH_FORMAT, validateGraph } from '../../../../graph-schemas';
import { NetworkBuilder, paperTraining } from '../../../../graph-schemas/presets/builder';
import { readArrays } from '../model/weights';
import { seededRandom } from '../train/random';
import type { BatchSource } from '../train/rng-source';
import { makeOptimizers, trainIteration } from '../train/step';
import { compileGraph } from './compile';

/** A GAN whose residual paths are drawn by hand: skip connections joined with Add, two branches with Concat. */
function skipDocument(): GraphDocument {
  const g = new NetworkBuilder('generator');
  g.side('z', 'NoiseInput', { dim: 8 });
  g.add('g_linear', 'Linear', { units: 4 * 4 * 8 }, { in: 'z' });
  g.add('g_reshape', 'Reshape', { height: 4, width: 4, channels: 8 }, { in: 'g_linear' });
  g.add('g_relu1', 'ReLU', {}, { in: 'g_reshape' });
  g.add('g_conv1', 'Conv2D', { filters: 8, kernelSize: 3 }, { in: 'g_relu1' });
  g.add('g_relu2', 'ReLU', {}, { in: 'g_conv1' });
  g.add('g_conv2', 'Conv2D', { filters: 8, kernelSize: 3 }, { in: 'g_relu2' });
  g.add('g_skip', 'Add', {}, { a: 'g_conv2', b: 'g_reshape' });
  g.add('g_wide', 'Conv2D', { filters: 4, kernelSize: 1 }, { in: 'g_reshape' });
  g.add('g_concat', 'Concat', {}, { a: 'g_skip', b: 'g_wide' });
  g.add('g_upsample', 'Upsample', { factor: 2 }, { in: 'g_concat' });
  g.imageHead('g_upsample', 1);
  const d = new NetworkBuilder('discriminator');
  d.side('image', 'ImageInput');
  d.add('d_conv0', 'Conv2D', { filters: 8, kernelSize: 3 }, { in: 'image' });
  d.add('d_relu1', 'ReLU', {}, { in: 'd_conv0' });
  d.add('d_conv1', 'Conv2D', { filters: 8, kernelSize: 3 }, { in: 'd_relu1' });
  d.add('d_skip', 'Add', {}, { a: 'd_conv1', b: 'd_conv0' });
  d.add('d_pool', 'AvgPool', {}, { in: 'd_skip' });
  d.add('d_relu', 'ReLU', {}, { in: 'd_pool' });
  d.add('d_sum', 'GlobalSumPool', {}, { in: 'd_relu' });
  d.add('d_linear', 'Linear', { units: 1 }, { in: 'd_sum' });
  d.add('d_out', 'DiscriminatorOutput', {}, { in: 'd_linear' });
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_DOCUMENT_VERSION,
    name: 'Skip connections',
    description: '',
    generator: g.build(),
    discriminator: d.build(),
    training: paperTraining({ batchSize: 4, steps: 3, sampleEvery: 3, checkpointEvery: 3, emaStart: 1 }),
    dataset: { source: { kind: 'mnist' }, imageSize: 8, channels: 1, classes: 0 },
    blocks: [],
  };
}

describe('a skip connection drawn with Add (and a Concat of two branches)', () => {
  it('validates with the joined shapes and trains: finite losses, every path updated, no tensor leaked', async () => {
    const doc = skipDocument();
    const report = validateGraph(doc);
    expect(report.problems).toEqual([]);
    const shape = (id: string) => report.nodes.find((n) => n.id === id)?.outputShape;
    expect(shape('g_skip')).toEqual([4, 4, 8]);
    expect(shape('g_concat')).toEqual([4, 4, 12]);
    expect(shape('d_skip')).toEqual([8, 8, 8]);

    const gan = compileGraph(doc, report);
    try {
      expect(gan.generator.getLayer('g_skip').getClassName()).toBe('Add');
      expect(gan.generator.getLayer('g_concat').getClassName()).toBe('Concatenate');
      const optimizers = makeOptimizers(doc.training.generatorOptimizer, doc.training.discriminatorOptimizer);
      const rng = seededRandom(3);
      const data: BatchSource = {
        next: (b) => ({
          images: rng.normal(b * 64).map((v) => Math.tanh(v)),
          labels: new Int32Array(b),
          shape: [b, 8, 8, 1],
        }),
        getState: () => null,
        setState: () => {},
      };
      const watched = ['g_conv2/kernel', 'g_wide/kernel', 'g_linear/kernel'];
      const weightOf = (name: string) =>
        [...gan.generator.weights, ...gan.discriminator.weights].find((w) => w.originalName === name)!.read();
      const before = await readArrays([...watched, 'd_conv1/kernel', 'd_conv0/kernel'].map(weightOf));
      const settings = { objective: 'hinge' as const, dStepsPerGStep: 1, batchSize: 4 };
      await trainIteration(gan, optimizers, data, rng, settings); // the optimisers make their slots here
      const tensors = tf.memory().numTensors;
      for (let step = 0; step < 2; step++) {
        const r = await trainIteration(gan, optimizers, data, rng, settings);
        expect([r.lossD, r.lossG].every(Number.isFinite)).toBe(true);
      }
      expect(tf.memory().numTensors).toBe(tensors);
      const after = await readArrays([...watched, 'd_conv1/kernel', 'd_conv0/kernel'].map(weightOf));
      after.forEach((values, i) =>
        expect(
          values.some((v, k) => v !== before[i]![k]),
          `weight ${i}`,
        ).toBe(true),
      );
      optimizers.generator.dispose();
      optimizers.discriminator.dispose();
    } finally {
      gan.dispose();
    }
  });
});
