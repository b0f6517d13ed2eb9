import type { BlockEmitter } from '../emitter';

export const Tanh: BlockEmitter<'Tanh'> = {
  role: 'module',
  python: {
    file: 'tanh',
    className: 'Tanh',
    code: String.raw`from torch import nn


class Tanh(nn.Tanh):
    """tanh(x), element-wise (feature maps and vectors alike)."""
`,
  },
  args: () => [],
  forwardPorts: ['in'],
  weights: () => [],
};
