import type { BlockEmitter } from '../emitter';
import { inputWidth, spectralLinks } from '../emitter';

export const Linear: BlockEmitter<'Linear'> = {
  role: 'module',
  python: {
    file: 'linear',
    className: 'Linear',
    code: String.raw`from layers import SNLinear


class Linear(SNLinear):
    """SNLinear(in_features, out_features, spectral_norm, bias): weight [out, in] (the engine's kernel transposed)."""
`,
  },
  args: ({ node, config }) => [
    ['in_features', inputWidth(node)],
    ['out_features', config.units],
    ['spectral_norm', config.spectralNorm],
    ['bias', config.bias],
  ],
  forwardPorts: ['in'],
  weights: ({ config }) =>
    spectralLinks({
      engine: '',
      torch: '',
      layout: 'linear',
      spectralNorm: config.spectralNorm,
      bias: config.bias,
    }),
};
