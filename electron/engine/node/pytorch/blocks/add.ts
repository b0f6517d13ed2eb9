import type { BlockEmitter } from '../emitter';

export const Add: BlockEmitter<'Add'> = {
  role: 'module',
  python: {
    file: 'add',
    className: 'Add',
    code: String.raw`from torch import nn


class Add(nn.Module):
    """forward(a, b) = a + b, element-wise; both of the same shape."""

    def forward(self, a, b):
        return a + b
`,
  },
  args: () => [],
  forwardPorts: ['a', 'b'],
  weights: () => [],
};
