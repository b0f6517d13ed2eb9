export { SNConv2D, SNDense, conv1x1 } from './sn-layers';
export { SelfAttention } from './attention';
export type { AttentionVariant, SelfAttentionConfig } from './attention';
export { BatchNorm, ConditionalBatchNorm, flatLabels } from './norm';
export { GlobalSumPool, ProjectionHead } from './heads';
export { resBlock, resBlockDown, resBlockUp } from './blocks';
export { spectralNormalize, spectralSigma, weightSeed } from './spectral';
