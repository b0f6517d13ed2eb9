import { describe, expect, it } from 'vitest';
import type { CompositeDefinition, GraphDocument } from '../document';
import { parseGraphJson } from '../load';
import { presetDoc } from '../test-helpers';
import { validateGraph } from '../validate';
import { makeEditableCopy } from './copy';
import { expandComposites } from './expand';

/** sagan-mnist with its three G up-blocks made uses of one editable copy of the first. */
function withCopies(): GraphDocument {
  const made = makeEditableCopy(presetDoc('sagan-mnist'), 'generator', 'g_up1')!;
  expect(made.type).toBe('ResBlockUpCopy');
  const doc = made.doc;
  for (const id of ['g_up2', 'g_up3']) {
    const node = doc.generator.nodes.find((n) => n.id === id)!;
    node.type = made.type;
    node.params = { outChannels: node.params.outChannels, spectralNorm: true, bias: false };
  }
  return doc;
}

const reportOf = (doc: GraphDocument, id: string) => validateGraph(doc).nodes.find((n) => n.id === id);

describe('composite blocks', () => {
  it('an editable copy used three times validates with the built-ins’ shapes and parameter counts', () => {
    const original = validateGraph(presetDoc('sagan-mnist'));
    const doc = withCopies();
    const report = validateGraph(doc);
    expect(report.problems).toEqual(original.problems);
    expect(report.totals).toEqual(original.totals);
    for (const id of ['g_up1', 'g_up2', 'g_up3']) {
      const before = original.nodes.find((n) => n.id === id)!;
      const after = report.nodes.find((n) => n.id === id)!;
      expect(after).toMatchObject({ type: 'ResBlockUpCopy', outputShape: before.outputShape, params: before.params });
      expect(after.insideOf).toBeUndefined();
    }
    // The inside of each use, with that use's shapes: validate --json shows them.
    expect(report.nodes.find((n) => n.id === 'g_up2/conv1')).toMatchObject({
      type: 'Conv2D',
      insideOf: 'g_up2',
      outputShape: [16, 16, 32],
      config: { filters: 32, kernelSize: 3, spectralNorm: true, bias: false },
    });
    expect(report.nodes.find((n) => n.id === 'g_up3/add')?.outputShape).toEqual([32, 32, 16]);
    expect(report.order.generator).not.toContain('g_up2/conv1');
  });

  it('expands each use in place with its own params: ids node/inner, connections kept', () => {
    const flat = expandComposites(withCopies());
    expect(flat.blocks).toEqual([]);
    const ids = flat.generator.nodes.map((n) => n.id);
    expect(ids).not.toContain('g_up2');
    expect(ids).toEqual(expect.arrayContaining(['g_up1/cbn1', 'g_up2/conv1', 'g_up3/shortcut', 'g_up3/add']));
    expect(flat.generator.nodes.find((n) => n.id === 'g_up3/conv2')?.params).toMatchObject({ filters: 16 });
    expect(flat.generator.edges).toContainEqual(
      expect.objectContaining({ source: 'g_up1/add', target: 'g_up2/cbn1', targetPort: 'in' }),
    );
    expect(flat.generator.edges).toContainEqual(
      expect.objectContaining({ source: 'g_label', target: 'g_up2/cbn2', targetPort: 'label' }),
    );
    const report = validateGraph(flat);
    expect(report.valid).toBe(true);
    expect(report.totals).toEqual(validateGraph(presetDoc('sagan-mnist')).totals);
  });

  it('saves and loads with its blocks (document version 2)', () => {
    const doc = withCopies();
    const loaded = parseGraphJson(JSON.stringify(doc));
    if (!loaded.ok) throw new Error(loaded.error.message);
    expect(loaded.value.doc).toEqual(doc);
    expect(loaded.value.migrated).toEqual([]);
  });

  it('refuses a block that uses itself, on the inner node that does it', () => {
    const doc = withCopies();
    const def = doc.blocks[0]!;
    def.nodes.push({ id: 'again', type: def.type, version: 1, params: {} });
    def.edges.push({ id: 'x', source: 'add', sourcePort: 'out', target: 'again', targetPort: 'in' });
    const report = validateGraph(doc);
    expect(report.valid).toBe(false);
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        block: 'ResBlockUpCopy',
        nodeId: 'again',
        message: expect.stringMatching(/Block "ResBlockUpCopy" contains itself: "again" is a "ResBlockUpCopy"/),
      }),
    );
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        network: 'generator',
        nodeId: 'g_up1/again',
        insideOf: 'g_up1',
        message: expect.stringMatching(
          /"Residual block up ×2 \(copy\)" contains itself \(Residual block up ×2 \(copy\) → Residual block up ×2 \(copy\)\)/,
        ),
      }),
    );
  });

  it('names an output left unconnected inside, and an inner port left unconnected on each use', () => {
    const doc = withCopies();
    const def = doc.blocks[0]!;
    def.edges = def.edges.filter((e) => e.target !== '$out' && !(e.target === 'conv2' && e.targetPort === 'in'));
    const problems = validateGraph(doc).problems;
    expect(problems).toContainEqual(
      expect.objectContaining({
        block: 'ResBlockUpCopy',
        message:
          'Block "ResBlockUpCopy": its output "out" is not connected inside: connect the inner node that gives it to the output.',
      }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        nodeId: 'g_up2/conv2',
        insideOf: 'g_up2',
        port: 'in',
        message: expect.stringMatching(
          /^Inside Residual block up ×2 \(copy\) "g_up2": Conv 2D "conv2" needs a feature map/,
        ),
      }),
    );
  });

  it('says which use contradicts what its inside needs, on the inner node', () => {
    // A "keep the channels" block: x + conv(x), whose conv has a fixed 16 channels.
    const keep: CompositeDefinition = {
      type: 'Residual16',
      title: 'Residual 16',
      description: '',
      networks: ['generator', 'discriminator'],
      inputs: [{ name: 'in', accepts: ['feature'], required: true, description: '' }],
      outputs: [{ name: 'out', kind: 'feature', description: '' }],
      params: [],
      nodes: [{ id: 'conv', type: 'Conv2D', version: 1, params: { filters: 16 } }],
      edges: [
        { source: '$in', sourcePort: 'in', target: 'conv', targetPort: 'in' },
        { source: '$in', sourcePort: 'in', target: 'sum', targetPort: 'a' },
        { source: 'conv', sourcePort: 'out', target: 'sum', targetPort: 'b' },
        { source: 'sum', sourcePort: 'out', target: '$out', targetPort: 'out' },
      ],
    };
    keep.nodes.push({ id: 'sum', type: 'Add', version: 1, params: {} });
    const doc = presetDoc('sagan-mnist');
    doc.blocks = [keep];
    // After the attention the map has 32 channels: the inner Add sees [.., 32] and [.., 16].
    doc.generator.nodes.push({ id: 'g_keep', type: 'Residual16', version: 1, params: {} });
    const into = doc.generator.edges.find((e) => e.source === 'g_attention')!;
    doc.generator.edges.push({ source: 'g_keep', sourcePort: 'out', target: into.target, targetPort: into.targetPort });
    into.target = 'g_keep';
    into.targetPort = 'in';
    const report = validateGraph(doc);
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        nodeId: 'g_keep/sum',
        insideOf: 'g_keep',
        port: 'b',
        message: expect.stringMatching(
          /Add needs the same shape on both inputs; "a" gets \[16, 16, 32\] and "b" gets \[16, 16, 16\]/,
        ),
      }),
    );
    expect(reportOf(doc, 'g_keep')?.outputShape).toBeNull();
  });

  it('refuses a block type named like a built-in', () => {
    const doc = withCopies();
    doc.blocks.push({ ...doc.blocks[0]!, type: 'Conv2D' });
    expect(validateGraph(doc).problems).toContainEqual(
      expect.objectContaining({
        block: 'Conv2D',
        message: expect.stringMatching(/a built-in block has this type name/),
      }),
    );
  });
});
