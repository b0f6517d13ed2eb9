import { describe, expect, it } from 'vitest';
import { makeEditableCopy, SUBGRAPH_OUTPUT, validateGraph } from '../../graph-schemas';
import { createEditorStore } from './document-store';
import {
  addPartTo,
  addPortTo,
  connectPartsOf,
  deleteBlock,
  movePartsOf,
  removePartsOf,
  renameBlock,
  renamePortOf,
} from './definition-edits';
import { frozenPreset } from './test-docs';

const T = 'ResBlockUpCopy';

function store() {
  const doc = makeEditableCopy(frozenPreset('sagan-mnist'), 'generator', 'g_up1')!.doc;
  return createEditorStore(doc);
}

describe('definition edits as commands', () => {
  it('each edit of the inside is one undo step, and undo/redo bring every use back and forth', () => {
    const s = store();
    const start = s.getState().doc;
    const before = validateGraph(start).nodes.find((n) => n.id === 'g_up1')!.params;
    const last = start.blocks[0]!.edges.find((e) => e.target === SUBGRAPH_OUTPUT)!;
    const add = addPartTo(T, 'SelfAttention', { x: 0, y: 900 });
    expect(s.getState().execute(add)).toMatchObject({ ok: true });
    expect(add.added).toBe('attention');
    expect(s.getState().past.at(-1)!.label).toBe('Add Self-attention to Residual block up ×2 (copy)');
    expect(s.getState().execute(removePartsOf(T, [], [last.id!])).ok).toBe(true);
    const wire = (source: string, target: string) =>
      s.getState().execute(
        connectPartsOf(T, {
          source,
          sourcePort: 'out',
          target,
          targetPort: target === SUBGRAPH_OUTPUT ? 'out' : 'in',
        }),
      );
    expect(wire(last.source, 'attention').ok).toBe(true);
    expect(wire('attention', SUBGRAPH_OUTPUT).ok).toBe(true);
    expect(wire('attention', SUBGRAPH_OUTPUT)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/already connected/),
    });
    expect(s.getState().execute(movePartsOf(T, { attention: { x: 40, y: 880 } })).ok).toBe(true);
    const after = validateGraph(s.getState().doc).nodes.find((n) => n.id === 'g_up1')!.params;
    expect(after).toBeGreaterThan(before);
    expect(s.getState().past.length).toBe(5);
    for (let i = 0; i < 5; i++) s.getState().undo();
    expect(s.getState().doc).toBe(start);
    for (let i = 0; i < 5; i++) s.getState().redo();
    expect(validateGraph(s.getState().doc).nodes.find((n) => n.id === 'g_up1')!.params).toBe(after);
  });

  it('a new input says so and is undoable; rename and delete are undoable, delete refused while used', () => {
    const s = store();
    const start = s.getState().doc;
    expect(s.getState().execute(addPortTo(T, 'input'))).toMatchObject({
      ok: true,
      note: expect.stringMatching(/new input "in2"/),
    });
    s.getState().undo();
    expect(s.getState().execute(renameBlock(T, ''))).toMatchObject({
      ok: false,
      reason: 'A block needs a name; type one.',
    });
    expect(s.getState().execute(renameBlock(T, 'Up'))).toMatchObject({ ok: true });
    expect(s.getState().doc.blocks[0]!.title).toBe('Up');
    expect(s.getState().execute(deleteBlock(T))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^Up is used once: "g_up1"/),
    });
    s.getState().select({ network: 'generator', nodes: ['g_up1'], edges: [] });
    expect(s.getState().execute(deleteBlock(T, true))).toMatchObject({
      ok: true,
      note: expect.stringMatching(/its use/),
    });
    expect(s.getState().doc.blocks).toEqual([]);
    expect(s.getState().selection.nodes).toEqual([]);
    s.getState().undo();
    s.getState().undo();
    expect(s.getState().doc).toEqual(start);
  });

  it('renaming a port is one undo step; a refused name changes nothing', () => {
    const s = store();
    const start = s.getState().doc;
    expect(s.getState().execute(renamePortOf(T, 'input', 'in', 'x'))).toMatchObject({ ok: true });
    expect(s.getState().past.at(-1)!.label).toBe('Rename input "in"');
    const renamed = s.getState().doc;
    expect(renamed.generator.edges.some((e) => e.target === 'g_up1' && e.targetPort === 'x')).toBe(true);
    expect(s.getState().execute(renamePortOf(T, 'input', 'x', 'out'))).toMatchObject({ ok: false });
    expect(s.getState().doc).toBe(renamed);
    s.getState().undo();
    expect(s.getState().doc).toBe(start);
  });
});
