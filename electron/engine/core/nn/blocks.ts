import * as tf from '@tensorflow/tfjs';
import { BatchNorm, ConditionalBatchNorm } from './norm';
import { SNConv2D } from './sn-layers';

/**
 * Residual blocks composed from layers in the functional API (no monolithic layer with string flags).
 * Every layer is named "<block>/<part>", so weights stay addressable and map onto the reference's modules.
 */
type T = tf.SymbolicTensor;
const apply = (layer: tf.layers.Layer, x: T | T[]) => layer.apply(x) as T;

export interface ConvSettings {
  spectralNorm: boolean;
  useBias: boolean;
  seed?: number;
}

export type Norm = 'cbn' | 'bn' | 'none';

function conv(name: string, filters: number, kernelSize: number, s: ConvSettings) {
  return new SNConv2D({ name, filters, kernelSize, spectralNorm: s.spectralNorm, useBias: s.useBias, ...(s.seed !== undefined ? { seed: s.seed } : {}) });
}

function norm(name: string, kind: Norm, x: T, labels: T | null, numClasses: number): T {
  if (kind === 'none') return x;
  if (kind === 'bn') return apply(new BatchNorm({ name }), x);
  if (!labels) throw new Error(`${name}: conditional batch norm needs the class label.`);
  return apply(new ConditionalBatchNorm({ name, numClasses }), [x, labels]);
}

const relu = (name: string, x: T) => apply(tf.layers.reLU({ name }), x);
const up2 = (name: string, x: T) => apply(tf.layers.upSampling2d({ name, size: [2, 2], interpolation: 'nearest' }), x);
const pool2 = (name: string, x: T) => apply(tf.layers.averagePooling2d({ name, poolSize: 2, strides: 2, padding: 'valid' }), x);
const add = (name: string, a: T, b: T) => apply(tf.layers.add({ name }), [a, b]);

/** G block: norm-ReLU-up2-conv3×3-norm-ReLU-conv3×3, shortcut up2 then conv1×1. */
export function resBlockUp(x: T, labels: T | null, o: ConvSettings & { name: string; outChannels: number; norm: 'cbn' | 'bn'; numClasses: number }): T {
  const n = o.name;
  let h = norm(`${n}/norm1`, o.norm, x, labels, o.numClasses);
  h = conv(`${n}/conv1`, o.outChannels, 3, o).apply(up2(`${n}/up`, relu(`${n}/relu1`, h))) as T;
  h = norm(`${n}/norm2`, o.norm, h, labels, o.numClasses);
  h = conv(`${n}/conv2`, o.outChannels, 3, o).apply(relu(`${n}/relu2`, h)) as T;
  const shortcut = conv(`${n}/shortcut`, o.outChannels, 1, o).apply(up2(`${n}/shortcut_up`, x)) as T;
  return add(n, h, shortcut);
}

/**
 * D block with 2×2 average pooling. Optimized (first block, on the image): conv-ReLU-conv-pool, shortcut pool
 * then conv1×1. Regular: ReLU-conv-ReLU-conv-pool, shortcut conv1×1 then pool.
 */
export function resBlockDown(x: T, o: ConvSettings & { name: string; outChannels: number; optimized: boolean }): T {
  const n = o.name;
  if (o.optimized) {
    let h = conv(`${n}/conv1`, o.outChannels, 3, o).apply(x) as T;
    h = conv(`${n}/conv2`, o.outChannels, 3, o).apply(relu(`${n}/relu1`, h)) as T;
    h = pool2(`${n}/pool`, h);
    const shortcut = conv(`${n}/shortcut`, o.outChannels, 1, o).apply(pool2(`${n}/shortcut_pool`, x)) as T;
    return add(n, h, shortcut);
  }
  let h = conv(`${n}/conv1`, o.outChannels, 3, o).apply(relu(`${n}/relu1`, x)) as T;
  h = conv(`${n}/conv2`, o.outChannels, 3, o).apply(relu(`${n}/relu2`, h)) as T;
  h = pool2(`${n}/pool`, h);
  const shortcut = pool2(`${n}/shortcut_pool`, conv(`${n}/shortcut`, o.outChannels, 1, o).apply(x) as T);
  return add(n, h, shortcut);
}

/** Block without resampling: (norm-)ReLU-conv3×3-(norm-)ReLU-conv3×3; shortcut identity, or conv1×1 when widening. */
export function resBlock(x: T, labels: T | null, o: ConvSettings & { name: string; outChannels: number; norm: Norm; numClasses: number }): T {
  const n = o.name;
  const cin = x.shape[3]!;
  let h = relu(`${n}/relu1`, norm(`${n}/norm1`, o.norm, x, labels, o.numClasses));
  h = conv(`${n}/conv1`, o.outChannels, 3, o).apply(h) as T;
  h = relu(`${n}/relu2`, norm(`${n}/norm2`, o.norm, h, labels, o.numClasses));
  h = conv(`${n}/conv2`, o.outChannels, 3, o).apply(h) as T;
  const shortcut = cin === o.outChannels ? x : (conv(`${n}/shortcut`, o.outChannels, 1, o).apply(x) as T);
  return add(n, h, shortcut);
}
