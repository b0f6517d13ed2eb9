import * as tf from '@tensorflow/tfjs';
import type { NetworkName, NodeReport } from '../../../../graph-schemas';
import { attentionKeysPooled } from '../../../../graph-schemas';
import {
  BatchNorm,
  deriveSeed,
  ConditionalBatchNorm,
  GlobalSumPool,
  ProjectionHead,
  resBlock,
  resBlockDown,
  resBlockUp,
  SelfAttention,
  SNConv2D,
  SNDense,
  UpsampleNearest,
} from '../layers';
import type { AttentionProbe } from './compiled-gan';

export type SymbolicValue = tf.SymbolicTensor;

export interface BuildContext {
  network: NetworkName;
  classes: number;
  /** The document's seed; each node's initialisers hash it with the network and the node id (nodeSeed). */
  seed: number;
  mainInput(shape: number[]): tf.SymbolicTensor;
  labelInput(): tf.SymbolicTensor;
  setOutput(t: tf.SymbolicTensor): void;
  addAttention(probe: AttentionProbe): void;
}

type Config = Record<string, unknown>;
type Builder = (
  node: NodeReport,
  cfg: Config,
  inputs: Record<string, SymbolicValue>,
  ctx: BuildContext,
) => SymbolicValue | undefined;

const apply = (layer: tf.layers.Layer, x: SymbolicValue | SymbolicValue[]) => layer.apply(x) as SymbolicValue;
/** The seed of one node's initialisers: layers of the same shape in G and D, or twice in one network, start apart. */
export const nodeSeed = (node: NodeReport, ctx: BuildContext) => deriveSeed(ctx.seed, ctx.network, node.id);
const conv = (node: NodeReport, cfg: Config, ctx: BuildContext) => ({
  spectralNorm: cfg.spectralNorm as boolean,
  useBias: cfg.bias as boolean,
  seed: nodeSeed(node, ctx),
});
const shapeOf = (node: NodeReport) => (node.outputs.out as { shape: number[] }).shape;

const builders: Record<string, Builder> = {
  NoiseInput: (node, _cfg, _in, ctx) => ctx.mainInput(shapeOf(node)),
  ImageInput: (node, _cfg, _in, ctx) => ctx.mainInput(shapeOf(node)),
  ClassLabelInput: (_node, _cfg, _in, ctx) => ctx.labelInput(),
  Linear: (node, cfg, inputs, ctx) =>
    apply(new SNDense({ name: node.id, units: cfg.units as number, ...conv(node, cfg, ctx) }), inputs.in!),
  Reshape: (node, cfg, inputs) =>
    apply(
      tf.layers.reshape({
        name: node.id,
        targetShape: [cfg.height as number, cfg.width as number, cfg.channels as number],
      }),
      inputs.in!,
    ),
  Conv2D: (node, cfg, inputs, ctx) =>
    apply(
      new SNConv2D({
        name: node.id,
        filters: cfg.filters as number,
        kernelSize: cfg.kernelSize as number,
        ...conv(node, cfg, ctx),
      }),
      inputs.in!,
    ),
  ResBlockUp: (node, cfg, inputs, ctx) =>
    resBlockUp(inputs.in!, inputs.label ?? null, {
      name: node.id,
      outChannels: cfg.outChannels as number,
      norm: cfg.norm as 'cbn' | 'bn',
      numClasses: ctx.classes,
      ...conv(node, cfg, ctx),
    }),
  ResBlockDown: (node, cfg, inputs, ctx) =>
    resBlockDown(inputs.in!, {
      name: node.id,
      outChannels: cfg.outChannels as number,
      optimized: cfg.optimized as boolean,
      downsample: true,
      ...conv(node, cfg, ctx),
    }),
  ResBlock: (node, cfg, inputs, ctx) =>
    resBlock(inputs.in!, inputs.label ?? null, {
      name: node.id,
      outChannels: cfg.outChannels as number,
      norm: cfg.norm as 'none' | 'bn' | 'cbn',
      numClasses: ctx.classes,
      ...conv(node, cfg, ctx),
    }),
  SelfAttention: (node, cfg, inputs, ctx) => {
    const layer = new SelfAttention({
      name: node.id,
      variant: cfg.variant as 'official' | 'paper',
      pooledKeys: attentionKeysPooled(cfg as { variant: 'official' | 'paper'; keys: 'auto' | 'pooled' | 'full' }),
      useBias: cfg.bias as boolean,
      spectralNorm: cfg.spectralNorm as boolean,
      seed: nodeSeed(node, ctx),
    });
    const [h, w] = shapeOf(node);
    ctx.addAttention({
      nodeId: node.id,
      network: ctx.network,
      queryHeight: h!,
      queryWidth: w!,
      setQueries: (q) => layer.setAttentionProbe(q),
      takeMaps: () => layer.takeProbedAttention(),
      gamma: () => layer.gamma(),
    });
    return apply(layer, inputs.in!);
  },
  BatchNorm: (node, cfg, inputs) =>
    apply(new BatchNorm({ name: node.id, epsilon: cfg.eps as number, momentum: cfg.momentum as number }), inputs.in!),
  ConditionalBatchNorm: (node, cfg, inputs, ctx) =>
    apply(
      new ConditionalBatchNorm({
        name: node.id,
        numClasses: ctx.classes,
        epsilon: cfg.eps as number,
        momentum: cfg.momentum as number,
      }),
      [inputs.in!, inputs.label!],
    ),
  ReLU: (node, _cfg, inputs) => apply(tf.layers.reLU({ name: node.id }), inputs.in!),
  LeakyReLU: (node, cfg, inputs) =>
    apply(tf.layers.leakyReLU({ name: node.id, alpha: cfg.alpha as number }), inputs.in!),
  Tanh: (node, _cfg, inputs) => apply(tf.layers.activation({ name: node.id, activation: 'tanh' }), inputs.in!),
  Upsample: (node, cfg, inputs) =>
    apply(new UpsampleNearest({ name: node.id, factor: cfg.factor as number }), inputs.in!),
  AvgPool: (node, _cfg, inputs) =>
    apply(tf.layers.averagePooling2d({ name: node.id, poolSize: 2, strides: 2, padding: 'valid' }), inputs.in!),
  GlobalSumPool: (node, _cfg, inputs) => apply(new GlobalSumPool({ name: node.id }), inputs.in!),
  ProjectionHead: (node, cfg, inputs, ctx) =>
    apply(new ProjectionHead({ name: node.id, numClasses: ctx.classes, ...conv(node, cfg, ctx) }), [
      inputs.in!,
      inputs.label!,
    ]),
  GeneratorOutput: (_node, _cfg, inputs, ctx) => void ctx.setOutput(inputs.in!),
  DiscriminatorOutput: (_node, _cfg, inputs, ctx) => void ctx.setOutput(inputs.in!),
};

/** Builds the layers of one node. */
export function buildNode(
  node: NodeReport,
  inputs: Record<string, SymbolicValue>,
  ctx: BuildContext,
): SymbolicValue | undefined {
  const builder = builders[node.type];
  if (!builder) throw new Error(`The engine cannot compile block type "${node.type}" (node "${node.id}").`);
  return builder(node, node.config ?? {}, inputs, ctx);
}

/** Every block type the engine compiles (a test checks this covers the whole catalog). */
export const compilableBlockTypes = Object.keys(builders);
