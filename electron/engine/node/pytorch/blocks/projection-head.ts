import type { BlockEmitter } from '../emitter';
import { inputWidth, spectralLinks } from '../emitter';

export const ProjectionHead: BlockEmitter<'ProjectionHead'> = {
  role: 'module',
  python: {
    file: 'projection_head',
    className: 'ProjectionHead',
    code: String.raw`from torch import nn

from layers import SNEmbedding, SNLinear


class ProjectionHead(nn.Module):
    """score [B, 1] = linear(h) + sum_c h * embedding(y); forward(h, y)."""

    def __init__(self, in_features, num_classes, spectral_norm=True, bias=True):
        super().__init__()
        self.linear = SNLinear(in_features, 1, spectral_norm, bias)
        self.embedding = SNEmbedding(num_classes, in_features, spectral_norm)

    def forward(self, h, y):
        return self.linear(h) + (h * self.embedding(y)).sum(dim=1, keepdim=True)
`,
  },
  args: ({ node, config, classes }) => [
    ['in_features', inputWidth(node)],
    ['num_classes', classes],
    ['spectral_norm', config.spectralNorm],
    ['bias', config.bias],
  ],
  forwardPorts: ['in', 'label'],
  weights: ({ config }) => [
    ...spectralLinks({
      engine: 'linear',
      torch: 'linear',
      layout: 'linear',
      spectralNorm: config.spectralNorm,
      bias: config.bias,
    }),
    ...spectralLinks({
      engine: 'embedding',
      torch: 'embedding',
      layout: 'same',
      spectralNorm: config.spectralNorm,
      bias: false,
      kernel: 'embeddings',
    }),
  ],
};
