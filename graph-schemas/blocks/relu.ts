import { z } from 'zod';
import { defineBlock } from '../block';
import { activationPorts, sameShape } from './activation';

export const ReLU = defineBlock({
  type: 'ReLU',
  version: 1,
  title: 'ReLU',
  category: 'Activation',
  description: 'max(0, x), element-wise.',
  networks: ['generator', 'discriminator'],
  idStem: 'relu',
  params: z.object({}),
  ...activationPorts,
  migrations: [],
  infer: ({ inputs }) => sameShape(inputs),
});
