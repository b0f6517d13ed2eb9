import type { BlockEmitter } from '../emitter';

export const AvgPool: BlockEmitter<'AvgPool'> = {
  role: 'module',
  python: {
    file: 'avg_pool',
    className: 'AvgPool',
    code: String.raw`from torch import nn

from layers import avg_pool_2x


class AvgPool(nn.Module):
    """2x2 average pooling with stride 2."""

    def forward(self, x):
        return avg_pool_2x(x)
`,
  },
  args: () => [],
  forwardPorts: ['in'],
  weights: () => [],
};
