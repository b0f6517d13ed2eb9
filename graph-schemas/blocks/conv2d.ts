import { z } from 'zod';
import { defineBlock } from '../block';
import { asFeature, biasParam, channelsParam, convParams, feature, spectralNormParam, unknownOutput } from './common';

export const Conv2D = defineBlock({
  type: 'Conv2D',
  version: 1,
  title: 'Conv 2D',
  category: 'Convolution',
  description: 'A 2-D convolution with stride 1 and "same" padding: the map keeps its height and width.',
  networks: ['generator', 'discriminator'],
  idStem: 'conv',
  params: z.object({
    filters: channelsParam('Output channels.', 64),
    kernelSize: z
      .number()
      .int()
      .min(1)
      .max(7)
      .refine((k) => k % 2 === 1, 'The kernel size must be odd (1, 3, 5 or 7) so "same" padding keeps the map centred.')
      .default(3)
      .describe('Kernel height and width (odd).'),
    spectralNorm: spectralNormParam,
    bias: biasParam,
  }),
  inputs: [{ name: 'in', accepts: ['feature'], required: true, description: 'Feature map H×W×C.' }],
  outputs: [{ name: 'out', kind: 'feature', description: 'Feature map H×W×filters.' }],
  migrations: [],
  infer: ({ params, inputs }) => {
    const x = asFeature(inputs.in);
    if (!x) return unknownOutput;
    const [h, w, c] = x.shape;
    return {
      outputs: { out: feature(h, w, params.filters) },
      params: convParams(c, params.filters, params.kernelSize, params.bias),
      problems: [],
    };
  },
});
