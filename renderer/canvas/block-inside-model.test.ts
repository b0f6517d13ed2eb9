import { describe, expect, it } from 'vitest';
import { makeEditableCopy, validateGraph } from '../../graph-schemas';
import { frozenPreset } from '../store/test-docs';
import { insideGraph } from './block-inside-model';

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
});
