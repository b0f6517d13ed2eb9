import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../document';
import { presetDoc } from '../test-helpers';
import { validateGraph } from '../validate';
import { expandComposites } from './expand';
import { exposeParam, paramChoices, unexposeParam } from './expose';
import { groupIntoBlock } from './group';

const grouped = (expose?: { node: string; param: string }[]) => {
  const out = groupIntoBlock(
    presetDoc('sagan-mnist'),
    'generator',
    ['g_up2', 'g_attention'],
    'AttentionUp',
    'AU',
    expose,
  );
  if (!out.ok) throw new Error(out.reason);
  return out;
};
const setUse = (doc: GraphDocument, id: string, params: Record<string, unknown>): GraphDocument => ({
  ...doc,
  generator: { ...doc.generator, nodes: doc.generator.nodes.map((n) => (n.id === id ? { ...n, params } : n)) },
});

describe('choosing the params a block exposes', () => {
  it("lists every param of the selection's parts with its current value, channel counts marked", () => {
    const choices = paramChoices(presetDoc('sagan-mnist'), 'generator', ['g_up2', 'g_attention']);
    expect(choices.map((c) => `${c.node}.${c.param}`)).toEqual(
      expect.arrayContaining(['g_up2.outChannels', 'g_up2.spectralNorm', 'g_attention.variant', 'g_attention.bias']),
    );
    expect(choices.find((c) => c.param === 'outChannels')).toMatchObject({ value: 32, channels: true });
    expect(choices.filter((c) => c.channels).map((c) => c.param)).toEqual(['outChannels']);
    expect(choices.find((c) => c.node === 'g_attention' && c.param === 'variant')).toMatchObject({
      block: 'Self-attention',
      channels: false,
    });
  });

  it('exposes what the user picked, defaulting to the current values, and each use sets its own', () => {
    const { doc, nodeId } = grouped([
      { node: 'g_up2', param: 'outChannels' },
      { node: 'g_attention', param: 'variant' },
    ]);
    const def = doc.blocks[0]!;
    expect(def.params.map((p) => [p.name, p.default])).toEqual([
      ['outChannels', 32],
      ['variant', 'official'],
    ]);
    expect(def.nodes.find((n) => n.id === 'g_attention')?.params.variant).toBeUndefined();
    expect(doc.generator.nodes.find((n) => n.id === nodeId)?.params).toEqual({ outChannels: 32, variant: 'official' });
    const paper = setUse(doc, nodeId, { outChannels: 32, variant: 'paper' });
    expect(validateGraph(paper).problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(expandComposites(paper).generator.nodes.find((n) => n.id === `${nodeId}/g_attention`)?.params.variant).toBe(
      'paper',
    );
    // A use's value is checked with the inner param's own schema.
    const wrong = validateGraph(setUse(doc, nodeId, { outChannels: 32, variant: 'sideways' }));
    expect(wrong.problems.some((p) => p.nodeId === nodeId && p.severity === 'error')).toBe(true);
  });

  it('exposes nothing when nothing is picked, and refuses what the selection does not have', () => {
    expect(grouped([]).doc.blocks[0]!.params).toEqual([]);
    const out = groupIntoBlock(presetDoc('sagan-mnist'), 'generator', ['g_up2'], 'X', 'X', [
      { node: 'g_up1', param: 'outChannels' },
    ]);
    expect(out).toEqual({
      ok: false,
      reason: '"g_up1" is not in the selection, so the block cannot expose its outChannels.',
    });
    expect(
      groupIntoBlock(presetDoc('sagan-mnist'), 'generator', ['g_up2'], 'X', 'X', [{ node: 'g_up2', param: 'nope' }]),
    ).toMatchObject({ ok: false, reason: '"g_up2" has no parameter "nope" to expose.' });
  });
});

describe('editing the exposed params of a definition', () => {
  it('adds one from an inner node, starting at its value, and the uses follow', () => {
    const { doc, nodeId } = grouped();
    const out = exposeParam(doc, 'AttentionUp', 'g_attention', 'bias');
    if (!out.ok) throw new Error(out.reason);
    const def = out.doc.blocks[0]!;
    expect(def.params.map((p) => [p.name, p.default])).toEqual([
      ['outChannels', 32],
      ['bias', false],
    ]);
    expect(def.nodes.find((n) => n.id === 'g_attention')?.params).not.toHaveProperty('bias');
    expect(out.note).toMatch(/now sets "bias" \(g_attention\.bias\), starting at false/);
    expect(validateGraph(out.doc).totals).toEqual(validateGraph(doc).totals);
    const withBias = validateGraph(setUse(out.doc, nodeId, { outChannels: 32, bias: true }));
    expect(withBias.totals.generatorParams).toBeGreaterThan(validateGraph(doc).totals.generatorParams);
    expect(exposeParam(out.doc, 'AttentionUp', 'g_attention', 'bias')).toEqual({
      ok: false,
      reason: '"g_attention.bias" is exposed already, as "bias".',
    });
    expect(exposeParam(doc, 'AttentionUp', 'g_attention', 'nope')).toMatchObject({
      ok: false,
      reason: 'Self-attention "g_attention" has no parameter "nope".',
    });
  });

  it('removes one, baking its default into the inner nodes and dropping the uses’ values', () => {
    const { doc, nodeId } = grouped();
    const wider = setUse(doc, nodeId, { outChannels: 48 });
    const out = unexposeParam(wider, 'AttentionUp', 'outChannels');
    if (!out.ok) throw new Error(out.reason);
    expect(out.doc.blocks[0]!.params).toEqual([]);
    expect(out.doc.blocks[0]!.nodes.find((n) => n.id === 'g_up2')?.params.outChannels).toBe(32);
    expect(out.doc.generator.nodes.find((n) => n.id === nodeId)?.params).toEqual({});
    expect(validateGraph(out.doc).totals).toEqual(validateGraph(doc).totals);
    expect(out.note).toMatch(
      /no longer has "outChannels": g_up2\.outChannels is 32 in every use \("g_attention_up" had 48; undo to keep it\)\./,
    );
    expect(unexposeParam(doc, 'AttentionUp', 'nope')).toMatchObject({ ok: false });
  });
});
