import { z } from 'zod';
import { defineBlock } from '../block';
import { error } from './common';

export const ClassLabelInput = defineBlock({
  type: 'ClassLabelInput',
  version: 1,
  title: 'Class label',
  category: 'Inputs',
  description:
    'The class of each sample: the class to generate in G, the class of the real or generated image in D. Feeds conditional batch norm and the projection head.',
  networks: ['generator', 'discriminator'],
  idStem: 'label',
  sideInput: true,
  params: z.object({}),
  inputs: [],
  outputs: [{ name: 'out', kind: 'label', description: 'One class index per sample.' }],
  migrations: [],
  infer: ({ doc }) =>
    doc.classes > 0
      ? { outputs: { out: { kind: 'label', classes: doc.classes } }, params: 0, problems: [] }
      : {
          outputs: {},
          params: 0,
          problems: [
            error(
              'The dataset has no classes (classes = 0), so there is no label to give. Set the number of classes in the training setup, or remove this node and the class-conditional blocks.',
            ),
          ],
        },
});
