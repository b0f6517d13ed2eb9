/*
 * SAGAN Studio's custom tfjs layers (NHWC, float32) and the residual-block builders made from them.
 * Importing this module registers every layer class for model save/load.
 */
export { BatchNorm } from './batch-norm';
export type { BatchNormArgs } from './batch-norm';
export { TORCH_BN_EPSILON, TORCH_BN_MOMENTUM } from './batch-stats';
export { add, avgPool2x, conv, norm, relu, resBlock, resBlockDown, resBlockUp, upsample2x } from './blocks';
export type { BlockNorm, ConvSettings, ResBlockDownOptions, ResBlockOptions, ResBlockUpOptions } from './blocks';
export { ConditionalBatchNorm } from './conditional-batch-norm';
export type { ConditionalBatchNormArgs } from './conditional-batch-norm';
export { GlobalSumPool } from './global-sum-pool';
export { flattenLabels, LABEL_DTYPE, LABEL_INPUT_SHAPE, labelInput } from './labels';
export { ProjectionHead } from './projection-head';
export type { ProjectionHeadArgs } from './projection-head';
export { deriveSeed } from './seed-hash';
export { SelfAttention } from './self-attention';
export type { AttentionVariant, ProbedAttention, SelfAttentionArgs } from './self-attention';
export { SNConv2D } from './sn-conv2d';
export type { SNConv2DArgs } from './sn-conv2d';
export { SNDense } from './sn-dense';
export type { SNDenseArgs } from './sn-dense';
export { SNEmbedding } from './sn-embedding';
export type { SNEmbeddingArgs } from './sn-embedding';
export { spectralSigma } from './spectral';
export { UpsampleNearest, upsampleNearest } from './upsample';
export type { UpsampleNearestArgs } from './upsample';
export { fromTorchLayout, torchSpectralV, torchStateDictEntries, torchWeightsOf, toTorchLayout } from './torch-mapping';
export type { TorchLayout, TorchStateDictEntry, TorchWeight } from './torch-mapping';
