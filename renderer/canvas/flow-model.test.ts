import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../graph-schemas';
import { getBlock, validateGraph } from '../../graph-schemas';
import { setParam } from '../store/graph-edits';
import { frozenPreset } from '../store/test-docs';
import { indexReport } from '../validation/report-index';
import type { FlowInput } from './flow-model';
import { FlowModel } from './flow-model';
import { paramChips } from './node-view';

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

describe('flow model', () => {
  it('shows resolution, output shape, parameter count and attention cost on the node', () => {
    const doc = frozenPreset();
    const attention = new FlowModel().nodes(input(doc)).find((n) => n.id === 'g_attention')!;
    expect(attention.data).toMatchObject({
      title: 'Self-attention',
      resolution: 'feat16',
      shape: '[16, 16, 256]',
      params: 82_369,
      cost: 'attn 256×256 · 112 MiB at batch 64',
      chips: ['official', 'full', 'SN'],
      errors: [],
      known: true,
    });
    expect(attention.data.inputs).toEqual([
      expect.objectContaining({ name: 'in', side: 'top', color: '#4f8cff', required: true }),
    ]);
  });

  it('labels every edge with its tensor shape and colours it by kind', () => {
    const edges = new FlowModel().edges(input(frozenPreset()));
    expect(edges.find((e) => e.id === 'g_up2.out->g_attention.in')!.data).toEqual({
      color: '#4f8cff',
      label: '[16, 16, 256]',
    });
    expect(edges.find((e) => e.id === 'z.out->g_linear.in')!.data).toMatchObject({ label: '[128]', color: '#e0a526' });
    expect(edges.find((e) => e.id === 'g_label.out->g_up1.label')!.data).toMatchObject({ label: 'label' });
  });

  it('reuses every node and edge object an edit did not touch, so memoised cards do not re-render', () => {
    const model = new FlowModel();
    const doc = frozenPreset();
    const first = model.nodes(input(doc));
    const firstEdges = model.edges(input(doc));
    const outcome = setParam('generator', 'g_conv_out', 'kernelSize', 5).run(doc);
    if ('refused' in outcome) throw new Error(outcome.refused);
    const second = model.nodes(input(outcome.doc));
    const changed = second.filter((n, i) => n !== first[i]).map((n) => n.id);
    expect(changed).toEqual(['g_conv_out']);
    expect(model.edges(input(outcome.doc))).toEqual(firstEdges);
  });

  it('moves a dragged node without rebuilding the others', () => {
    const model = new FlowModel();
    const doc = frozenPreset();
    const first = model.nodes(input(doc));
    const second = model.nodes(input(doc, { dragging: new Map([['g_up1', { x: 5, y: 6 }]]) }));
    expect(second.filter((n, i) => n !== first[i]).map((n) => n.id)).toEqual(['g_up1']);
    expect(second.find((n) => n.id === 'g_up1')!.position).toEqual({ x: 5, y: 6 });
  });

  it('puts problems on the node and the port that caused them', () => {
    const doc = frozenPreset();
    const cut = {
      ...doc,
      generator: { ...doc.generator, edges: doc.generator.edges.filter((e) => e.id !== 'g_label.out->g_up2.label') },
    };
    const nodes = new FlowModel().nodes(input(cut));
    const up2 = nodes.find((n) => n.id === 'g_up2')!.data;
    expect(up2.errors[0]).toBe(
      'Residual block up ×2 needs a class label on its "label" input (Class label for conditional batch norm); connect one.',
    );
    expect(up2.inputs.find((p) => p.name === 'label')!.problem).toMatch(/needs a class label/);
    expect(nodes.find((n) => n.id === 'g_up1')!.data.errors).toEqual([]);
  });

  it('summarises params in short chips', () => {
    expect(
      paramChips(
        getBlock('ResBlockUp')!,
        {
          outChannels: 256,
          norm: 'cbn',
          upsample: 'nearest',
          spectralNorm: true,
          bias: true,
        },
        true,
      ),
    ).toEqual(['256 ch', 'cbn', 'SN']);
    expect(paramChips(getBlock('Reshape')!, { height: 4, width: 4, channels: 256 }, true)).toEqual(['4×4×256']);
    expect(paramChips(getBlock('Reshape')!, { height: 4, width: 'x' }, false)).toEqual(['height 4', 'width x']);
    expect(
      paramChips(getBlock('Conv2D')!, { filters: 3, kernelSize: 3, spectralNorm: false, bias: true }, true),
    ).toEqual(['3 ch', '3×3']);
  });
});
