import { z } from 'zod';
import { defineBlock } from '../block';
import { activationPorts, sameShape } from './activation';

export const LeakyReLU = defineBlock({
  type: 'LeakyReLU',
  version: 1,
  title: 'Leaky ReLU',
  category: 'Activation',
  description: 'x for x > 0, αx otherwise, element-wise.',
  networks: ['generator', 'discriminator'],
  idStem: 'lrelu',
  params: z.object({ alpha: z.number().min(0).max(1).default(0.2).describe('Slope for negative inputs.') }),
  ...activationPorts,
  migrations: [],
  infer: ({ inputs }) => sameShape(inputs),
});
