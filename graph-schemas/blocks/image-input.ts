import { z } from 'zod';
import { defineBlock } from '../block';

export const ImageInput = defineBlock({
  type: 'ImageInput',
  version: 1,
  title: 'Image (real or generated)',
  shortTitle: 'Image',
  category: 'Inputs',
  description:
    "The discriminator's input: a batch of real images from the dataset and of images from the generator, at the dataset's size and channels.",
  networks: ['discriminator'],
  idStem: 'image',
  requiredInNetwork: 'exactly-one',
  params: z.object({}),
  inputs: [],
  outputs: [{ name: 'out', kind: 'image', description: 'Images in [-1, 1], height × width × channels.' }],
  migrations: [],
  infer: ({ doc }) => ({
    outputs: { out: { kind: 'image', shape: [doc.imageSize, doc.imageSize, doc.channels] } },
    params: 0,
    problems: [],
  }),
});
