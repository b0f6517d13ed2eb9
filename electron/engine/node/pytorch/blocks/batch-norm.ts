import type { BlockEmitter } from '../emitter';
import { batchNormLinks, inputWidth } from '../emitter';

export const BatchNorm: BlockEmitter<'BatchNorm'> = {
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
    ['eps', config.eps],
    ['momentum', config.momentum],
  ],
  forwardPorts: ['in'],
  weights: () => batchNormLinks('', ''),
};
