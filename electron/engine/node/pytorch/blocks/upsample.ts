import type { BlockEmitter } from '../emitter';

export const Upsample: BlockEmitter<'Upsample'> = {
  role: 'module',
  python: {
    file: 'upsample',
    className: 'Upsample',
    code: String.raw`from torch import nn

from layers import upsample_nearest


class Upsample(nn.Module):
    """Nearest-neighbour upsampling by an integer factor."""

    def __init__(self, factor=2):
        super().__init__()
        self.factor = factor

    def forward(self, x):
        return upsample_nearest(x, self.factor)
`,
  },
  args: ({ config }) => [['factor', config.factor]],
  forwardPorts: ['in'],
  weights: () => [],
};
