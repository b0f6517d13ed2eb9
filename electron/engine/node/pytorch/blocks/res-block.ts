import type { BlockEmitter } from '../emitter';
import { blockNormLinks, convLinks, inputWidth } from '../emitter';

export const ResBlock: BlockEmitter<'ResBlock'> = {
  role: 'module',
  python: {
    file: 'res_block',
    className: 'ResBlock',
    code: String.raw`import torch.nn.functional as F
from torch import nn

from layers import SNConv2d, apply_norm, make_norm


class ResBlock(nn.Module):
    """(norm1,) ReLU, conv1 3x3, (norm2,) ReLU, conv2 3x3; shortcut: identity, or a 1x1 conv if the channels change."""

    def __init__(self, in_channels, out_channels, norm="none", num_classes=0, spectral_norm=True, bias=True):
        super().__init__()
        self.norm1 = make_norm(norm, in_channels, num_classes)
        self.conv1 = SNConv2d(in_channels, out_channels, 3, spectral_norm, bias)
        self.norm2 = make_norm(norm, out_channels, num_classes)
        self.conv2 = SNConv2d(out_channels, out_channels, 3, spectral_norm, bias)
        self.shortcut = None
        if in_channels != out_channels:
            self.shortcut = SNConv2d(in_channels, out_channels, 1, spectral_norm, bias)

    def forward(self, x, y=None):
        h = self.conv1(F.relu(apply_norm(self.norm1, x, y)))
        h = self.conv2(F.relu(apply_norm(self.norm2, h, y)))
        return h + (x if self.shortcut is None else self.shortcut(x))
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
  weights: ({ node, config }) => [
    ...blockNormLinks(config.norm, 1),
    ...convLinks('conv1', config),
    ...blockNormLinks(config.norm, 2),
    ...convLinks('conv2', config),
    ...(inputWidth(node) !== config.outChannels ? convLinks('shortcut', config) : []),
  ],
};
