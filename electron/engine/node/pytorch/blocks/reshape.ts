import type { BlockEmitter } from '../emitter';

export const Reshape: BlockEmitter<'Reshape'> = {
  role: 'module',
  python: {
    file: 'reshape',
    className: 'Reshape',
    code: String.raw`from torch import nn


class Reshape(nn.Module):
    """Reads the values channels last, as the engine stores them (height, width, channels), and returns NCHW."""

    def __init__(self, height, width, channels):
        super().__init__()
        self.height, self.width, self.channels = height, width, channels

    def forward(self, x):
        if x.dim() == 4:  # a feature map: flatten it in the engine's (height, width, channels) order
            x = x.permute(0, 2, 3, 1)
        x = x.reshape(x.shape[0], self.height, self.width, self.channels)
        return x.permute(0, 3, 1, 2).contiguous()
`,
  },
  args: ({ config }) => [
    ['height', config.height],
    ['width', config.width],
    ['channels', config.channels],
  ],
  forwardPorts: ['in'],
  weights: () => [],
};
