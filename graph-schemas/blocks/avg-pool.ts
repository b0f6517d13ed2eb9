import { z } from 'zod';
import { defineBlock } from '../block';
import { asFeature, feature, needsEvenSize, unknownOutput } from './common';

export const AvgPool = defineBlock({
  type: 'AvgPool',
  version: 1,
  title: 'Average pool 2×2',
  shortTitle: 'Avg pool',
  category: 'Resampling',
  description: 'Averages each 2×2 square: halves height and width.',
  networks: ['generator', 'discriminator'],
  idStem: 'pool',
  params: z.object({}),
  inputs: [{ name: 'in', accepts: ['feature'], required: true, description: 'Feature map H×W×C (even H and W).' }],
  outputs: [{ name: 'out', kind: 'feature', description: 'Feature map H/2×W/2×C.' }],
  migrations: [],
  infer: ({ inputs }) => {
    const x = asFeature(inputs.in);
    if (!x) return unknownOutput;
    const [h, w, c] = x.shape;
    const odd = needsEvenSize(h, w, 'Average pooling');
    return odd
      ? { outputs: {}, params: 0, problems: [odd] }
      : { outputs: { out: feature(h / 2, w / 2, c) }, params: 0, problems: [] };
  },
});
