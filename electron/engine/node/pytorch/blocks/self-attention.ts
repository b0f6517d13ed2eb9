import { attentionKeysPooled } from '../../../../../graph-schemas';
import type { BlockEmitter } from '../emitter';
import { convLinks, inputWidth } from '../emitter';

const PROJECTIONS = ['query', 'key', 'value', 'out'] as const;

export const SelfAttention: BlockEmitter<'SelfAttention'> = {
  role: 'module',
  python: {
    file: 'self_attention',
    className: 'SelfAttention',
    code: String.raw`import torch
import torch.nn.functional as F
from torch import nn

from layers import SNConv2d


class SelfAttention(nn.Module):
    """query/key 1x1 convs to C/8; value to C/2 ("official") or C/8 ("paper"); out back to C.
    beta = softmax over keys of query_i . key_j (no 1/sqrt(d)); y = x + gamma * out(sum_j beta_ij value_j);
    with pooled_keys, keys and values are 2x2 max-pooled (N/4 keys). gamma starts at 0."""

    def __init__(self, channels, variant="official", pooled_keys=True, spectral_norm=True, bias=False):
        super().__init__()
        value_channels = channels // 2 if variant == "official" else channels // 8
        self.pooled_keys = pooled_keys
        self.query = SNConv2d(channels, channels // 8, 1, spectral_norm, bias)
        self.key = SNConv2d(channels, channels // 8, 1, spectral_norm, bias)
        self.value = SNConv2d(channels, value_channels, 1, spectral_norm, bias)
        self.out = SNConv2d(value_channels, channels, 1, spectral_norm, bias)
        self.gamma = nn.Parameter(torch.zeros(()))

    def forward(self, x):
        b, _, h, w = x.shape
        query, key, value = self.query(x), self.key(x), self.value(x)
        if self.pooled_keys:
            key, value = F.max_pool2d(key, 2), F.max_pool2d(value, 2)
        query, key, value = query.flatten(2), key.flatten(2), value.flatten(2)  # [B, C', positions]
        attention = torch.softmax(torch.bmm(query.transpose(1, 2), key), dim=-1)  # [B, N, N'], rows sum to 1
        attended = torch.bmm(value, attention.transpose(1, 2)).reshape(b, -1, h, w)
        return x + self.gamma * self.out(attended)
`,
  },
  args: ({ node, config }) => [
    ['channels', inputWidth(node)],
    ['variant', config.variant],
    ['pooled_keys', attentionKeysPooled(config)],
    ['spectral_norm', config.spectralNorm],
    ['bias', config.bias],
  ],
  forwardPorts: ['in'],
  weights: ({ config }) => [
    ...PROJECTIONS.flatMap((p) => convLinks(p, config)),
    { engine: 'gamma', torch: 'gamma', layout: 'same' },
  ],
};
