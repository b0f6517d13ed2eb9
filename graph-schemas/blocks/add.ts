import { z } from 'zod';
import { defineBlock } from '../block';
import { error, unknownOutput } from './common';
import { mergeCost, mergedPair, mergeInputs, valueOfShape } from './merge';

export const Add = defineBlock({
  type: 'Add',
  version: 1,
  title: 'Add',
  category: 'Merge',
  description:
    'Adds two values of the same shape element-wise: joins a residual path and its skip connection (out = a + b).',
  networks: ['generator', 'discriminator'],
  idStem: 'add',
  params: z.object({}),
  inputs: mergeInputs,
  outputs: [{ name: 'out', kind: 'feature', sameKindAs: 'a', description: 'a + b, the same shape as each.' }],
  migrations: [],
  infer: ({ inputs }) => {
    const pair = mergedPair(inputs.a, inputs.b, 'Add');
    if (!pair) return unknownOutput;
    if ('problem' in pair) return { ...unknownOutput, problems: [pair.problem] };
    const same = pair.a.length === pair.b.length && pair.a.every((d, i) => d === pair.b[i]);
    if (!same) {
      const hint =
        pair.kind === 'feature' && pair.a[0] === pair.b[0] && pair.a[1] === pair.b[1]
          ? 'put a 1×1 Conv 2D on one path so the channels match'
          : pair.kind === 'feature'
            ? 'resample one path (Upsample, Average pool) and match the channels with a 1×1 Conv 2D'
            : 'put a Linear on one path so the lengths match';
      return {
        ...unknownOutput,
        problems: [
          error(
            `Add needs the same shape on both inputs; "a" gets [${pair.a.join(', ')}] and "b" gets [${pair.b.join(', ')}]: ${hint}.`,
            'b',
          ),
        ],
      };
    }
    return {
      outputs: { out: valueOfShape(pair.kind, pair.a) },
      params: 0,
      problems: [],
      cost: mergeCost('sum', pair.a),
    };
  },
});
