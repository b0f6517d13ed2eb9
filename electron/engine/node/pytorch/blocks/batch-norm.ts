import type { BlockEmitter } from '../emitter';
import { batchNormLinks, inputWidth } from '../emitter';

export const BatchNorm: BlockEmitter = {
  role: 'module',
  python: {
    file: 'batch_norm',
    className: 'BatchNorm',
    code: String.raw`from torch import nn


class BatchNorm(nn.BatchNorm2d):
    """PyTorch's BatchNorm2d(num_features, eps, momentum); the engine's gamma and beta are weight and bias."""
`,
  },
  args: ({ node, config }) => [
    ['num_features', inputWidth(node)],
    ['eps', config.eps as number],
    ['momentum', config.momentum as number],
  ],
  forwardPorts: ['in'],
  weights: () => batchNormLinks('', ''),
};
