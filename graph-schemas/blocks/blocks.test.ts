import { describe, expect, it } from 'vitest';
import type { DocumentContext } from '../block';
import type { PortValue } from '../ports';
import { blockCatalog, getBlock } from './index';

const doc: DocumentContext = { imageSize: 32, channels: 3, classes: 10, batchSize: 64, network: 'generator' };
const fmap = (h: number, w: number, c: number): PortValue => ({ kind: 'feature', shape: [h, w, c] });
const label: PortValue = { kind: 'label', classes: 10 };

function infer(
  type: string,
  params: Record<string, unknown>,
  inputs: Record<string, PortValue>,
  ctx: Partial<DocumentContext> = {},
) {
  const block = getBlock(type)!;
  const parsed = block.params.parse(params);
  return block.infer({ params: parsed, inputs, doc: { ...doc, ...ctx } });
}

describe('block catalog', () => {
  it('has unique types, help texts and defaults for every param', () => {
    expect(new Set(blockCatalog.map((b) => b.type)).size).toBe(blockCatalog.length);
    for (const block of blockCatalog) {
      expect(block.description.length, block.type).toBeGreaterThan(10);
      expect(block.params.safeParse({}).success, `${block.type} defaults`).toBe(true);
      for (const [name, field] of Object.entries(block.params.shape)) {
        expect((field as { description?: string }).description, `${block.type}.${name} help`).toBeTruthy();
      }
    }
  });

  it('says on each block how new nodes are named, and which blocks every network must start and end with', () => {
    for (const block of blockCatalog) expect(block.idStem, block.type).toMatch(/^[a-z][a-z0-9_]*$/);
    for (const network of ['generator', 'discriminator'] as const) {
      const required = blockCatalog.filter((b) => b.requiredInNetwork && b.networks.includes(network));
      expect(required.filter((b) => b.inputs.length === 0).length, `${network} input`).toBe(1);
      expect(required.filter((b) => b.outputs.length === 0).length, `${network} output`).toBe(1);
    }
    expect(blockCatalog.filter((b) => b.attention).map((b) => b.type)).toEqual(['SelfAttention']);
  });

  it('covers every block the SAGAN paper and its code use', () => {
    for (const type of [
      'NoiseInput',
      'ClassLabelInput',
      'ImageInput',
      'Linear',
      'Reshape',
      'ResBlockUp',
      'ResBlockDown',
      'ResBlock',
      'SelfAttention',
      'Conv2D',
      'BatchNorm',
      'ConditionalBatchNorm',
      'ReLU',
      'LeakyReLU',
      'Tanh',
      'Upsample',
      'AvgPool',
      'Add',
      'GlobalSumPool',
      'ProjectionHead',
      'GeneratorOutput',
      'DiscriminatorOutput',
    ]) {
      expect(getBlock(type), type).toBeDefined();
    }
  });
});

describe('shape inference and parameter counts (as PyTorch counts them)', () => {
  it('Linear', () => {
    expect(infer('Linear', { units: 4096 }, { in: { kind: 'noise', shape: [128] } })).toMatchObject({
      outputs: { out: { kind: 'vector', shape: [4096] } },
      params: 128 * 4096 + 4096,
    });
    expect(infer('Linear', { units: 10, bias: false }, { in: { kind: 'vector', shape: [5] } }).params).toBe(50);
  });

  it('Conv2D keeps the size', () => {
    expect(infer('Conv2D', { filters: 3, kernelSize: 3 }, { in: fmap(32, 32, 256) })).toMatchObject({
      outputs: { out: fmap(32, 32, 3) },
      params: 256 * 3 * 9 + 3,
    });
  });

  it('ResBlockUp doubles the size; CBN tables count per class', () => {
    const r = infer('ResBlockUp', { outChannels: 256 }, { in: fmap(4, 4, 256), label });
    expect(r.outputs.out).toEqual(fmap(8, 8, 256));
    expect(r.params).toBe(1_256_192);
    expect(infer('ResBlockUp', { outChannels: 128, norm: 'bn' }, { in: fmap(4, 4, 256) }).params).toBe(
      2 * 256 + 2 * 128 + (256 * 128 * 9 + 128) + (128 * 128 * 9 + 128) + (256 * 128 + 128),
    );
  });

  it('ResBlockDown halves the size and refuses odd sizes', () => {
    expect(infer('ResBlockDown', { outChannels: 128, optimized: true }, { in: fmap(32, 32, 3) })).toMatchObject({
      outputs: { out: fmap(16, 16, 128) },
      params: 151_680,
    });
    const odd = infer('ResBlockDown', { outChannels: 8 }, { in: fmap(15, 15, 8) });
    expect(odd.outputs.out).toBeUndefined();
    expect(odd.problems[0]?.message).toMatch(/needs even height and width; it gets 15×15/);
  });

  it('ResBlock has a shortcut conv only when widening', () => {
    expect(infer('ResBlock', { outChannels: 128 }, { in: fmap(8, 8, 128) }).params).toBe(295_168);
    expect(infer('ResBlock', { outChannels: 256 }, { in: fmap(8, 8, 128) }).params).toBe(
      128 * 256 * 9 + 256 + 256 * 256 * 9 + 256 + 128 * 256 + 256,
    );
  });

  it('SelfAttention: both variants, pooled or full keys, and its memory cost', () => {
    const official = infer('SelfAttention', { variant: 'official' }, { in: fmap(32, 32, 256) });
    expect(official.outputs.out).toEqual(fmap(32, 32, 256));
    expect(official.params).toBe(2 * 256 * 32 + 256 * 128 + 128 * 256 + 1);
    // At batch 64, 16 samples' 1024×256 matrices make one 16 MiB chunk; 7 chunk-sized buffers at the peak.
    expect(official.cost).toEqual({ bytesPerSample: (7 * 16 * 2 ** 20) / 64, what: 'attention matrix 1024×256' });
    const paper = infer('SelfAttention', { variant: 'paper' }, { in: fmap(32, 32, 256) });
    expect(paper.params).toBe(3 * 256 * 32 + 32 * 256 + 1);
    expect(paper.cost).toEqual({ bytesPerSample: (7 * 16 * 2 ** 20) / 64, what: 'attention matrix 1024×1024' });
    const small = infer('SelfAttention', {}, { in: fmap(8, 8, 64) }, { batchSize: 2 });
    expect(small.cost?.bytesPerSample).toBe(7 * 64 * 16 * 4); // the whole batch in one chunk
    expect(
      infer('SelfAttention', { variant: 'official', keys: 'full', bias: true }, { in: fmap(16, 16, 256) }).params,
    ).toBe(82_369);
    expect(infer('SelfAttention', {}, { in: fmap(16, 16, 12) }).problems[0]?.message).toMatch(
      /C must be divisible by 8/,
    );
  });

  it('normalisations count their scale and shift', () => {
    expect(infer('BatchNorm', {}, { in: fmap(8, 8, 64) })).toMatchObject({
      outputs: { out: fmap(8, 8, 64) },
      params: 128,
    });
    expect(infer('ConditionalBatchNorm', {}, { in: fmap(8, 8, 64), label })).toMatchObject({ params: 2 * 10 * 64 });
  });

  it('activations pass feature maps and vectors through', () => {
    expect(infer('ReLU', {}, { in: fmap(4, 4, 2) }).outputs.out).toEqual(fmap(4, 4, 2));
    expect(infer('LeakyReLU', { alpha: 0.1 }, { in: { kind: 'vector', shape: [7] } }).outputs.out).toEqual({
      kind: 'vector',
      shape: [7],
    });
    expect(infer('Tanh', {}, { in: fmap(32, 32, 3) }).outputs.out).toEqual(fmap(32, 32, 3));
  });

  it('resampling and pooling', () => {
    expect(infer('Upsample', {}, { in: fmap(4, 4, 2) }).outputs.out).toEqual(fmap(8, 8, 2));
    expect(infer('AvgPool', {}, { in: fmap(8, 6, 2) }).outputs.out).toEqual(fmap(4, 3, 2));
    expect(infer('GlobalSumPool', {}, { in: fmap(4, 4, 128) }).outputs.out).toEqual({ kind: 'vector', shape: [128] });
  });

  it('Add needs one shape on both inputs and names both when they differ', () => {
    expect(infer('Add', {}, { a: fmap(8, 8, 64), b: fmap(8, 8, 64) })).toEqual({
      outputs: { out: fmap(8, 8, 64) },
      params: 0,
      problems: [],
      cost: { bytesPerSample: 4 * 8 * 8 * 64, what: 'sum 8×8×64' },
    });
    const vec: PortValue = { kind: 'noise', shape: [16] };
    expect(infer('Add', {}, { a: vec, b: { kind: 'vector', shape: [16] } }).outputs.out).toEqual({
      kind: 'vector',
      shape: [16],
    });
    const channels = infer('Add', {}, { a: fmap(8, 8, 64), b: fmap(8, 8, 32) });
    expect(channels.outputs.out).toBeUndefined();
    expect(channels.problems).toEqual([
      {
        severity: 'error',
        port: 'b',
        message:
          'Add needs the same shape on both inputs; "a" gets [8, 8, 64] and "b" gets [8, 8, 32]: put a 1×1 Conv 2D on one path so the channels match.',
      },
    ]);
    expect(infer('Add', {}, { a: fmap(8, 8, 64), b: fmap(4, 4, 64) }).problems[0]?.message).toMatch(
      /"a" gets \[8, 8, 64\] and "b" gets \[4, 4, 64\]: resample one path/,
    );
    expect(infer('Add', {}, { a: fmap(4, 4, 1), b: vec }).problems[0]?.message).toMatch(
      /"a" gets a feature map \[4, 4, 1\] and "b" gets a vector \[16\]/,
    );
    // Nothing to say until both inputs are known (the missing one is reported as unconnected).
    expect(infer('Add', {}, { a: fmap(8, 8, 64) })).toEqual({ outputs: {}, params: 0, problems: [] });
  });

  it('Concat stacks the channels of maps of one size, and joins vectors', () => {
    expect(infer('Concat', {}, { a: fmap(8, 8, 64), b: fmap(8, 8, 32) })).toMatchObject({
      outputs: { out: fmap(8, 8, 96) },
      params: 0,
      problems: [],
      cost: { bytesPerSample: 4 * 8 * 8 * 96, what: 'concatenated 8×8×96' },
    });
    expect(
      infer('Concat', {}, { a: { kind: 'vector', shape: [3] }, b: { kind: 'vector', shape: [5] } }).outputs.out,
    ).toEqual({ kind: 'vector', shape: [8] });
    expect(infer('Concat', {}, { a: fmap(8, 8, 64), b: fmap(4, 8, 64) }).problems[0]).toMatchObject({
      port: 'b',
      message: expect.stringMatching(/"a" is 8×8 \(shape \[8, 8, 64\]\) and "b" is 4×8 \(shape \[4, 8, 64\]\)/),
    });
  });

  it('ProjectionHead scores each image', () => {
    expect(
      infer('ProjectionHead', {}, { in: { kind: 'vector', shape: [128] }, label }, { network: 'discriminator' }),
    ).toMatchObject({ outputs: { out: { kind: 'vector', shape: [1] } }, params: 129 + 1280 });
  });

  it('inputs take their shapes from the dataset', () => {
    expect(infer('ImageInput', {}, {}, { network: 'discriminator', imageSize: 64, channels: 1 }).outputs.out).toEqual({
      kind: 'image',
      shape: [64, 64, 1],
    });
    expect(infer('NoiseInput', { dim: 120 }, {}).outputs.out).toEqual({ kind: 'noise', shape: [120] });
    expect(infer('ClassLabelInput', {}, {}).outputs.out).toEqual(label);
  });

  it('the score must be a single value', () => {
    expect(
      infer('DiscriminatorOutput', {}, { in: { kind: 'vector', shape: [128] } }, { network: 'discriminator' })
        .problems[0]?.message,
    ).toMatch(/one value per image/);
  });
});
