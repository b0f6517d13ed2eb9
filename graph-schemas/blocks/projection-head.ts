import { z } from 'zod';
import { defineBlock } from '../block';
import { asVector, biasParam, error, spectralNormParam, unknownOutput, vector } from './common';

export const ProjectionHead = defineBlock({
  type: 'ProjectionHead',
  version: 1,
  title: 'Projection head',
  shortTitle: 'Projection',
  category: 'Heads',
  description:
    'The class-conditional output of D (Miyato & Koyama): score = Linear(h) + Σ h ⊙ Embedding(y), so D judges whether the image fits its class.',
  networks: ['discriminator'],
  idStem: 'projection',
  params: z.object({ spectralNorm: spectralNormParam, bias: biasParam }),
  inputs: [
    { name: 'in', accepts: ['vector'], required: true, description: 'Pooled features h [C].' },
    { name: 'label', accepts: ['label'], required: true, description: 'Class label y of the image.' },
  ],
  outputs: [{ name: 'out', kind: 'vector', description: 'One score per image [1].' }],
  migrations: [],
  infer: ({ params, inputs, doc }) => {
    const h = asVector(inputs.in);
    if (doc.classes === 0) {
      return {
        outputs: {},
        params: 0,
        problems: [
          error(
            'The projection head needs classes, but the dataset has none. Use a Linear with 1 unit instead, or set the number of classes.',
          ),
        ],
      };
    }
    if (!h) return unknownOutput;
    const c = h.shape[0];
    return { outputs: { out: vector(1) }, params: c + (params.bias ? 1 : 0) + doc.classes * c, problems: [] };
  },
});
