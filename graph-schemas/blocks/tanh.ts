import { z } from 'zod';
import { defineBlock } from '../block';
import { activationPorts, sameShape } from './activation';

export const Tanh = defineBlock({
  type: 'Tanh',
  version: 1,
  title: 'Tanh',
  category: 'Activation',
  description: "tanh(x), element-wise: maps the generator's last conv into the image range [-1, 1].",
  networks: ['generator', 'discriminator'],
  idStem: 'tanh',
  params: z.object({}),
  ...activationPorts,
  migrations: [],
  infer: ({ inputs }) => sameShape(inputs),
});
