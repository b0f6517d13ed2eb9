import { describe, expect, it } from 'vitest';
import { TrainingSchema } from '../document';
import { trainingMethods, TrainingOptionsSchema } from './training-contract';

const base = { doc: {}, docPath: null, data: { kind: 'mnist' } } as const;
const documentAccepts = (key: string, value: number) => TrainingSchema.shape[key as 'steps'].safeParse(value).success;

describe('the training API follows the document’s rules for run settings', () => {
  it.each([
    ['steps', [0, 1, 100_000_000, 100_000_001, 2.5]],
    ['batchSize', [0, 1, 4096, 4097]],
    ['seed', [-1, 0, 2 ** 31 - 1, 2 ** 31]],
    ['sampleEvery', [0, 1, 1_000_001, 100_000_000, 100_000_001]],
  ] as const)('%s: a value the document refuses is refused by Start, and one it takes is taken', (key, values) => {
    for (const value of values)
      expect(TrainingOptionsSchema.safeParse({ ...base, [key]: value }).success, `${key} = ${value}`).toBe(
        documentAccepts(key, value),
      );
  });

  it('changing the sampling interval of a running run has the same limits', () => {
    const params = trainingMethods['training.setSampleEvery'].params;
    for (const every of [0, 1, 1_000_001, 100_000_000, 100_000_001])
      expect(params.safeParse({ runId: 'r1', every }).success).toBe(documentAccepts('sampleEvery', every));
  });
});
