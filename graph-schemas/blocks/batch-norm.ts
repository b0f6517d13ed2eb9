import { z } from 'zod';
import { defineBlock } from '../block';
import { asFeature, unknownOutput } from './common';

export const BatchNorm = defineBlock({
  type: 'BatchNorm',
  version: 1,
  title: 'Batch norm',
  category: 'Normalization',
  description:
    'Normalises each channel over the batch (running averages at sampling time), then applies a learned scale and shift.',
  networks: ['generator', 'discriminator'],
  idStem: 'bn',
  params: z.object({
    eps: z
      .number()
      .min(1e-8)
      .max(0.1)
      .default(1e-5)
      .describe('Added to the variance for stability (PyTorch default 1e-5).'),
    momentum: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe('Weight of the new batch in the running averages (PyTorch convention, 0.1).'),
  }),
  inputs: [{ name: 'in', accepts: ['feature'], required: true, description: 'Feature map H×W×C.' }],
  outputs: [{ name: 'out', kind: 'feature', description: 'Normalised map, same shape.' }],
  migrations: [],
  infer: ({ inputs }) => {
    const x = asFeature(inputs.in);
    if (!x) return unknownOutput;
    return { outputs: { out: { kind: 'feature', shape: x.shape } }, params: 2 * x.shape[2], problems: [] };
  },
});
