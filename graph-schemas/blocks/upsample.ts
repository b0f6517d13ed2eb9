import { z } from 'zod';
import { defineBlock } from '../block';
import { asFeature, feature, unknownOutput } from './common';

export const Upsample = defineBlock({
  type: 'Upsample',
  version: 1,
  title: 'Upsample ×2',
  category: 'Resampling',
  description: 'Nearest-neighbour upsampling: each value becomes a 2×2 square.',
  networks: ['generator', 'discriminator'],
  idStem: 'upsample',
  params: z.object({
    factor: z.number().int().min(2).max(8).default(2).describe('How many times larger height and width become.'),
  }),
  inputs: [{ name: 'in', accepts: ['feature'], required: true, description: 'Feature map H×W×C.' }],
  outputs: [{ name: 'out', kind: 'feature', description: 'Feature map (factor·H)×(factor·W)×C.' }],
  migrations: [],
  infer: ({ params, inputs }) => {
    const x = asFeature(inputs.in);
    if (!x) return unknownOutput;
    const [h, w, c] = x.shape;
    return { outputs: { out: feature(h * params.factor, w * params.factor, c) }, params: 0, problems: [] };
  },
});
