import { z } from 'zod';
import { defineBlock } from '../block';

export const NoiseInput = defineBlock({
  type: 'NoiseInput',
  version: 1,
  title: 'Noise z',
  category: 'Inputs',
  description: 'The latent vector z the generator starts from, drawn fresh for every sample.',
  networks: ['generator'],
  idStem: 'z',
  requiredInNetwork: 'at-least-one',
  sideInput: true,
  params: z.object({
    dim: z.number().int().min(1).max(4096).default(128).describe('Length of z. SAGAN uses 128.'),
    distribution: z
      .enum(['normal'])
      .default('normal')
      .describe('Distribution z is drawn from: standard normal N(0, 1), as in SAGAN.'),
  }),
  inputs: [],
  outputs: [{ name: 'out', kind: 'noise', description: 'z, one vector per sample.' }],
  migrations: [],
  infer: ({ params }) => ({ outputs: { out: { kind: 'noise', shape: [params.dim] } }, params: 0, problems: [] }),
});
