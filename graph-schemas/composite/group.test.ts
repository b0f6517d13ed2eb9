import { describe, expect, it } from 'vitest';
import { presetDoc } from '../test-helpers';
import { validateGraph } from '../validate';
import { expandComposites } from './expand';
import { groupIntoBlock } from './group';

describe('group into block', () => {
  it('makes a block of a residual block and the attention after it, used in their place with the same result', () => {
    const doc = presetDoc('sagan-mnist');
    const grouped = groupIntoBlock(doc, 'generator', ['g_up2', 'g_attention'], 'AttentionUp', 'Attention up');
    if (!grouped.ok) throw new Error(grouped.reason);
    const def = grouped.doc.blocks[0]!;
    expect(def.inputs).toEqual([
      { name: 'in', accepts: ['feature'], required: true, description: 'From "g_up1".' },
      { name: 'label', accepts: ['label'], required: true, description: 'From "g_label".' },
    ]);
    expect(def.outputs).toEqual([{ name: 'out', kind: 'feature', description: 'What "g_attention" gave.' }]);
    expect(grouped.nodeId).toBe('g_attention_up');
    const before = validateGraph(doc);
    const after = validateGraph(grouped.doc);
    expect(after.problems).toEqual(before.problems);
    expect(after.totals).toEqual(before.totals);
    expect(after.nodes.find((n) => n.id === 'g_attention_up')?.outputShape).toEqual(
      before.nodes.find((n) => n.id === 'g_attention')?.outputShape,
    );
    const flat = expandComposites(grouped.doc);
    expect(flat.generator.nodes.map((n) => n.id)).toEqual(
      expect.arrayContaining(['g_attention_up/g_up2', 'g_attention_up/g_attention']),
    );
    expect(validateGraph(flat).totals).toEqual(before.totals);
  });

  it("exposes the parts' channel counts, so two uses of the block can differ", () => {
    const doc = presetDoc('sagan-mnist');
    const grouped = groupIntoBlock(doc, 'generator', ['g_up2', 'g_attention'], 'AttentionUp');
    if (!grouped.ok) throw new Error(grouped.reason);
    const def = grouped.doc.blocks[0]!;
    expect(def.params).toEqual([
      {
        name: 'outChannels',
        description: 'Channels of "g_up2" (its outChannels).',
        default: 32,
        targets: [{ node: 'g_up2', param: 'outChannels' }],
      },
    ]);
    expect(def.nodes.find((n) => n.id === 'g_up2')?.params.outChannels).toBeUndefined();
    const use = grouped.doc.generator.nodes.find((n) => n.id === grouped.nodeId)!;
    expect(use.params).toEqual({ outChannels: 32 });

    const wider = {
      ...grouped.doc,
      generator: {
        ...grouped.doc.generator,
        nodes: grouped.doc.generator.nodes.map((n) => (n.id === use.id ? { ...n, params: { outChannels: 48 } } : n)),
      },
    };
    const report = validateGraph(wider);
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.nodes.find((n) => n.id === use.id)?.outputShape).toEqual([16, 16, 48]);
    expect(report.nodes.find((n) => n.id === 'g_up3')?.inputs.in).toMatchObject({ shape: [16, 16, 48] });
    expect(report.totals.generatorParams).toBeGreaterThan(validateGraph(grouped.doc).totals.generatorParams);
    const flat = expandComposites(wider);
    expect(flat.generator.nodes.find((n) => n.id === `${use.id}/g_up2`)?.params.outChannels).toBe(48);
  });

  it('names the exposed channels after their parts where several parts have them', () => {
    const doc = presetDoc('sagan-mnist');
    const grouped = groupIntoBlock(doc, 'generator', ['g_up1', 'g_up2'], 'TwoUp');
    if (!grouped.ok) throw new Error(grouped.reason);
    expect(grouped.doc.blocks[0]!.params.map((p) => [p.name, p.default])).toEqual([
      ['g_up1_outChannels', 64],
      ['g_up2_outChannels', 32],
    ]);
    expect(validateGraph(grouped.doc).totals).toEqual(validateGraph(doc).totals);
  });

  it('refuses what a block cannot stand for, saying why', () => {
    const doc = presetDoc('sagan-mnist');
    expect(groupIntoBlock(doc, 'generator', [], 'X')).toEqual({
      ok: false,
      reason: 'Select the nodes to group first.',
    });
    expect(groupIntoBlock(doc, 'generator', ['z', 'g_linear'], 'X')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/starts or ends the generator; leave it out/),
    });
    expect(groupIntoBlock(doc, 'generator', ['g_up1', 'g_attention'], 'X')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/feeds another part through nodes outside it/),
    });
    expect(groupIntoBlock(doc, 'generator', ['g_up1'], 'Conv2D')).toMatchObject({
      ok: false,
      reason: 'A block called "Conv2D" exists already; choose another name.',
    });
  });
});
