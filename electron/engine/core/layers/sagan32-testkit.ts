import * as tf from '@tensorflow/tfjs';
import { BatchNorm } from './batch-norm';
import { conv, relu, resBlock, resBlockDown, resBlockUp } from './blocks';
import { GlobalSumPool } from './global-sum-pool';
import { labelInput } from './labels';
import { ProjectionHead } from './projection-head';
import { SelfAttention } from './self-attention';
import { SNDense } from './sn-dense';

/*
 * For tests only (not exported from the layers' index, so not in an export's sagan-layers.js): the reference
 * "SAGAN-32" of ../shared/reference/sagan_torch.py built from our layers, with layer names
 * mirroring its module names (lin, b1..b4, att, bn, out) so weights map one to one (sagan32TorchPrefix).
 * Full size: G 4,386,756 and D 1,075,810 trainable parameters; widths can be shrunk for quick tests.
 */

export interface Sagan32Options {
  zDim?: number;
  numClasses?: number;
  /** G width (reference 256). */
  gChannels?: number;
  /** D width (reference 128). */
  dChannels?: number;
  /** Base seed for all initialisers (offset per layer); omit for unseeded. */
  seed?: number;
}

const seedAt = (o: Sagan32Options, k: number) => (o.seed == null ? null : o.seed + 1000 * k);

/** G(z [zDim], labels [1] int32) → image [32, 32, 3] in (−1, 1). */
export function buildSagan32Generator(o: Sagan32Options = {}): tf.LayersModel {
  const { zDim = 128, numClasses = 10, gChannels: ch = 256 } = o;
  const z = tf.input({ shape: [zDim], name: 'z' });
  const labels = labelInput('labels');
  const block = (k: number) => ({
    outChannels: ch,
    norm: 'cbn' as const,
    numClasses,
    spectralNorm: true,
    useBias: true,
    name: `b${k}`,
    seed: seedAt(o, k),
  });
  let h = new SNDense({ name: 'lin', units: 16 * ch, seed: seedAt(o, 0) }).apply(z) as tf.SymbolicTensor;
  // torch views the linear output as [B, C, 4, 4] (NCHW); reshaping the same way and then permuting to
  // NHWC keeps lin's weights identical to torch's instead of permuting its output units.
  h = tf.layers.reshape({ name: 'lin_view', targetShape: [ch, 4, 4] }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.permute({ name: 'lin_nhwc', dims: [2, 3, 1] }).apply(h) as tf.SymbolicTensor;
  h = resBlockUp(resBlockUp(h, labels, block(1)), labels, block(2));
  h = new SelfAttention({
    name: 'att',
    variant: 'official',
    pooledKeys: false,
    useBias: true,
    spectralNorm: true,
    seed: seedAt(o, 4),
  }).apply(h) as tf.SymbolicTensor;
  h = resBlockUp(h, labels, block(3));
  h = relu(new BatchNorm({ name: 'bn' }).apply(h) as tf.SymbolicTensor, 'out_relu');
  h = conv(h, 3, 3, 'out', { spectralNorm: true, useBias: true, seed: seedAt(o, 5) });
  const image = tf.layers.activation({ name: 'tanh', activation: 'tanh' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ name: 'generator', inputs: [z, labels], outputs: image });
}

/** D(image [32, 32, 3], labels [1] int32) → score [1]. */
export function buildSagan32Discriminator(o: Sagan32Options = {}): tf.LayersModel {
  const { numClasses = 10, dChannels: ch = 128 } = o;
  const image = tf.input({ shape: [32, 32, 3], name: 'image' });
  const labels = labelInput('labels');
  const conv = { spectralNorm: true, useBias: true };
  let h = resBlockDown(image, {
    ...conv,
    outChannels: ch,
    optimized: true,
    downsample: true,
    name: 'b1',
    seed: seedAt(o, 1),
  });
  h = new SelfAttention({
    name: 'att',
    variant: 'official',
    pooledKeys: false,
    useBias: true,
    spectralNorm: true,
    seed: seedAt(o, 5),
  }).apply(h) as tf.SymbolicTensor;
  h = resBlockDown(h, { ...conv, outChannels: ch, optimized: false, downsample: true, name: 'b2', seed: seedAt(o, 2) });
  h = resBlock(h, null, { ...conv, outChannels: ch, norm: 'none', name: 'b3', seed: seedAt(o, 3) });
  h = resBlock(h, null, { ...conv, outChannels: ch, norm: 'none', name: 'b4', seed: seedAt(o, 4) });
  const pooled = new GlobalSumPool({ name: 'sum_pool' }).apply(relu(h, 'head_relu')) as tf.SymbolicTensor;
  const score = new ProjectionHead({
    name: 'head',
    numClasses,
    spectralNorm: true,
    useBias: true,
    seed: seedAt(o, 6),
  }).apply([pooled, labels]) as tf.SymbolicTensor;
  return tf.model({ name: 'discriminator', inputs: [image, labels], outputs: score });
}

const TORCH_ROLES: Record<string, string> = { conv1: 'c1', conv2: 'c2', shortcut: 'sc' };

/** The sagan_torch.py module path of one of our SAGAN-32 layers: `b1/conv1` → `b1.c1.`, `head` → `` (it holds lin and emb). */
export function sagan32TorchPrefix(layerName: string): string {
  if (layerName === 'head') return '';
  return (
    layerName
      .split('/')
      .map((part) => TORCH_ROLES[part] ?? part)
      .join('.') + '.'
  );
}
