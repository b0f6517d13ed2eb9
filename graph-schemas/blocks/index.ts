import type { z } from 'zod';
import type { AnyBlock } from '../block';
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

export {
  Add,
  AvgPool,
  BatchNorm,
  ClassLabelInput,
  Concat,
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
] as const;

/** Every catalog block with its own params type. */
export type CatalogBlock = (typeof blockCatalogInOrder)[number];
/** The type name of every catalog block, as a union (a Record over it must cover the whole catalog). */
export type CatalogBlockType = CatalogBlock['type'];
/** The catalog block of one type name. */
export type BlockOf<T extends CatalogBlockType> = Extract<CatalogBlock, { type: T }>;
/** A block's params after defaults: the output of its zod schema. Registries type their entries with it. */
export type ParamsOf<T extends CatalogBlockType> = z.output<BlockOf<T>['params']>;
/** The name of any param of any block (for tables keyed on param names, so a renamed param fails there too). */
export type CatalogParamName = { [T in CatalogBlockType]: DeclaredKeys<ParamsOf<T>> }[CatalogBlockType];
/** The keys an object type declares (a block without params parses to an index signature, which would be all). */
type DeclaredKeys<O> = keyof { [K in keyof O as string extends K ? never : K]: O[K] } & string;

/**
 * A node's block type together with its parsed params, as one value whose two halves a type checker keeps
 * together: a registry `{ [T in CatalogBlockType]: (params: ParamsOf<T>) => … }` can be called with
 * `registry[b.type](b.params)` for `b: ConfiguredBlock<K>` without casts.
 */
export type ConfiguredBlock<K extends CatalogBlockType = CatalogBlockType> = {
  [T in K]: { type: T; params: ParamsOf<T> };
}[K];

/** Every block the editor offers and the engine compiles, in palette order. */
export const blockCatalog: readonly AnyBlock[] = blockCatalogInOrder;

const byType = new Map<string, AnyBlock>(blockCatalog.map((b) => [b.type, b]));

export function getBlock(type: string): AnyBlock | undefined {
  return byType.get(type);
}

export const blockTypes: readonly CatalogBlockType[] = blockCatalogInOrder.map((b) => b.type);

export function isCatalogBlockType(type: string): type is CatalogBlockType {
  return byType.has(type);
}

/**
 * A node's type and params, typed for the registries. Only for params this block's own schema produced (the
 * validator's `config`): that is what makes them `ParamsOf<type>`, so this is the one place that says so.
 */
export function configuredBlock(
  type: string,
  params: Record<string, unknown> | undefined,
): ConfiguredBlock | undefined {
  if (params === undefined || !isCatalogBlockType(type)) return undefined;
  return { type, params } as ConfiguredBlock;
}
