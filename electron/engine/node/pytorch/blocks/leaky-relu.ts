import type { BlockEmitter } from '../emitter';

export const LeakyReLU: BlockEmitter<'LeakyReLU'> = {
  role: 'module',
  python: {
    file: 'leaky_relu',
    className: 'LeakyReLU',
    code: String.raw`from torch import nn


class LeakyReLU(nn.LeakyReLU):
    """LeakyReLU(negative_slope): x for x > 0, negative_slope * x otherwise."""
`,
  },
  args: ({ config }) => [['negative_slope', config.alpha]],
  forwardPorts: ['in'],
  weights: () => [],
};
