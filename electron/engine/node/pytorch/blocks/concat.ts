import type { BlockEmitter } from '../emitter';

export const Concat: BlockEmitter<'Concat'> = {
  role: 'module',
  python: {
    file: 'concat',
    className: 'Concat',
    code: String.raw`import torch
from torch import nn


class Concat(nn.Module):
    """forward(a, b): a then b along dim 1, the channels of NCHW maps (the engine's last axis of NHWC) or the
    length of [B, D] vectors."""

    def forward(self, a, b):
        return torch.cat([a, b], dim=1)
`,
  },
  args: () => [],
  forwardPorts: ['a', 'b'],
  weights: () => [],
};
