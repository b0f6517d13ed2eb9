import { describe, expect, it } from 'vitest';
import type { CompositeDefinition, GraphDocument } from '../document';
import { presetDoc } from '../test-helpers';
import { groupIntoBlock } from './group';
import { definitionsUsed, mergeDefinitions, sameDefinition } from './merge';

/** sagan-mnist with g_up2 and its attention grouped as "Inner", and that with g_up3 grouped as "Outer". */
function nested(): { doc: GraphDocument; outerUse: string } {
  const inner = groupIntoBlock(presetDoc('sagan-mnist'), 'generator', ['g_up2', 'g_attention'], 'Inner');
  if (!inner.ok) throw new Error(inner.reason);
  const outer = groupIntoBlock(inner.doc, 'generator', [inner.nodeId, 'g_up3'], 'Outer');
  if (!outer.ok) throw new Error(outer.reason);
  return { doc: outer.doc, outerUse: outer.nodeId };
}

const types = (defs: readonly CompositeDefinition[]) => defs.map((d) => d.type);

describe('definitions used by copied nodes', () => {
  it('are the types of the nodes and of the blocks inside them, inner ones first', () => {
    const { doc } = nested();
    expect(types(definitionsUsed(doc, ['Outer', 'Conv2D']))).toEqual(['Inner', 'Outer']);
    expect(types(definitionsUsed(doc, ['Inner']))).toEqual(['Inner']);
    expect(definitionsUsed(doc, ['ResBlockUp', 'Linear'])).toEqual([]);
  });
});

describe('merging definitions into a document', () => {
  const { doc } = nested();
  const incoming = definitionsUsed(doc, ['Outer']);

  it('adds the ones the document lacks, as they are', () => {
    const merged = mergeDefinitions([], incoming);
    expect(types(merged.blocks)).toEqual(['Inner', 'Outer']);
    expect(merged.blocks).toEqual(incoming);
    expect([...merged.types]).toEqual([
      ['Inner', 'Inner'],
      ['Outer', 'Outer'],
    ]);
    expect(merged.renamed).toEqual([]);
  });

  it('reuses an identical definition (key order, title and description aside)', () => {
    const mine = incoming.map(
      (d) => ({ ...JSON.parse(JSON.stringify(d)), description: 'mine' }) as CompositeDefinition,
    );
    const merged = mergeDefinitions(mine, incoming);
    expect(merged.blocks).toEqual(mine);
    expect(merged.reused).toEqual(['Inner', 'Outer']);
    expect(merged.renamed).toEqual([]);
  });

  it('renames one whose name the document gives a different block, and the blocks using it follow', () => {
    const other = { ...incoming[0]!, params: [] }; // an "Inner" that exposes nothing: a different block
    const merged = mergeDefinitions([other], incoming);
    expect(merged.renamed).toEqual([['Inner', 'Inner2']]);
    expect(types(merged.blocks)).toEqual(['Inner', 'Inner2', 'Outer']);
    expect(merged.blocks[1]).toMatchObject({ type: 'Inner2', title: 'Inner 2' });
    expect(sameDefinition(merged.blocks[1]!, incoming[0]!)).toBe(true);
    // Outer's use of Inner now uses Inner2.
    expect(merged.blocks[2]!.nodes.map((n) => n.type)).toContain('Inner2');
    expect(merged.blocks[2]!.nodes.map((n) => n.type)).not.toContain('Inner');
    expect(merged.types.get('Outer')).toBe('Outer');

    // Pasting again reuses the renamed copy instead of making "Inner3".
    const again = mergeDefinitions(merged.blocks, incoming);
    expect(again.blocks).toEqual(merged.blocks);
    expect(again.types.get('Inner')).toBe('Inner2');
    expect(again.renamed).toEqual([['Inner', 'Inner2']]);
  });

  it('renames one called like a built-in block, and an outer block whose inner one differs', () => {
    const named = { ...incoming[0]!, type: 'Conv2D' };
    expect(mergeDefinitions([], [named]).renamed).toEqual([['Conv2D', 'Conv2D2']]);
    // The document has the same Outer, but over its own (different) Inner: the incoming Outer is a different block.
    const theirs = [{ ...incoming[0]!, params: [] }, incoming[1]!];
    const merged = mergeDefinitions(theirs, incoming);
    expect(merged.renamed).toEqual([
      ['Inner', 'Inner2'],
      ['Outer', 'Outer2'],
    ]);
  });
});
