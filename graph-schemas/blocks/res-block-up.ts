import { z } from 'zod';
import { defineBlock } from '../block';
import { asFeature, biasParam, channelsParam, convParams, feature, spectralNormParam, unknownOutput } from './common';
import { labelProblems, normParams, upNormParam } from './norm';
import { resBlockUpInside } from './residual-insides';

export const ResBlockUp = defineBlock({
  type: 'ResBlockUp',
  version: 1,
  title: 'Residual block up ×2',
  shortTitle: 'Res up ×2',
  category: 'Residual',
  description:
    'SAGAN/BigGAN generator block: norm, ReLU, nearest ×2 upsample, 3×3 conv, norm, ReLU, 3×3 conv; shortcut: upsample then 1×1 conv. Doubles height and width.',
  networks: ['generator', 'discriminator'],
  idStem: 'up',
  params: z.object({
    outChannels: channelsParam('Channels of the output feature map.', 256),
    norm: upNormParam,
    upsample: z
      .enum(['nearest'])
      .default('nearest')
      .describe('How the map is enlarged: nearest-neighbour ×2, as in SAGAN.'),
    spectralNorm: spectralNormParam,
    bias: biasParam,
  }),
  inputs: [
    { name: 'in', accepts: ['feature'], required: true, description: 'Feature map H×W×C.' },
    {
      name: 'label',
      accepts: ['label'],
      required: (p) => p.norm === 'cbn',
      description: 'Class label for conditional batch norm.',
    },
  ],
  outputs: [{ name: 'out', kind: 'feature', description: 'Feature map 2H×2W×outChannels.' }],
  migrations: [],
  inside: (params) => resBlockUpInside(params),
  infer: ({ params, inputs, doc }) => {
    const x = asFeature(inputs.in);
    const problems = labelProblems(params.norm, inputs.label !== undefined, doc, 'This block');
    if (!x) return { ...unknownOutput, problems };
    const [h, w, cin] = x.shape;
    const cout = params.outChannels;
    const weights =
      normParams(params.norm, cin, doc.classes) +
      normParams(params.norm, cout, doc.classes) +
      convParams(cin, cout, 3, params.bias) +
      convParams(cout, cout, 3, params.bias) +
      convParams(cin, cout, 1, params.bias);
    return { outputs: { out: feature(2 * h, 2 * w, cout) }, params: weights, problems };
  },
});
