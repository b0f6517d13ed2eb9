import { z } from 'zod';
import { defineBlock } from '../block';
import { asVector, biasParam, spectralNormParam, unknownOutput, vector } from './common';

export const Linear = defineBlock({
  type: 'Linear',
  version: 1,
  title: 'Linear',
  category: 'Dense',
  description: 'A fully connected layer: every output unit is a weighted sum of all inputs.',
  networks: ['generator', 'discriminator'],
  idStem: 'linear',
  params: z.object({
    units: z
      .number()
      .int()
      .min(1)
      .max(1 << 20)
      .default(4096)
      .describe('Number of output units.'),
    spectralNorm: spectralNormParam,
    bias: biasParam,
  }),
  inputs: [{ name: 'in', accepts: ['vector'], required: true, description: 'A vector.' }],
  outputs: [{ name: 'out', kind: 'vector', description: 'A vector of `units` values.' }],
  migrations: [],
  infer: ({ params, inputs }) => {
    const x = asVector(inputs.in);
    if (!x) return unknownOutput;
    return {
      outputs: { out: vector(params.units) },
      params: x.shape[0] * params.units + (params.bias ? params.units : 0),
      problems: [],
    };
  },
});
