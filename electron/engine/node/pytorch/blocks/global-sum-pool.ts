import type { BlockEmitter } from '../emitter';

export const GlobalSumPool: BlockEmitter<'GlobalSumPool'> = {
  role: 'module',
  python: {
    file: 'global_sum_pool',
    className: 'GlobalSumPool',
    code: String.raw`from torch import nn


class GlobalSumPool(nn.Module):
    """[B, C, H, W] -> [B, C]: the sum over all positions (not the mean)."""

    def forward(self, x):
        return x.sum(dim=(2, 3))
`,
  },
  args: () => [],
  forwardPorts: ['in'],
  weights: () => [],
};
