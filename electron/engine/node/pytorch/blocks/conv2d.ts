import type { BlockEmitter } from '../emitter';
import { inputWidth, spectralLinks } from '../emitter';

export const Conv2D: BlockEmitter<'Conv2D'> = {
  role: 'module',
  python: {
    file: 'conv2d',
    className: 'Conv2D',
    code: String.raw`from layers import SNConv2d


class Conv2D(SNConv2d):
    """SNConv2d(in_channels, out_channels, kernel_size, spectral_norm, bias): stride 1, padding kernel_size // 2."""
`,
  },
  args: ({ node, config }) => [
    ['in_channels', inputWidth(node)],
    ['out_channels', config.filters],
    ['kernel_size', config.kernelSize],
    ['spectral_norm', config.spectralNorm],
    ['bias', config.bias],
  ],
  forwardPorts: ['in'],
  weights: ({ config }) =>
    spectralLinks({
      engine: '',
      torch: '',
      layout: 'conv',
      spectralNorm: config.spectralNorm,
      bias: config.bias,
    }),
};
