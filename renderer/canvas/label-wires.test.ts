import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../graph-schemas';
import { validateGraph } from '../../graph-schemas';
import { frozenPreset } from '../store/test-docs';
import { indexReport } from '../validation/report-index';
import type { FlowInput } from './flow-model';
import { FlowModel } from './flow-model';
import { labelWires } from './label-wires';
import { compactSize } from './node-view';

function input(doc: GraphDocument, over: Partial<FlowInput> = {}): FlowInput {
  return {
    network: 'generator',
    net: doc.generator,
    batchSize: doc.training.batchSize,
    index: indexReport(validateGraph(doc)),
    selectedNodes: new Set(),
    selectedEdges: new Set(),
    measured: new Map(),
    dragging: new Map(),
    spliceTarget: undefined,
    ...over,
  };
}

const ups = ['g_up1', 'g_up2', 'g_up3'];

describe('class-label wires', () => {
  it('finds the connections that carry the class label, validated or not', () => {
    const doc = frozenPreset();
    for (const index of [indexReport(validateGraph(doc)), undefined]) {
      const wires = labelWires('generator', doc.generator, index);
      expect([...wires.edges]).toEqual(ups.map((id) => `g_label.out->${id}.label`));
      expect(Object.fromEntries(wires.pins)).toEqual(Object.fromEntries(ups.map((id) => [id, ['label']])));
      expect(wires.feeds.get('g_label')).toBe(3);
    }
  });

  it('as wires: tags only the first with "label", so the tags of wires running side by side do not pile up', () => {
    const edges = new FlowModel().edges(input(frozenPreset()));
    const tags = edges.filter((e) => e.source === 'g_label').map((e) => e.data?.label);
    expect(tags).toEqual(['label', undefined, undefined]);
  });

  it('as pins: leaves the wires out and puts a "label" pin on each node they fed', () => {
    const doc = frozenPreset();
    const index = indexReport(validateGraph(doc));
    const labelPins = labelWires('generator', doc.generator, index);
    const model = new FlowModel();
    const edges = model.edges(input(doc, { labelPins }));
    expect(edges.filter((e) => e.source === 'g_label')).toEqual([]);
    expect(edges.length).toBe(doc.generator.edges.length - 3);
    const nodes = model.nodes(input(doc, { labelPins }));
    for (const id of ups) expect(nodes.find((n) => n.id === id)!.data.labelPins).toEqual(['label']);
    expect(nodes.find((n) => n.id === 'g_label')!.data.labelFeeds).toBe(3);
    expect(nodes.find((n) => n.id === 'g_linear')!.data.labelPins).toBeUndefined();
    // Back to wires: the cards lose their pins.
    const back = model.nodes(input(doc));
    expect(back.find((n) => n.id === 'g_up1')!.data.labelPins).toBeUndefined();
  });
});

describe('compact card data', () => {
  it('gives each node its share of the largest block, the largest one 1', () => {
    const doc = frozenPreset();
    const nodes = new FlowModel().nodes(input(doc));
    const shares = nodes.map((n) => n.data.costShare ?? 0);
    expect(Math.max(...shares)).toBe(1);
    const params = nodes.map((n) => n.data.params ?? 0);
    const largest = Math.max(...params);
    for (const n of nodes)
      if (n.data.params) expect(n.data.costShare).toBeCloseTo(Math.max(0.02, n.data.params / largest), 3);
      else expect(n.data.costShare).toBeUndefined();
  });

  it('names sizes the way a person reads them', () => {
    const nodes = new FlowModel().nodes(input(frozenPreset()));
    const size = (id: string) => nodes.find((n) => n.id === id)!.data.size;
    expect(size('g_attention')).toBe('16×16');
    expect(size('g_label')).toMatch(/^\d+ classes$/);
    expect(size('g_linear')).toMatch(/^\[\d+\]$/);
    expect(nodes.find((n) => n.id === 'g_up1')!.data.shortTitle).toBe('Res up ×2');
    expect(compactSize({ inputs: {}, outputs: {} })).toBeUndefined();
    expect(compactSize({ inputs: { in: { kind: 'image', shape: [32, 32, 3] } }, outputs: {} })).toBe('32×32');
  });
});
