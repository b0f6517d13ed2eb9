import { z } from 'zod';
import { defineBlock } from '../block';
import {
  asFeature,
  biasParam,
  channelsParam,
  convParams,
  feature,
  needsEvenSize,
  spectralNormParam,
  unknownOutput,
} from './common';
import { resBlockDownInside } from './residual-insides';

export const ResBlockDown = defineBlock({
  type: 'ResBlockDown',
  version: 1,
  title: 'Residual block down ×2',
  shortTitle: 'Res down ×2',
  category: 'Residual',
  description:
    'SAGAN/SNGAN discriminator block with 2×2 average pooling. Regular: ReLU, 3×3 conv, ReLU, 3×3 conv, avg-pool; shortcut 1×1 conv then avg-pool. Optimized (first block, on the image): 3×3 conv, ReLU, 3×3 conv, avg-pool; shortcut avg-pool then 1×1 conv.',
  networks: ['generator', 'discriminator'],
  idStem: 'block',
  params: z.object({
    outChannels: channelsParam('Channels of the output feature map.', 128),
    optimized: z
      .boolean()
      .default(false)
      .describe(
        'The "optimized" first block of D: no ReLU before the first conv, and the shortcut pools before its 1×1 conv.',
      ),
    spectralNorm: spectralNormParam,
    bias: biasParam,
  }),
  inputs: [{ name: 'in', accepts: ['feature'], required: true, description: 'Feature map or image H×W×C.' }],
  outputs: [{ name: 'out', kind: 'feature', description: 'Feature map H/2×W/2×outChannels.' }],
  migrations: [],
  inside: (params) => resBlockDownInside(params),
  infer: ({ params, inputs }) => {
    const x = asFeature(inputs.in);
    if (!x) return unknownOutput;
    const [h, w, cin] = x.shape;
    const cout = params.outChannels;
    const odd = needsEvenSize(h, w, 'Average pooling');
    // Downsampling always changes the map, so the shortcut always has its 1×1 conv.
    const weights =
      convParams(cin, cout, 3, params.bias) +
      convParams(cout, cout, 3, params.bias) +
      convParams(cin, cout, 1, params.bias);
    return { outputs: odd ? {} : { out: feature(h / 2, w / 2, cout) }, params: weights, problems: odd ? [odd] : [] };
  },
});
