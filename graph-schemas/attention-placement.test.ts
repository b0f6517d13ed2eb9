import { describe, expect, it } from 'vitest';
import { attentionResolutions, attentionVariant, parseResolution, placeAttention } from './attention-placement';
import { findPreset } from './presets';
import { validateGraph } from './validate';

const mnist = () => findPreset('sagan-mnist')!.build();
const inputOf = (doc: ReturnType<typeof mnist>, net: 'generator' | 'discriminator', target: string) =>
  doc[net].edges.filter((e) => e.target === target && e.targetPort === 'in').map((e) => e.source);

describe('attention placement', () => {
  it('reads feat sizes', () => {
    expect(parseResolution('feat16')).toBe(16);
    expect(parseResolution('16')).toBeNull();
    expect(parseResolution('featx')).toBeNull();
  });

  it('lists the square feature maps of each network in order', () => {
    expect(attentionResolutions(mnist(), 'generator')).toEqual(['feat4', 'feat8', 'feat16', 'feat32']);
    expect(attentionResolutions(mnist(), 'discriminator')).toEqual(['feat32', 'feat16', 'feat8', 'feat4']);
  });

  it('moves G and D attention to the block that makes the k×k map, rewiring both sides', () => {
    const moved = attentionVariant(mnist(), 8, 'both');
    expect(moved.ok).toBe(true);
    if (!moved.ok) return;
    const doc = moved.value;
    expect(inputOf(doc, 'generator', 'g_attention')).toEqual(['g_up1']);
    expect(inputOf(doc, 'generator', 'g_up2')).toEqual(['g_attention']);
    expect(inputOf(doc, 'generator', 'g_up3')).toEqual(['g_up2']);
    expect(inputOf(doc, 'discriminator', 'd_attention')).toEqual(['d_block2']);
    expect(inputOf(doc, 'discriminator', 'd_block3')).toEqual(['d_attention']);
    expect(inputOf(doc, 'discriminator', 'd_block2')).toEqual(['d_block1']);
    const report = validateGraph(doc);
    expect(report.valid).toBe(true);
    const at = (id: string) => report.nodes.find((n) => n.id === id)!.resolution;
    expect([at('g_attention'), at('d_attention')]).toEqual(['feat8', 'feat8']);
    expect(doc.name).toBe('SAGAN-MNIST (attention at feat8)');
  });

  it('keeps the other network as it was when only one moves, and the original where it already is', () => {
    const g = attentionVariant(mnist(), 32, 'G');
    expect(g.ok && inputOf(g.value, 'generator', 'g_attention')).toEqual(['g_up3']);
    expect(g.ok && g.value.discriminator).toEqual(mnist().discriminator);
    const same = placeAttention(mnist(), 'generator', 16);
    expect(same.ok && validateGraph(same.value).nodes.find((n) => n.id === 'g_attention')!.resolution).toBe('feat16');
  });

  it('says why a placement cannot be made', () => {
    const none = placeAttention(mnist(), 'generator', 64);
    expect(!none.ok && none.error).toBe(
      'G has no 64×64 feature map for attention (it has feat4, feat8, feat16, feat32).',
    );
    const doc = mnist();
    doc.generator.nodes = doc.generator.nodes.filter((n) => n.id !== 'g_attention');
    expect(placeAttention(doc, 'generator', 8)).toEqual({
      ok: false,
      error: 'G has no self-attention node to move; add a SelfAttention block to it first.',
    });
  });
});
