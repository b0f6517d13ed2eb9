import type { BlockDefinition } from '../block';
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

export {
  AvgPool,
  BatchNorm,
  ClassLabelInput,
  ConditionalBatchNorm,
  Conv2D,
  DiscriminatorOutput,
  GeneratorOutput,
  GlobalSumPool,
  ImageInput,
  LeakyReLU,
  Linear,
  NoiseInput,
  ProjectionHead,
  ReLU,
  ResBlock,
  ResBlockDown,
  ResBlockUp,
  Reshape,
  SelfAttention,
  Tanh,
  Upsample,
};
export { attentionKeysPooled } from './self-attention';

/** The type name of every catalog block, as a union (a Record over it must cover the whole catalog). */
export type CatalogBlockType = (typeof blockCatalogInOrder)[number]['type'];

const blockCatalogInOrder = [
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
] as const;

/** Every block the editor offers and the engine compiles, in palette order. */
export const blockCatalog: readonly BlockDefinition[] = blockCatalogInOrder as unknown as readonly BlockDefinition[];

const byType = new Map(blockCatalog.map((b) => [b.type, b]));

export function getBlock(type: string): BlockDefinition | undefined {
  return byType.get(type);
}

export const blockTypes = blockCatalog.map((b) => b.type);
