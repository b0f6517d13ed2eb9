import { describe, expect, it } from 'vitest';
import { addPort, makeEditableCopy, removeParts, SUBGRAPH_INPUT, validateGraph } from '../../graph-schemas';
import { frozenPreset } from '../store/test-docs';
import { insideGraph, knownOutputs } from './block-inside-model';

describe('a block opened to show its inside', () => {
  it('a built-in residual block: its parts with this use’s shapes and parameters, summing to the block’s', () => {
    const doc = frozenPreset('sagan-mnist');
    const report = validateGraph(doc);
    const graph = insideGraph(doc, report, 'generator', 'g_up2', 32)!;
    expect(graph.path).toEqual(['Generator', 'g_up2 (Residual block up ×2)']);
    const ids = graph.nodes.map((n) => n.id);
    expect(ids).toEqual([
      '$in',
      'cbn1',
      'relu1',
      'up',
      'conv1',
      'cbn2',
      'relu2',
      'conv2',
      'shortcut_up',
      'shortcut',
      'add',
      '$out',
    ]);
    const conv1 = graph.nodes.find((n) => n.id === 'conv1')!.data;
    expect(conv1).toMatchObject({ title: 'Conv 2D', shape: '[16, 16, 32]' });
    const total = graph.nodes.reduce((sum, n) => sum + (n.data.params ?? 0), 0);
    expect(total).toBe(report.nodes.find((n) => n.id === 'g_up2')!.params);
    expect(graph.nodes.at(-1)!.data.inputs.map((p) => p.title)).toEqual(['out: [16, 16, 32]']);
    expect(graph.edges.find((e) => e.source === '$in' && e.target === 'cbn1')?.data?.label).toBe('[8, 8, 64]');
    expect(insideGraph(doc, report, 'generator', 'g_linear', 32)).toBeNull();
  });

  it('a composite node: the parts of its definition with the shapes of this use', () => {
    const doc = makeEditableCopy(frozenPreset('sagan-mnist'), 'generator', 'g_up3')!.doc;
    const graph = insideGraph(doc, validateGraph(doc), 'generator', 'g_up3', 32)!;
    expect(graph.path[1]).toBe('g_up3 (Residual block up ×2 (copy))');
    expect(graph.nodes.find((n) => n.id === 'add')!.data.shape).toBe('[32, 32, 16]');
  });

  it('a composite opened to edit: parts movable, connectable and deletable, its ports connectable but fixed', () => {
    const doc = makeEditableCopy(frozenPreset('sagan-mnist'), 'generator', 'g_up3')!.doc;
    const report = validateGraph(doc);
    const graph = insideGraph(doc, report, 'generator', 'g_up3', 32, true)!;
    expect(graph.nodes.find((n) => n.id === 'conv1')).toMatchObject({
      draggable: true,
      connectable: true,
      deletable: true,
    });
    expect(graph.nodes[0]).toMatchObject({ id: '$in', draggable: false, connectable: true, deletable: false });
    expect(graph.edges.every((e) => e.selectable && e.deletable)).toBe(true);
    // A built-in's inside stays read-only even when asked for an editable view.
    const builtIn = insideGraph(doc, report, 'generator', 'g_up2', 32, true)!;
    expect(builtIn.nodes.find((n) => n.id === 'conv1')).toMatchObject({ draggable: false, connectable: false });
    expect(builtIn.nodes[0]!.connectable).toBe(false);
    const known = knownOutputs(report, 'generator', 'g_up3');
    expect(known(SUBGRAPH_INPUT, 'in')).toMatchObject({ kind: 'feature', shape: [16, 16, 32] });
    expect(known('conv1', 'out')).toMatchObject({ kind: 'feature' });
  });

  it('errors inside show on the inner node, and a new port shows on the boundary', () => {
    let doc = makeEditableCopy(frozenPreset('sagan-mnist'), 'generator', 'g_up3')!.doc;
    const removed = removeParts(doc, 'ResBlockUpCopy', ['relu1']);
    if (!removed.ok) throw new Error(removed.reason);
    const port = addPort(removed.doc, 'ResBlockUpCopy', 'output');
    if (!port.ok) throw new Error(port.reason);
    doc = port.doc;
    const graph = insideGraph(doc, validateGraph(doc), 'generator', 'g_up3', 32, true)!;
    expect(graph.nodes.find((n) => n.id === 'up')!.data.errors.join(' ')).toMatch(/needs a feature map/);
    expect(graph.nodes.at(-1)!.data.inputs.map((p) => p.name)).toEqual(['out', 'out2']);
  });
});
