import { z } from 'zod';
import { defineBlock } from '../block';
import { error, unknownOutput } from './common';
import { mergeCost, mergedPair, mergeInputs, valueOfShape } from './merge';

export const Concat = defineBlock({
  type: 'Concat',
  version: 1,
  title: 'Concatenate',
  shortTitle: 'Concat',
  category: 'Merge',
  description:
    'Stacks two values along the channels: feature maps of the same height and width give one with the channels of both (a first, then b); vectors are joined end to end.',
  networks: ['generator', 'discriminator'],
  idStem: 'concat',
  params: z.object({}),
  inputs: mergeInputs,
  outputs: [{ name: 'out', kind: 'feature', sameKindAs: 'a', description: 'a and b stacked along the channels.' }],
  migrations: [],
  infer: ({ inputs }) => {
    const pair = mergedPair(inputs.a, inputs.b, 'Concatenate');
    if (!pair) return unknownOutput;
    if ('problem' in pair) return { ...unknownOutput, problems: [pair.problem] };
    const { a, b } = pair;
    if (pair.kind === 'feature' && (a[0] !== b[0] || a[1] !== b[1]))
      return {
        ...unknownOutput,
        problems: [
          error(
            `Concatenate stacks channels of maps of the same height and width; "a" is ${a[0]}×${a[1]} (shape [${a.join(', ')}]) and "b" is ${b[0]}×${b[1]} (shape [${b.join(', ')}]). Resample one path (Upsample, Average pool) first.`,
            'b',
          ),
        ],
      };
    const shape = pair.kind === 'feature' ? [a[0]!, a[1]!, a[2]! + b[2]!] : [a[0]! + b[0]!];
    return {
      outputs: { out: valueOfShape(pair.kind, shape) },
      params: 0,
      problems: [],
      cost: mergeCost('concatenated', shape),
    };
  },
});
