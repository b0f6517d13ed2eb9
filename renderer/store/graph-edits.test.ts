import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../graph-schemas';
import { validateGraph } from '../../graph-schemas';
import type { Command } from './command';
import { addNode, connect, moveNodes, removeElements, setNodeLabel, setParam } from './graph-edits';
import { copyNodes, parseClipboard, pasteNodes } from './clipboard';
import { spliceExistingNode, spliceNewNode } from './splice';
import { frozenPreset } from './test-docs';

function apply(doc: GraphDocument, command: Command): GraphDocument {
  const outcome = command.run(doc);
  if ('refused' in outcome) throw new Error(outcome.refused);
  return outcome.doc;
}

const edgesOf = (doc: GraphDocument, net: 'generator' | 'discriminator') =>
  doc[net].edges.map((e) => `${e.source}.${e.sourcePort}->${e.target}.${e.targetPort}`);

describe('deleting nodes', () => {
  it('bridges a deleted shape-preserving node, so its feat16 connection stays for a new block', () => {
    const doc = frozenPreset();
    const next = apply(doc, removeElements('generator', ['g_attention'], [], validateGraph(doc)));
    expect(next.generator.nodes.some((n) => n.id === 'g_attention')).toBe(false);
    expect(edgesOf(next, 'generator')).toContain('g_up2.out->g_up3.in');
    const report = validateGraph(next);
    expect(report.valid).toBe(true);
    expect(report.totals.discriminatorParams).toBe(1_075_810);
    expect(report.totals.generatorParams).toBeLessThan(4_386_756);
  });

  it('says what it reconnected', () => {
    const doc = frozenPreset();
    const outcome = removeElements('generator', ['g_attention'], [], validateGraph(doc)).run(doc);
    expect(outcome).toMatchObject({ note: 'Reconnected g_up2 → g_up3 (same shape as before).' });
  });

  it('bridges a chain of deleted pass-through nodes', () => {
    const doc = frozenPreset();
    const next = apply(doc, removeElements('generator', ['g_bn', 'g_relu'], [], validateGraph(doc)));
    expect(edgesOf(next, 'generator')).toContain('g_up3.out->g_conv_out.in');
  });

  it('leaves a gap where the shape changes (a residual up block), and without a report', () => {
    const doc = frozenPreset();
    const gap = apply(doc, removeElements('generator', ['g_up3'], [], validateGraph(doc)));
    expect(gap.generator.edges.some((e) => e.target === 'g_bn')).toBe(false);
    const noReport = apply(doc, removeElements('generator', ['g_attention'], []));
    expect(noReport.generator.edges.some((e) => e.target === 'g_up3' && e.targetPort === 'in')).toBe(false);
  });

  it('deletes a connection without bridging anything', () => {
    const doc = frozenPreset();
    const next = apply(doc, removeElements('generator', [], ['g_up2.out->g_attention.in'], validateGraph(doc)));
    expect(next.generator.edges).toHaveLength(doc.generator.edges.length - 1);
    expect(next.generator.nodes).toBe(doc.generator.nodes);
  });
});

describe('splicing a block into a connection', () => {
  it('moves attention from feat16 to feat32 in sagan-32 with both connections made', () => {
    let doc: GraphDocument = frozenPreset();
    doc = apply(doc, removeElements('generator', ['g_attention'], [], validateGraph(doc)));
    const report = validateGraph(doc);
    doc = apply(doc, spliceNewNode('generator', 'g_up3.out->g_bn.in', 'SelfAttention', { x: 10, y: 500 }, report));
    expect(edgesOf(doc, 'generator')).toEqual(
      expect.arrayContaining(['g_up3.out->g_attention.in', 'g_attention.out->g_bn.in']),
    );
    expect(edgesOf(doc, 'generator')).not.toContain('g_up3.out->g_bn.in');
    const after = validateGraph(doc);
    expect(after.valid).toBe(true);
    const attention = after.nodes.find((n) => n.id === 'g_attention')!;
    expect(attention.resolution).toBe('feat32');
    expect(attention.outputShape).toEqual([32, 32, 256]);
    expect(attention.cost?.what).toBe('attention matrix 1024×256');
  });

  it('fills default params, takes the target’s place in a vertical chain and moves the chain below down', () => {
    const doc = frozenPreset();
    const report = validateGraph(doc);
    const next = apply(
      doc,
      spliceNewNode('generator', 'g_up3.out->g_bn.in', 'SelfAttention', { x: 5, y: 555 }, report),
    );
    const node = next.generator.nodes.find((n) => n.id === 'g_attention2')!;
    expect(node.params).toEqual({ variant: 'official', keys: 'auto', bias: false, spectralNorm: true });
    const y = (id: string, d = doc) => d.generator.nodes.find((n) => n.id === id)!.position!.y;
    expect(node.position).toEqual({ x: 0, y: y('g_bn') });
    expect(y('g_bn', next)).toBe(y('g_bn') + 120);
    expect(y('g_out', next)).toBe(y('g_out') + 120);
    expect(y('g_up1', next)).toBe(y('g_up1'));
  });

  it('puts the block halfway when the chain has room for it, moving nothing', () => {
    let doc: GraphDocument = frozenPreset();
    doc = apply(doc, removeElements('generator', ['g_attention'], [], validateGraph(doc)));
    const next = apply(
      doc,
      spliceNewNode('generator', 'g_up2.out->g_up3.in', 'SelfAttention', { x: 300, y: 10 }, validateGraph(doc)),
    );
    const y = (id: string, d: GraphDocument) => d.generator.nodes.find((n) => n.id === id)!.position!.y;
    expect(y('g_attention', next)).toBe((y('g_up2', doc) + y('g_up3', doc)) / 2);
    expect(y('g_up3', next)).toBe(y('g_up3', doc));
  });

  it('wires a conditional block to the only class label node', () => {
    const doc = frozenPreset();
    const next = apply(
      doc,
      spliceNewNode('generator', 'g_up3.out->g_bn.in', 'ConditionalBatchNorm', { x: 0, y: 0 }, validateGraph(doc)),
    );
    expect(edgesOf(next, 'generator')).toContain('g_label.out->g_cbn.label');
    expect(validateGraph(next).valid).toBe(true);
  });

  it('refuses a block whose input does not take what the connection carries, with the reason', () => {
    const doc = frozenPreset();
    const outcome = spliceNewNode(
      'generator',
      'z.out->g_linear.in',
      'SelfAttention',
      { x: 0, y: 0 },
      validateGraph(doc),
    ).run(doc);
    expect(outcome).toEqual({
      refused:
        'Self-attention cannot go into this connection: Self-attention expects a feature map; Noise z gives a noise vector [128].',
    });
  });

  it('inserts an existing unconnected node, and refuses a connected one', () => {
    let doc: GraphDocument = frozenPreset();
    doc = apply(doc, addNode('discriminator', 'SelfAttention', { x: 900, y: 300 }));
    const next = apply(
      doc,
      spliceExistingNode('discriminator', 'd_block2.out->d_block3.in', 'd_attention2', validateGraph(doc)),
    );
    expect(edgesOf(next, 'discriminator')).toEqual(
      expect.arrayContaining(['d_block2.out->d_attention2.in', 'd_attention2.out->d_block3.in']),
    );
    expect(next.discriminator.nodes.find((n) => n.id === 'd_attention2')!.position).toEqual({ x: 900, y: 300 });
    expect(spliceExistingNode('discriminator', 'd_block3.out->d_block4.in', 'd_attention2').run(next)).toMatchObject({
      refused: expect.stringMatching(/unconnected/),
    });
  });
});

describe('connections as the canvas makes them', () => {
  it('refuses an incompatible pair with the reason shown at the cursor', () => {
    let doc: GraphDocument = frozenPreset();
    doc = apply(doc, removeElements('generator', [], ['g_linear.out->g_reshape.in']));
    const outcome = connect(
      'generator',
      { source: 'g_linear', sourcePort: 'out', target: 'g_attention', targetPort: 'in' },
      validateGraph(doc),
    ).run(doc);
    expect(outcome).toEqual({ refused: 'Self-attention expects a feature map; Linear gives a vector [4096].' });
    expect(
      connect(
        'generator',
        { source: 'g_up1', sourcePort: 'out', target: 'g_attention', targetPort: 'in' },
        validateGraph(doc),
      ).run(doc),
    ).toEqual({
      refused:
        'Input "in" of Self-attention is already connected (from Residual block up ×2); remove that connection first.',
    });
    const free = apply(doc, removeElements('generator', [], ['g_up2.out->g_attention.in']));
    expect(
      connect(
        'generator',
        { source: 'g_linear', sourcePort: 'out', target: 'g_attention', targetPort: 'in' },
        validateGraph(free),
      ).run(free),
    ).toEqual({
      refused: 'Self-attention expects a feature map; Linear gives a vector [4096].',
    });
  });

  it('draws an allowed edge with a stable id and selects it', () => {
    const doc = apply(frozenPreset(), removeElements('generator', [], ['g_up2.out->g_attention.in']));
    const outcome = connect(
      'generator',
      { source: 'g_up2', sourcePort: 'out', target: 'g_attention', targetPort: 'in' },
      validateGraph(doc),
    ).run(doc);
    expect(outcome).toMatchObject({ selection: { edges: ['g_up2.out->g_attention.in'] } });
  });
});

describe('other edits', () => {
  it('adds blocks with unique ids across G and D, and refuses a block in the wrong network', () => {
    let doc: GraphDocument = frozenPreset();
    doc = apply(doc, addNode('generator', 'SelfAttention', { x: 1.4, y: 2.6 }));
    doc = apply(doc, addNode('discriminator', 'SelfAttention', { x: 0, y: 0 }));
    expect(doc.generator.nodes.at(-1)).toMatchObject({ id: 'g_attention2', position: { x: 1, y: 3 }, version: 1 });
    expect(doc.discriminator.nodes.at(-1)!.id).toBe('d_attention2');
    expect(addNode('generator', 'DiscriminatorOutput', { x: 0, y: 0 }).run(doc)).toMatchObject({
      refused: expect.stringMatching(/belongs in the discriminator/),
    });
  });

  it('shares every untouched part of the document', () => {
    const doc = frozenPreset();
    const next = apply(doc, setParam('generator', 'g_up1', 'outChannels', 128));
    expect(next.discriminator).toBe(doc.discriminator);
    expect(next.training).toBe(doc.training);
    expect(next.generator.edges).toBe(doc.generator.edges);
    expect(next.generator.nodes.find((n) => n.id === 'g_up2')).toBe(doc.generator.nodes.find((n) => n.id === 'g_up2'));
  });

  it('moves only nodes whose position changes', () => {
    const doc = frozenPreset();
    expect(apply(doc, moveNodes('generator', { g_up1: { x: 0, y: 240 } }))).toBe(doc);
    expect(
      apply(doc, moveNodes('generator', { g_up1: { x: 10.2, y: 20.7 } })).generator.nodes.find((n) => n.id === 'g_up1')!
        .position,
    ).toEqual({ x: 10, y: 21 });
  });

  it('renames and clears a node label', () => {
    const doc = apply(frozenPreset(), setNodeLabel('generator', 'g_up1', '  first up  '));
    expect(doc.generator.nodes.find((n) => n.id === 'g_up1')!.label).toBe('first up');
    expect(
      'label' in apply(doc, setNodeLabel('generator', 'g_up1', '')).generator.nodes.find((n) => n.id === 'g_up1')!,
    ).toBe(false);
  });
});

describe('copy and paste', () => {
  it('pastes copies with fresh ids and their inner connections, selected', () => {
    const doc = frozenPreset();
    const content = copyNodes(doc, 'generator', ['g_up2', 'g_attention'])!;
    expect(content.edges).toHaveLength(1);
    const round = parseClipboard(JSON.stringify(content))!;
    const outcome = pasteNodes('discriminator', round, { x: 40, y: 40 }).run(doc);
    if ('refused' in outcome) throw new Error(outcome.refused);
    const pasted = outcome.doc.discriminator.nodes.slice(-2);
    expect(pasted.map((n) => n.id)).toEqual(['d_up', 'd_attention2']);
    expect(pasted[0]!.position).toEqual({ x: 40, y: 400 });
    expect(outcome.doc.discriminator.edges.at(-1)).toMatchObject({ source: 'd_up', target: 'd_attention2' });
    expect(outcome.selection).toEqual({
      network: 'discriminator',
      nodes: ['d_up', 'd_attention2'],
      edges: ['d_up.out->d_attention2.in'],
    });
  });

  it('ignores clipboard text that is not ours', () => {
    expect(parseClipboard('hello')).toBeUndefined();
    expect(parseClipboard('{"format":"other"}')).toBeUndefined();
  });
});
