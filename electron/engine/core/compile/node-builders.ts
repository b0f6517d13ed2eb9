import * as tf from '@tensorflow/tfjs';
import type { CatalogBlockType, ConfiguredBlock, NetworkName, NodeReport, ParamsOf } from '../../../../graph-schemas';
import { attentionKeysPooled, configuredBlock } from '../../../../graph-schemas';
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

/** Builds one node's layers from its params (typed by its block) and the values at its input ports. */
type Builder<T extends CatalogBlockType> = (
  node: NodeReport,
  cfg: ParamsOf<T>,
  inputs: Record<string, SymbolicValue>,
  ctx: BuildContext,
) => SymbolicValue | undefined;

const apply = (layer: tf.layers.Layer, x: SymbolicValue | SymbolicValue[]) => layer.apply(x) as SymbolicValue;
/** The seed of one node's initialisers: layers of the same shape in G and D, or twice in one network, start apart. */
export const nodeSeed = (node: NodeReport, ctx: BuildContext) => deriveSeed(ctx.seed, ctx.network, node.id);
const conv = (node: NodeReport, cfg: { spectralNorm: boolean; bias: boolean }, ctx: BuildContext) => ({
  spectralNorm: cfg.spectralNorm,
  useBias: cfg.bias,
  seed: nodeSeed(node, ctx),
});
const shapeOf = (node: NodeReport) => (node.outputs.out as { shape: number[] }).shape;

/** One builder per catalog block: a block without one, or a renamed param, is a type error here. */
const builders: { [T in CatalogBlockType]: Builder<T> } = {
  NoiseInput: (node, _cfg, _in, ctx) => ctx.mainInput(shapeOf(node)),
  ImageInput: (node, _cfg, _in, ctx) => ctx.mainInput(shapeOf(node)),
  ClassLabelInput: (_node, _cfg, _in, ctx) => ctx.labelInput(),
  Linear: (node, cfg, inputs, ctx) =>
    apply(new SNDense({ name: node.id, units: cfg.units, ...conv(node, cfg, ctx) }), inputs.in!),
  Reshape: (node, cfg, inputs) =>
    apply(
      tf.layers.reshape({
        name: node.id,
        targetShape: [cfg.height, cfg.width, cfg.channels],
      }),
      inputs.in!,
    ),
  Conv2D: (node, cfg, inputs, ctx) =>
    apply(
      new SNConv2D({
        name: node.id,
        filters: cfg.filters,
        kernelSize: cfg.kernelSize,
        ...conv(node, cfg, ctx),
      }),
      inputs.in!,
    ),
  ResBlockUp: (node, cfg, inputs, ctx) =>
    resBlockUp(inputs.in!, inputs.label ?? null, {
      name: node.id,
      outChannels: cfg.outChannels,
      norm: cfg.norm,
      numClasses: ctx.classes,
      ...conv(node, cfg, ctx),
    }),
  ResBlockDown: (node, cfg, inputs, ctx) =>
    resBlockDown(inputs.in!, {
      name: node.id,
      outChannels: cfg.outChannels,
      optimized: cfg.optimized,
      downsample: true,
      ...conv(node, cfg, ctx),
    }),
  ResBlock: (node, cfg, inputs, ctx) =>
    resBlock(inputs.in!, inputs.label ?? null, {
      name: node.id,
      outChannels: cfg.outChannels,
      norm: cfg.norm,
      numClasses: ctx.classes,
      ...conv(node, cfg, ctx),
    }),
  Add: (node, _cfg, inputs) => apply(tf.layers.add({ name: node.id }), [inputs.a!, inputs.b!]),
  // NHWC: the channels are the last axis (vectors: their only one), in the order a then b, as torch.cat(dim=1).
  Concat: (node, _cfg, inputs) => apply(tf.layers.concatenate({ name: node.id, axis: -1 }), [inputs.a!, inputs.b!]),
  SelfAttention: (node, cfg, inputs, ctx) => {
    const layer = new SelfAttention({
      name: node.id,
      variant: cfg.variant,
      pooledKeys: attentionKeysPooled(cfg),
      useBias: cfg.bias,
      spectralNorm: cfg.spectralNorm,
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
    apply(new BatchNorm({ name: node.id, epsilon: cfg.eps, momentum: cfg.momentum }), inputs.in!),
  ConditionalBatchNorm: (node, cfg, inputs, ctx) =>
    apply(
      new ConditionalBatchNorm({
        name: node.id,
        numClasses: ctx.classes,
        epsilon: cfg.eps,
        momentum: cfg.momentum,
      }),
      [inputs.in!, inputs.label!],
    ),
  ReLU: (node, _cfg, inputs) => apply(tf.layers.reLU({ name: node.id }), inputs.in!),
  LeakyReLU: (node, cfg, inputs) => apply(tf.layers.leakyReLU({ name: node.id, alpha: cfg.alpha }), inputs.in!),
  Tanh: (node, _cfg, inputs) => apply(tf.layers.activation({ name: node.id, activation: 'tanh' }), inputs.in!),
  Upsample: (node, cfg, inputs) => apply(new UpsampleNearest({ name: node.id, factor: cfg.factor }), inputs.in!),
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
  const block = configuredBlock(node.type, node.config);
  if (!block) throw new Error(`The engine cannot compile block type "${node.type}" (node "${node.id}").`);
  return build(block, node, inputs, ctx);
}

function build<K extends CatalogBlockType>(
  block: ConfiguredBlock<K>,
  node: NodeReport,
  inputs: Record<string, SymbolicValue>,
  ctx: BuildContext,
): SymbolicValue | undefined {
  return builders[block.type](node, block.params, inputs, ctx);
}

/** Every block type the engine compiles (a test checks this covers the whole catalog). */
export const compilableBlockTypes = Object.keys(builders);
