import * as tf from '@tensorflow/tfjs';
import { BatchNorm } from './batch-norm';
import { subSeed } from './layer-utils';
import { ConditionalBatchNorm } from './conditional-batch-norm';
import { SNConv2D } from './sn-conv2d';
import { UpsampleNearest } from './upsample';

/*
 * Residual blocks as small functional-API builders over SymbolicTensors. Every layer they create is
 * named `<block name>/<role>` (`up1/conv1`, `up1/cbn1`, `up1/shortcut`, ...) so its weights are
 * addressable as `up1/conv1/kernel` etc. Shortcut orders follow sagan_torch.py: G up2 → 1×1; D optimized
 * avg-pool → 1×1; D regular 1×1 → avg-pool.
 */

export type BlockNorm = 'none' | 'bn' | 'cbn';

export interface ConvSettings {
  spectralNorm: boolean;
  useBias: boolean;
  /** Base seed for the block's initialisers (each conv hashes it with its own name); omit for unseeded. */
  seed?: number | null;
}

function one(t: tf.SymbolicTensor | tf.SymbolicTensor[] | tf.Tensor | tf.Tensor[]): tf.SymbolicTensor {
  if (!(t instanceof tf.SymbolicTensor))
    throw new Error('Residual block builders take symbolic tensors (tf.input / layer outputs), not concrete tensors.');
  return t;
}

function channelsOf(x: tf.SymbolicTensor, block: string): number {
  const c = x.shape[x.shape.length - 1];
  if (x.shape.length !== 4 || c == null)
    throw new Error(`Block "${block}" takes feature maps [B, H, W, C] with known C, got [${x.shape.join(', ')}].`);
  return c;
}

/** SN (or plain) conv, stride 1, same padding. */
export function conv(
  x: tf.SymbolicTensor,
  filters: number,
  kernelSize: number,
  name: string,
  s: ConvSettings,
): tf.SymbolicTensor {
  return one(
    new SNConv2D({
      name,
      filters,
      kernelSize,
      spectralNorm: s.spectralNorm,
      useBias: s.useBias,
      seed: subSeed(s.seed, name) ?? null,
    }).apply(x),
  );
}

export function relu(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return one(tf.layers.reLU({ name }).apply(x));
}

/** Nearest-neighbour ×2 (torch F.interpolate(scale_factor=2, mode="nearest")); not tf.layers.upSampling2d, see upsample.ts. */
export function upsample2x(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return one(new UpsampleNearest({ name, factor: 2 }).apply(x));
}

/** 2×2 average pooling, stride 2 (torch F.avg_pool2d(x, 2)). */
export function avgPool2x(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return one(tf.layers.averagePooling2d({ name, poolSize: [2, 2], strides: [2, 2], padding: 'valid' }).apply(x));
}

export function add(a: tf.SymbolicTensor, b: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return one(tf.layers.add({ name }).apply([a, b]));
}

/** BN / CBN / nothing, named `<block>/<bn|cbn><k>`. */
export function norm(
  x: tf.SymbolicTensor,
  labels: tf.SymbolicTensor | null,
  kind: BlockNorm,
  block: string,
  k: number,
  numClasses?: number,
): tf.SymbolicTensor {
  if (kind === 'none') return x;
  if (kind === 'bn') return one(new BatchNorm({ name: `${block}/bn${k}` }).apply(x));
  if (labels === null)
    throw new Error(
      `Block "${block}" uses conditional batch norm and needs the class labels; pass the label input, or use norm "bn".`,
    );
  if (numClasses == null) throw new Error(`Block "${block}" uses conditional batch norm; give numClasses.`);
  return one(new ConditionalBatchNorm({ name: `${block}/cbn${k}`, numClasses }).apply([x, labels]));
}

export interface ResBlockUpOptions extends ConvSettings {
  outChannels: number;
  norm: 'cbn' | 'bn';
  numClasses?: number;
  name: string;
}

/** G block: norm-ReLU-up2-conv3×3-norm-ReLU-conv3×3, plus shortcut up2 → conv1×1. Doubles H and W. */
export function resBlockUp(
  x: tf.SymbolicTensor,
  labels: tf.SymbolicTensor | null,
  o: ResBlockUpOptions,
): tf.SymbolicTensor {
  channelsOf(x, o.name);
  const n = o.name;
  let h = norm(x, labels, o.norm, n, 1, o.numClasses);
  h = upsample2x(relu(h, `${n}/relu1`), `${n}/up`);
  h = conv(h, o.outChannels, 3, `${n}/conv1`, o);
  h = relu(norm(h, labels, o.norm, n, 2, o.numClasses), `${n}/relu2`);
  h = conv(h, o.outChannels, 3, `${n}/conv2`, o);
  const shortcut = conv(upsample2x(x, `${n}/shortcut_up`), o.outChannels, 1, `${n}/shortcut`, o);
  return add(h, shortcut, `${n}/add`);
}

export interface ResBlockDownOptions extends ConvSettings {
  outChannels: number;
  /** The first D block, on the image: no leading ReLU, shortcut avg-pool → 1×1 (always downsamples). */
  optimized: boolean;
  /** Average-pool 2×2 at the end (regular blocks only; optimized blocks always do). */
  downsample: boolean;
  name: string;
}

/**
 * D block. optimized: conv3×3-ReLU-conv3×3-avgpool + shortcut avgpool → conv1×1.
 * regular: ReLU-conv3×3-ReLU-conv3×3(-avgpool) + shortcut conv1×1(-avgpool) when downsampling or
 * widening, else the identity.
 */
export function resBlockDown(x: tf.SymbolicTensor, o: ResBlockDownOptions): tf.SymbolicTensor {
  const cIn = channelsOf(x, o.name);
  const n = o.name;
  if (o.optimized) {
    let h = relu(conv(x, o.outChannels, 3, `${n}/conv1`, o), `${n}/relu1`);
    h = avgPool2x(conv(h, o.outChannels, 3, `${n}/conv2`, o), `${n}/pool`);
    const shortcut = conv(avgPool2x(x, `${n}/shortcut_pool`), o.outChannels, 1, `${n}/shortcut`, o);
    return add(h, shortcut, `${n}/add`);
  }
  let h = conv(relu(x, `${n}/relu1`), o.outChannels, 3, `${n}/conv1`, o);
  h = conv(relu(h, `${n}/relu2`), o.outChannels, 3, `${n}/conv2`, o);
  let shortcut = o.downsample || cIn !== o.outChannels ? conv(x, o.outChannels, 1, `${n}/shortcut`, o) : x;
  if (o.downsample) {
    h = avgPool2x(h, `${n}/pool`);
    shortcut = avgPool2x(shortcut, `${n}/shortcut_pool`);
  }
  return add(h, shortcut, `${n}/add`);
}

export interface ResBlockOptions extends ConvSettings {
  outChannels: number;
  norm: BlockNorm;
  numClasses?: number;
  name: string;
}

/** No resampling: (norm-)ReLU-conv3×3-(norm-)ReLU-conv3×3 + identity, or conv1×1 when the channels change. */
export function resBlock(
  x: tf.SymbolicTensor,
  labels: tf.SymbolicTensor | null,
  o: ResBlockOptions,
): tf.SymbolicTensor {
  const cIn = channelsOf(x, o.name);
  const n = o.name;
  let h = conv(relu(norm(x, labels, o.norm, n, 1, o.numClasses), `${n}/relu1`), o.outChannels, 3, `${n}/conv1`, o);
  h = conv(relu(norm(h, labels, o.norm, n, 2, o.numClasses), `${n}/relu2`), o.outChannels, 3, `${n}/conv2`, o);
  const shortcut = cIn !== o.outChannels ? conv(x, o.outChannels, 1, `${n}/shortcut`, o) : x;
  return add(h, shortcut, `${n}/add`);
}
