import { z } from 'zod';
import { defineBlock } from '../block';
import { asFeature, biasParam, channelsParam, convParams, feature, spectralNormParam, unknownOutput } from './common';
import { labelProblems, normHelp, normParams } from './norm';
import { resBlockInside } from './residual-insides';

export const ResBlock = defineBlock({
  type: 'ResBlock',
  version: 1,
  title: 'Residual block',
  shortTitle: 'Res block',
  category: 'Residual',
  description:
    'Residual block without resampling: (norm,) ReLU, 3×3 conv, (norm,) ReLU, 3×3 conv; the shortcut is the identity, or a 1×1 conv when the channel count changes. SAGAN-32 D ends with two of these.',
  networks: ['generator', 'discriminator'],
  idStem: 'block',
  params: z.object({
    outChannels: channelsParam('Channels of the output feature map.', 128),
    norm: z
      .enum(['none', 'bn', 'cbn'])
      .default('none')
      .describe(`Normalisation before each ReLU: none = ${normHelp.none}; bn = ${normHelp.bn}; cbn = ${normHelp.cbn}.`),
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
  outputs: [{ name: 'out', kind: 'feature', description: 'Feature map H×W×outChannels.' }],
  migrations: [],
  inside: (params, inputs) => resBlockInside(params, inputs),
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
      (cin !== cout ? convParams(cin, cout, 1, params.bias) : 0);
    return { outputs: { out: feature(h, w, cout) }, params: weights, problems };
  },
});
