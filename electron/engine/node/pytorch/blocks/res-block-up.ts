import type { BlockEmitter } from '../emitter';
import { blockNormLinks, convLinks, inputWidth } from '../emitter';

export const ResBlockUp: BlockEmitter<'ResBlockUp'> = {
  role: 'module',
  python: {
    file: 'res_block_up',
    className: 'ResBlockUp',
    code: String.raw`import torch.nn.functional as F
from torch import nn

from layers import SNConv2d, apply_norm, make_norm, upsample_nearest


class ResBlockUp(nn.Module):
    """norm1, ReLU, up x2, conv1 3x3, norm2, ReLU, conv2 3x3; shortcut: up x2, 1x1 conv. forward(x, y=None)."""

    def __init__(self, in_channels, out_channels, norm="cbn", num_classes=0, spectral_norm=True, bias=True):
        super().__init__()
        self.norm1 = make_norm(norm, in_channels, num_classes)
        self.conv1 = SNConv2d(in_channels, out_channels, 3, spectral_norm, bias)
        self.norm2 = make_norm(norm, out_channels, num_classes)
        self.conv2 = SNConv2d(out_channels, out_channels, 3, spectral_norm, bias)
        self.shortcut = SNConv2d(in_channels, out_channels, 1, spectral_norm, bias)

    def forward(self, x, y=None):
        h = self.conv1(upsample_nearest(F.relu(apply_norm(self.norm1, x, y))))
        h = self.conv2(F.relu(apply_norm(self.norm2, h, y)))
        return h + self.shortcut(upsample_nearest(x))
`,
  },
  args: ({ node, config, classes }) => [
    ['in_channels', inputWidth(node)],
    ['out_channels', config.outChannels],
    ['norm', config.norm],
    ['num_classes', classes],
    ['spectral_norm', config.spectralNorm],
    ['bias', config.bias],
  ],
  forwardPorts: ['in', 'label'],
  weights: ({ config }) => [
    ...blockNormLinks(config.norm, 1),
    ...convLinks('conv1', config),
    ...blockNormLinks(config.norm, 2),
    ...convLinks('conv2', config),
    ...convLinks('shortcut', config),
  ],
};
