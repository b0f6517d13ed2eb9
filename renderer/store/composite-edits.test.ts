import { describe, expect, it } from 'vitest';
import { validateGraph } from '../../graph-schemas';
import { FlowModel } from '../canvas/flow-model';
import { indexReport } from '../validation/report-index';
import { copyToEdit, groupSelection, setDefinitionParam } from './composite-edits';
import { createEditorStore } from './document-store';
import { addNode } from './graph-edits';
import { frozenPreset } from './test-docs';

describe('composite block edits', () => {
  it('make editable copy, group into block and adding a use: each one undoable step', () => {
    const store = createEditorStore(frozenPreset('sagan-mnist'));
    const original = store.getState().doc;
    const copied = store.getState().execute(copyToEdit('generator', 'g_up1'));
    expect(copied).toMatchObject({ ok: true, note: expect.stringMatching(/"g_up1" is now a ResBlockUpCopy/) });
    expect(store.getState().doc.blocks.map((b) => b.type)).toEqual(['ResBlockUpCopy']);
    expect(store.getState().execute(addNode('generator', 'ResBlockUpCopy', { x: 0, y: 0 })).ok).toBe(true);
    const added = store.getState().doc.generator.nodes.at(-1)!;
    expect(added).toMatchObject({ id: 'g_res_block_up_copy', type: 'ResBlockUpCopy' });
    expect(added.params).toEqual({ outChannels: 64, spectralNorm: true, bias: false });
    expect(store.getState().execute(groupSelection('generator', ['g_up2', 'g_attention'])).ok).toBe(true);
    expect(store.getState().doc.blocks.map((b) => b.type)).toEqual(['ResBlockUpCopy', 'Block']);
    // The new use is not connected yet (no parameters until it has an input); the copy and the group change nothing.
    expect(validateGraph(store.getState().doc).totals).toEqual(validateGraph(original).totals);
    for (let i = 0; i < 3; i++) store.getState().undo();
    expect(store.getState().doc).toEqual(original);
    expect(store.getState().execute(copyToEdit('generator', 'g_linear'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/has no parts to copy/),
    });
  });

  it('editing a part of a block’s definition changes every use, in one undoable step', () => {
    const store = createEditorStore(frozenPreset('sagan-mnist'));
    store.getState().execute(copyToEdit('generator', 'g_up2'));
    const type = store.getState().doc.blocks[0]!.type;
    const g3 = store.getState().doc.generator.nodes.find((n) => n.id === 'g_up3')!;
    const withUses = {
      ...store.getState().doc,
      generator: {
        ...store.getState().doc.generator,
        nodes: store
          .getState()
          .doc.generator.nodes.map((n) => (n.id === g3.id ? { ...n, type, params: { outChannels: 16 } } : n)),
      },
    };
    const uses = createEditorStore(withUses);
    const before = validateGraph(uses.getState().doc);
    expect(uses.getState().execute(setDefinitionParam(type, 'conv1', 'kernelSize', 5)).ok).toBe(true);
    const after = validateGraph(uses.getState().doc);
    for (const use of ['g_up2', 'g_up3'])
      expect(after.nodes.find((n) => n.id === `${use}/conv1`)?.config).toMatchObject({ kernelSize: 5 });
    expect(after.totals.generatorParams).toBeGreaterThan(before.totals.generatorParams);
    expect(uses.getState().execute(setDefinitionParam(type, 'conv1', 'filters', 8))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/sets "filters" of "conv1" \(its parameter "outChannels"\)/),
    });
    uses.getState().undo();
    expect(validateGraph(uses.getState().doc).totals).toEqual(before.totals);
  });

  it('a composite node shows its ports, shape and parameters on its card, and problems inside it', () => {
    const store = createEditorStore(frozenPreset('sagan-mnist'));
    store.getState().execute(copyToEdit('generator', 'g_up2'));
    const doc = structuredClone(store.getState().doc);
    doc.blocks[0]!.edges = doc.blocks[0]!.edges.filter((e) => !(e.target === 'conv2' && e.targetPort === 'in'));
    const report = validateGraph(doc);
    const nodes = new FlowModel().nodes({
      network: 'generator',
      net: doc.generator,
      batchSize: 32,
      index: indexReport(report),
      selectedNodes: new Set(),
      measured: new Map(),
      dragging: new Map(),
      blocks: doc.blocks,
    });
    const card = nodes.find((n) => n.id === 'g_up2')!.data;
    expect(card.title).toBe('Residual block up ×2 (copy)');
    expect(card.inputs.map((p) => p.name)).toEqual(['in', 'label']);
    expect(card.outputs.map((p) => p.name)).toEqual(['out']);
    expect(card.errors).toEqual([expect.stringMatching(/^Conv 2D "conv2" needs a feature map on its "in" input/)]);
  });
});
