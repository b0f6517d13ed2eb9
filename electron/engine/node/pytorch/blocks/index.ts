import type { BlockEmitter, BlockType } from '../emitter';
import { AvgPool } from './avg-pool';
import { BatchNorm } from './batch-norm';
import { ClassLabelInput } from './class-label-input';
import { ConditionalBatchNorm } from './conditional-batch-norm';
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

/** The PyTorch emitter of every catalog block; a block type missing here is a type error. */
export const emitters: Record<BlockType, BlockEmitter> = {
  NoiseInput,
  ClassLabelInput,
  ImageInput,
  Linear,
  Reshape,
  Conv2D,
  ResBlockUp,
  ResBlockDown,
  ResBlock,
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

/** The emitter of a node's block type; throws naming the node for a type the exporter does not know. */
export function emitterFor(type: string, nodeId: string): BlockEmitter {
  const e = (emitters as Record<string, BlockEmitter | undefined>)[type];
  if (!e)
    throw new Error(
      `Node "${nodeId}" is a "${type}" block, which the PyTorch export does not know; add an emitter in electron/engine/node/pytorch/blocks/.`,
    );
  return e;
}
