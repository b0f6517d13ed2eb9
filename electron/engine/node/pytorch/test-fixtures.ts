import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphDocument } from '../../../../graph-schemas';
import {
  findPreset,
  GRAPH_DOCUMENT_VERSION,
  GRAPH_FORMAT,
  groupIntoBlock,
  makeEditableCopy,
} from '../../../../graph-schemas';
import { NetworkBuilder, paperTraining } from '../../../../graph-schemas/presets/builder';
import type { CompiledGan } from '../../core/compile/compiled-gan';
import { seededRandom } from '../../core/train/random';
import { encodePng } from '../png';

/**
 * A small graph that uses every block type the SAGAN presets leave out (Conv2D with SN off, LeakyReLU, Upsample,
 * AvgPool, BatchNorm and ConditionalBatchNorm nodes, ResBlock with cbn and bn, the paper's attention with full
 * keys, a Reshape of a feature map, an unconditional D ending in a Linear, a Concat of two paths in G and a skip
 * connection joined by Add in D), so parity covers the whole catalog.
 */
export function everyBlockDocument(): GraphDocument {
  const g = new NetworkBuilder('generator');
  g.side('z', 'NoiseInput', { dim: 16 });
  g.side('g_label', 'ClassLabelInput');
  g.add('g_linear', 'Linear', { units: 256, spectralNorm: true, bias: true }, { in: 'z' });
  g.add('g_reshape', 'Reshape', { height: 4, width: 4, channels: 16 }, { in: 'g_linear' });
  g.add('g_cbn', 'ConditionalBatchNorm', { eps: 1e-4, momentum: 0.2 }, { in: 'g_reshape', label: 'g_label' });
  g.add('g_leaky', 'LeakyReLU', { alpha: 0.1 }, { in: 'g_cbn' });
  g.add('g_upsample', 'Upsample', { factor: 2 }, { in: 'g_leaky' });
  g.add('g_conv', 'Conv2D', { filters: 16, kernelSize: 5, spectralNorm: false, bias: true }, { in: 'g_upsample' });
  g.add('g_concat', 'Concat', {}, { a: 'g_conv', b: 'g_upsample' });
  g.add(
    'g_res',
    'ResBlock',
    { outChannels: 24, norm: 'cbn', spectralNorm: true, bias: false },
    { in: 'g_concat', label: 'g_label' },
  );
  g.add(
    'g_attention',
    'SelfAttention',
    { variant: 'paper', keys: 'full', bias: true, spectralNorm: true },
    { in: 'g_res' },
  );
  g.add('g_up', 'ResBlockUp', { outChannels: 16, norm: 'bn', spectralNorm: true, bias: true }, { in: 'g_attention' });
  g.imageHead('g_up', 3);

  const d = new NetworkBuilder('discriminator');
  d.side('image', 'ImageInput');
  d.add('d_conv', 'Conv2D', { filters: 16, kernelSize: 3, spectralNorm: true, bias: true }, { in: 'image' });
  d.add('d_leaky', 'LeakyReLU', { alpha: 0.2 }, { in: 'd_conv' });
  d.add('d_pool', 'AvgPool', {}, { in: 'd_leaky' });
  d.add('d_reshape', 'Reshape', { height: 4, width: 4, channels: 64 }, { in: 'd_pool' });
  d.add('d_res', 'ResBlock', { outChannels: 64, norm: 'bn', spectralNorm: true, bias: true }, { in: 'd_reshape' });
  d.add('d_skip', 'Add', {}, { a: 'd_res', b: 'd_reshape' });
  d.add(
    'd_attention',
    'SelfAttention',
    { variant: 'official', keys: 'pooled', bias: true, spectralNorm: true },
    { in: 'd_skip' },
  );
  d.add(
    'd_down',
    'ResBlockDown',
    { outChannels: 32, optimized: false, spectralNorm: false, bias: true },
    { in: 'd_attention' },
  );
  d.add('d_relu', 'ReLU', {}, { in: 'd_down' });
  d.add('d_sum', 'GlobalSumPool', {}, { in: 'd_relu' });
  d.add('d_linear', 'Linear', { units: 1, spectralNorm: true, bias: true }, { in: 'd_sum' });
  d.add('d_out', 'DiscriminatorOutput', {}, { in: 'd_linear' });
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_DOCUMENT_VERSION,
    name: 'Every block',
    description: 'Test graph for the PyTorch export.',
    generator: g.build(),
    discriminator: d.build(),
    training: paperTraining({ batchSize: 4, steps: 10, sampleEvery: 5, checkpointEvery: 5, emaStart: 1 }),
    dataset: { source: { kind: 'folder', path: 'unused' }, imageSize: 16, channels: 3, classes: 4 },
    blocks: [],
  };
}

/**
 * sagan-mnist with G's three up-blocks as uses of one composite block (an editable copy of the first) and D's
 * first block as a copy of its own: the export writes one module per composite type.
 */
export function compositeDocument(): GraphDocument {
  const g = makeEditableCopy(findPreset('sagan-mnist')!.build(), 'generator', 'g_up1')!;
  for (const node of g.doc.generator.nodes)
    if (node.id === 'g_up2' || node.id === 'g_up3')
      Object.assign(node, { type: g.type, params: { outChannels: node.params.outChannels } });
  const first = g.doc.discriminator.nodes.find((n) => n.type === 'ResBlockDown')!;
  return { ...makeEditableCopy(g.doc, 'discriminator', first.id)!.doc, name: 'Composite blocks' };
}

/**
 * The composite document with blocks inside blocks: G's second up-block (a use of the copy) and its attention
 * grouped as "AttentionUp", and that with the third up-block grouped as "Tail" (Tail holds AttentionUp holds
 * ResBlockUpCopy, and Tail holds a ResBlockUpCopy of its own). The export writes each type as a class of its own.
 */
export function nestedCompositeDocument(): GraphDocument {
  const inner = groupIntoBlock(compositeDocument(), 'generator', ['g_up2', 'g_attention'], 'AttentionUp');
  if (!inner.ok) throw new Error(inner.reason);
  const outer = groupIntoBlock(inner.doc, 'generator', [inner.nodeId, 'g_up3'], 'Tail');
  if (!outer.ok) throw new Error(outer.reason);
  return { ...outer.doc, name: 'Nested composite blocks' };
}

/**
 * Moves the weights that start at a neutral value (attention γ = 0, CBN and BN scales 1 and shifts 0, running
 * statistics 0 and 1) to random ones, so that a parity check exercises every path.
 */
export function perturbNeutralWeights(gan: CompiledGan, seed: number): void {
  const rng = seededRandom(seed);
  for (const model of [gan.generator, gan.discriminator]) {
    for (const w of model.weights) {
      const name = w.originalName;
      const n = w.shape.reduce<number>((a, b) => a * (b ?? 1), 1);
      const noise = rng.normal(n);
      let values: Float32Array | null = null;
      if (/\/gamma$/.test(name) && w.shape.length === 0) values = Float32Array.of(0.5 + Math.abs(noise[0]!));
      else if (/(gamma|gamma_embedding)$/.test(name)) values = noise.map((v) => 1 + 0.3 * v);
      else if (/(beta|beta_embedding)$/.test(name)) values = noise.map((v) => 0.3 * v);
      else if (name.endsWith('running_mean')) values = noise.map((v) => 0.2 * v);
      else if (name.endsWith('running_var')) values = noise.map((v) => 0.5 + Math.abs(v));
      if (values) w.write(tf.tensor(values, w.shape as number[]));
    }
  }
}

/** A class-folder dataset of `perClass` gray size×size PNGs per class (class k: a bar at row k, plus noise). */
export function tinyImageFolder(dir: string, classes: number, perClass: number, size: number): void {
  const rng = seededRandom(99);
  for (let c = 0; c < classes; c++) {
    mkdirSync(join(dir, `class-${c}`), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const noise = rng.normal(size * size);
      const rgba = new Uint8ClampedArray(size * size * 4);
      for (let p = 0; p < size * size; p++) {
        const row = Math.floor(p / size);
        const v = (Math.abs(row - (2 + 2 * c)) < 2 ? 220 : 20) + 15 * noise[p]!;
        rgba.set([v, v, v, 255], p * 4);
      }
      writeFileSync(join(dir, `class-${c}`, `img-${i}.png`), encodePng({ width: size, height: size, rgba }));
    }
  }
}
