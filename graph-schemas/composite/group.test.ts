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
