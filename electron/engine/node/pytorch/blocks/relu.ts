import type { BlockEmitter } from '../emitter';

export const ReLU: BlockEmitter<'ReLU'> = {
  role: 'module',
  python: {
    file: 'relu',
    className: 'ReLU',
    code: String.raw`from torch import nn


class ReLU(nn.ReLU):
    """max(0, x), element-wise (feature maps and vectors alike)."""
`,
  },
  args: () => [],
  forwardPorts: ['in'],
  weights: () => [],
};
