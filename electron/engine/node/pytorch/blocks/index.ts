import type { CatalogBlockType, ConfiguredBlock, NodeReport } from '../../../../../graph-schemas';
import { configuredBlock } from '../../../../../graph-schemas';
import type { BlockEmitter, EmittedNode } from '../emitter';
import { Add } from './add';
import { AvgPool } from './avg-pool';
import { BatchNorm } from './batch-norm';
import { ClassLabelInput } from './class-label-input';
import { ConditionalBatchNorm } from './conditional-batch-norm';
import { Concat } from './concat';
import { Conv2D } from './conv2d';
import { DiscriminatorOutput } from './discriminator-output';
import { GeneratorOutput } from './generator-output';
import { GlobalSumPool } from './global-sum-pool';
import { ImageInput } from './image-input';
import { LeakyReLU } from './leaky-relu';
import { Linear } from './linear';
import { NoiseInput } from './noise-input';
import { ProjectionHead } from './projection-head';
import { ReLU } from './relu';
import { ResBlock } from './res-block';
import { ResBlockDown } from './res-block-down';
import { ResBlockUp } from './res-block-up';
import { Reshape } from './reshape';
import { SelfAttention } from './self-attention';
import { Tanh } from './tanh';
import { Upsample } from './upsample';

/** The PyTorch emitter of every catalog block, typed by its params: a block missing here is a type error. */
export const emitters: { [T in CatalogBlockType]: BlockEmitter<T> } = {
  NoiseInput,
  ClassLabelInput,
  ImageInput,
  Linear,
  Reshape,
  Conv2D,
  ResBlockUp,
  ResBlockDown,
  ResBlock,
  Add,
  Concat,
  SelfAttention,
  BatchNorm,
  ConditionalBatchNorm,
  ReLU,
  LeakyReLU,
  Tanh,
  Upsample,
  AvgPool,
  GlobalSumPool,
  ProjectionHead,
  GeneratorOutput,
  DiscriminatorOutput,
};

/** A validated node as the export writes it; throws naming the node when its type or params are unusable. */
export function emitNode(node: NodeReport, classes: number): EmittedNode {
  const block = configuredBlock(node.type, node.config);
  if (!block)
    throw new Error(
      node.config === undefined
        ? `Node "${node.id}" has invalid params; fix them before exporting.`
        : `Node "${node.id}" is a "${node.type}" block, which the PyTorch export does not know; add an emitter in electron/engine/node/pytorch/blocks/.`,
    );
  return emitBlock(block, node, classes);
}

function emitBlock<K extends CatalogBlockType>(
  block: ConfiguredBlock<K>,
  node: NodeReport,
  classes: number,
): EmittedNode {
  const emitter: BlockEmitter<K> = emitters[block.type];
  if (emitter.role !== 'module') return emitter;
  const n = { node, config: block.params, classes };
  const { python, forwardPorts } = emitter;
  return { role: 'module', python, forwardPorts, args: emitter.args(n), weights: emitter.weights(n) };
}
