import { z } from 'zod';
import { defineBlock } from '../block';
import { asFeature, unknownOutput } from './common';
import { labelProblems } from './norm';

export const ConditionalBatchNorm = defineBlock({
  type: 'ConditionalBatchNorm',
  version: 1,
  title: 'Conditional batch norm',
  shortTitle: 'Cond. BN',
  category: 'Normalization',
  description:
    'Batch norm without its own affine, followed by a per-class scale γ[y] and shift β[y] looked up by the label (γ starts at 1, β at 0; no spectral norm on them).',
  networks: ['generator', 'discriminator'],
  idStem: 'cbn',
  params: z.object({
    eps: z.number().min(1e-8).max(0.1).default(1e-5).describe('Added to the variance for stability.'),
    momentum: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe('Weight of the new batch in the running averages (PyTorch convention).'),
  }),
  inputs: [
    { name: 'in', accepts: ['feature'], required: true, description: 'Feature map H×W×C.' },
    { name: 'label', accepts: ['label'], required: true, description: 'Class label selecting γ and β.' },
  ],
  outputs: [{ name: 'out', kind: 'feature', description: 'Normalised map, same shape.' }],
  migrations: [],
  infer: ({ inputs, doc }) => {
    const x = asFeature(inputs.in);
    const problems = labelProblems('cbn', inputs.label !== undefined, doc, 'Conditional batch norm').filter(
      (p) => p.port !== 'label',
    );
    if (!x) return { ...unknownOutput, problems };
    return { outputs: { out: { kind: 'feature', shape: x.shape } }, params: 2 * doc.classes * x.shape[2], problems };
  },
});
