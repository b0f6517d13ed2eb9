import type { BlockEmitter } from '../emitter';
import { inputWidth, spectralLinks } from '../emitter';

export const Conv2D: BlockEmitter = {
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
    ['out_channels', config.filters as number],
    ['kernel_size', config.kernelSize as number],
    ['spectral_norm', config.spectralNorm as boolean],
    ['bias', config.bias as boolean],
  ],
  forwardPorts: ['in'],
  weights: ({ config }) =>
    spectralLinks({
      engine: '',
      torch: '',
      layout: 'conv',
      spectralNorm: config.spectralNorm === true,
      bias: config.bias === true,
    }),
};
