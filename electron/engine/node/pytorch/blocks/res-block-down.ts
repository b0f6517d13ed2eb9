import type { BlockEmitter } from '../emitter';
import { convLinks, inputWidth } from '../emitter';

export const ResBlockDown: BlockEmitter<'ResBlockDown'> = {
  role: 'module',
  python: {
    file: 'res_block_down',
    className: 'ResBlockDown',
    code: String.raw`import torch.nn.functional as F
from torch import nn

from layers import SNConv2d, avg_pool_2x


class ResBlockDown(nn.Module):
    """Regular: ReLU, conv1, ReLU, conv2, avg-pool; shortcut 1x1 conv, avg-pool.
    Optimized (first block, on the image): conv1, ReLU, conv2, avg-pool; shortcut avg-pool, 1x1 conv."""

    def __init__(self, in_channels, out_channels, optimized=False, spectral_norm=True, bias=True):
        super().__init__()
        self.optimized = optimized
        self.conv1 = SNConv2d(in_channels, out_channels, 3, spectral_norm, bias)
        self.conv2 = SNConv2d(out_channels, out_channels, 3, spectral_norm, bias)
        self.shortcut = SNConv2d(in_channels, out_channels, 1, spectral_norm, bias)

    def forward(self, x):
        if self.optimized:
            h = avg_pool_2x(self.conv2(F.relu(self.conv1(x))))
            return h + self.shortcut(avg_pool_2x(x))
        h = self.conv2(F.relu(self.conv1(F.relu(x))))
        return avg_pool_2x(h) + avg_pool_2x(self.shortcut(x))
`,
  },
  args: ({ node, config }) => [
    ['in_channels', inputWidth(node)],
    ['out_channels', config.outChannels],
    ['optimized', config.optimized],
    ['spectral_norm', config.spectralNorm],
    ['bias', config.bias],
  ],
  forwardPorts: ['in'],
  weights: ({ config }) => [
    ...convLinks('conv1', config),
    ...convLinks('conv2', config),
    ...convLinks('shortcut', config),
  ],
};
