import { z } from 'zod';
import { defineBlock } from '../block';
import { asFeature, asVector, error, feature, unknownOutput } from './common';

const dim = (help: string, def: number) => z.number().int().min(1).max(8192).default(def).describe(help);

export const Reshape = defineBlock({
  type: 'Reshape',
  version: 1,
  title: 'Reshape to feature map',
  shortTitle: 'Reshape',
  category: 'Dense',
  description:
    'Views a vector (or feature map) as a height × width × channels feature map, channels last. Turns the first Linear of G into the 4×4 starting map.',
  networks: ['generator', 'discriminator'],
  idStem: 'reshape',
  chips: (p) => [`${p.height}×${p.width}×${p.channels}`],
  params: z.object({
    height: dim('Height of the feature map.', 4),
    width: dim('Width of the feature map.', 4),
    channels: dim('Channels of the feature map.', 256),
  }),
  inputs: [{ name: 'in', accepts: ['vector', 'feature'], required: true, description: 'A vector or feature map.' }],
  outputs: [{ name: 'out', kind: 'feature', description: 'The same values as a feature map.' }],
  migrations: [],
  infer: ({ params, inputs }) => {
    const v = asVector(inputs.in);
    const f = asFeature(inputs.in);
    const size = v ? v.shape[0] : f ? f.shape[0] * f.shape[1] * f.shape[2] : undefined;
    if (size === undefined) return unknownOutput;
    const target = params.height * params.width * params.channels;
    if (size !== target) {
      return {
        outputs: {},
        params: 0,
        problems: [
          error(
            `Reshape needs ${target} values (${params.height}×${params.width}×${params.channels}) but gets ${size}. Make the upstream Linear have ${target} units, or change the target shape.`,
            'in',
          ),
        ],
      };
    }
    return { outputs: { out: feature(params.height, params.width, params.channels) }, params: 0, problems: [] };
  },
});
