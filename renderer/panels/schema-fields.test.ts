import { describe, expect, it } from 'vitest';
import { DatasetSchema, getBlock, OptimizerSchema, TrainingSchema } from '../../graph-schemas';
import type { FieldSpec } from './schema-fields';
import { checkWithSchema, fieldsOf, formatFieldValue, humanizeKey, parseFieldInput, rangeText } from './schema-fields';

const field = (type: string, key: string) => fieldsOf(getBlock(type)!.params).find((f) => f.key === key)!;

describe('fields read from block schemas', () => {
  it('gives numbers their range, default and help text', () => {
    expect(field('Conv2D', 'filters')).toEqual({
      kind: 'number',
      key: 'filters',
      required: false,
      integer: true,
      min: 1,
      max: 8192,
      default: 64,
      help: 'Output channels.',
    });
  });

  it('gives enums their options and booleans their default', () => {
    expect(field('SelfAttention', 'keys')).toMatchObject({
      kind: 'enum',
      options: ['auto', 'pooled', 'full'],
      default: 'auto',
    });
    expect(field('SelfAttention', 'bias')).toMatchObject({ kind: 'boolean', default: false });
  });

  it('reads training and dataset settings, with exclusive bounds and literal unions', () => {
    const lr = fieldsOf(OptimizerSchema).find((f) => f.key === 'lr')!;
    expect(lr).toMatchObject({ kind: 'number', integer: false, min: 0, minExclusive: true, max: 1, required: true });
    expect(fieldsOf(DatasetSchema).find((f) => f.key === 'channels')).toMatchObject({ kind: 'enum', options: [1, 3] });
    expect(fieldsOf(TrainingSchema).map((f) => f.key)).toEqual([
      'objective',
      'dStepsPerGStep',
      'batchSize',
      'steps',
      'seed',
      'sampleEvery',
      'checkpointEvery',
      'metricsEvery',
      'metricsSamples',
    ]);
    // A whole number without a stated maximum has none to show (not zod's safe-integer bound).
    const checkpointEvery = fieldsOf(TrainingSchema).find((f) => f.key === 'checkpointEvery')!;
    expect(checkpointEvery).toMatchObject({ kind: 'number', min: 1 });
    expect(checkpointEvery).not.toHaveProperty('max');
    expect(rangeText(checkpointEvery as Extract<FieldSpec, { kind: 'number' }>)).toBe(
      'Enter a whole number of at least 1.',
    );
  });

  it('has a field for every param of every block', () => {
    for (const type of [
      'NoiseInput',
      'Linear',
      'Reshape',
      'ResBlockUp',
      'ResBlockDown',
      'ResBlock',
      'SelfAttention',
      'LeakyReLU',
      'Upsample',
      'ProjectionHead',
    ]) {
      const block = getBlock(type)!;
      expect(fieldsOf(block.params).map((f) => f.key)).toEqual(Object.keys(block.params.shape));
    }
  });
});

describe('parsing what the user typed', () => {
  const filters = field('Conv2D', 'filters');
  const lr = fieldsOf(OptimizerSchema).find((f) => f.key === 'lr')!;

  it('accepts numbers in the range, in any usual notation', () => {
    expect(parseFieldInput(filters, ' 256 ')).toEqual({ ok: true, value: 256 });
    expect(parseFieldInput(filters, '1,024')).toEqual({ ok: true, value: 1024 });
    expect(parseFieldInput(lr, '1e-4')).toEqual({ ok: true, value: 0.0001 });
  });

  it('refuses with a reason: empty, not a number, fractional, out of range', () => {
    expect(parseFieldInput(filters, '')).toEqual({ ok: false, reason: 'Enter a number.' });
    expect(parseFieldInput(filters, '12a')).toEqual({ ok: false, reason: '"12a" is not a number.' });
    expect(parseFieldInput(filters, '2.5')).toEqual({ ok: false, reason: 'Enter a whole number.' });
    expect(parseFieldInput(filters, '0')).toEqual({ ok: false, reason: 'Enter a whole number from 1 to 8192.' });
    expect(parseFieldInput(filters, '9000')).toMatchObject({ ok: false });
    expect(parseFieldInput(lr, '0')).toEqual({ ok: false, reason: 'Enter a number above 0 and at most 1.' });
  });

  it('parses enum and boolean choices back to their values', () => {
    const channels = fieldsOf(DatasetSchema).find((f) => f.key === 'channels')!;
    expect(parseFieldInput(channels, '3')).toEqual({ ok: true, value: 3 });
    expect(parseFieldInput(channels, '2')).toMatchObject({ ok: false });
    expect(parseFieldInput(field('SelfAttention', 'bias'), 'true')).toEqual({ ok: true, value: true });
  });

  it('checks rules beyond the range against the block schema (odd kernel sizes)', () => {
    const params = getBlock('Conv2D')!.params;
    const kernel = field('Conv2D', 'kernelSize');
    expect(parseFieldInput(kernel, '4')).toEqual({ ok: true, value: 4 });
    expect(checkWithSchema(params, { filters: 3, kernelSize: 4 }, 'kernelSize')).toEqual({
      ok: false,
      reason: 'The kernel size must be odd (1, 3, 5 or 7) so "same" padding keeps the map centred.',
    });
    expect(checkWithSchema(params, { filters: 3, kernelSize: 5 }, 'kernelSize')).toMatchObject({ ok: true });
    // A broken file's other param does not block fixing this one.
    expect(checkWithSchema(params, { filters: -1, kernelSize: 5 }, 'kernelSize')).toMatchObject({ ok: true });
  });

  it('describes ranges and formats small numbers readably', () => {
    expect(
      rangeText({
        kind: 'number',
        key: 'x',
        integer: false,
        min: 0,
        max: 1,
        maxExclusive: true,
        required: true,
      } as FieldSpec & { kind: 'number' }),
    ).toBe('Enter a number of at least 0 and below 1.');
    expect(rangeText(fieldsOf(TrainingSchema).find((f) => f.key === 'seed') as FieldSpec & { kind: 'number' })).toBe(
      'Enter a whole number from 0 to 2,147,483,647.',
    );
    expect(formatFieldValue(0.0001)).toBe('1e-4');
    expect(formatFieldValue(0.9)).toBe('0.9');
    expect(humanizeKey('outChannels')).toBe('Out channels');
    expect(humanizeKey('spectralNorm')).toBe('Spectral norm');
  });
});
