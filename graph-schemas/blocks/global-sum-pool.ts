import { z } from 'zod';
import { defineBlock } from '../block';
import { asFeature, unknownOutput, vector } from './common';

export const GlobalSumPool = defineBlock({
  type: 'GlobalSumPool',
  version: 1,
  title: 'Global sum pool',
  shortTitle: 'Sum pool',
  category: 'Heads',
  description:
    'Sums each channel over all positions: H×W×C becomes a vector [C] (SNGAN/SAGAN discriminators sum, not average).',
  networks: ['generator', 'discriminator'],
  idStem: 'sum',
  params: z.object({}),
  inputs: [{ name: 'in', accepts: ['feature'], required: true, description: 'Feature map H×W×C.' }],
  outputs: [{ name: 'out', kind: 'vector', description: 'Vector [C].' }],
  migrations: [],
  infer: ({ inputs }) => {
    const x = asFeature(inputs.in);
    if (!x) return unknownOutput;
    return { outputs: { out: vector(x.shape[2]) }, params: 0, problems: [] };
  },
});
