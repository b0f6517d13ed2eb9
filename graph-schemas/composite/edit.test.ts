import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../document';
import { presetDoc } from '../test-helpers';
import { validateGraph } from '../validate';
import { makeEditableCopy } from './copy';
import { addPart, moveParts, removeParts } from './edit';
import { checkPartConnection, connectParts, disconnectParts, insertPart } from './edit-connect';
import { SUBGRAPH_INPUT, SUBGRAPH_OUTPUT } from './subgraph';

const T = 'ResBlockUpCopy';

/** sagan-mnist with g_up1 and g_up2 uses of one editable copy of ResBlockUp. */
function twoUses(): GraphDocument {
  const doc = makeEditableCopy(presetDoc('sagan-mnist'), 'generator', 'g_up1')!.doc;
  const node = doc.generator.nodes.find((n) => n.id === 'g_up2')!;
  node.type = T;
  node.params = { outChannels: node.params.outChannels, spectralNorm: true, bias: false };
  return doc;
}

const ok = <R extends { ok: boolean }>(r: R): Extract<R, { ok: true }> => {
  if (!r.ok) throw new Error((r as unknown as { reason: string }).reason);
  return r as Extract<R, { ok: true }>;
};
const def = (doc: GraphDocument) => doc.blocks.find((b) => b.type === T)!;
const intoOut = (doc: GraphDocument) => def(doc).edges.find((e) => e.target === SUBGRAPH_OUTPUT)!;

describe('editing the parts of a block of the document', () => {
  it('adds an attention before the output, wires it, and every use grows by it', () => {
    let doc = twoUses();
    const before = validateGraph(doc);
    const last = intoOut(doc);
    doc = ok(disconnectParts(doc, T, [last.id!])).doc;
    const added = ok(addPart(doc, T, 'SelfAttention', { x: 10.4, y: 900 }));
    expect(added.nodeId).toBe('attention');
    doc = added.doc;
    expect(def(doc).nodes.at(-1)).toMatchObject({
      id: 'attention',
      type: 'SelfAttention',
      position: { x: 10, y: 900 },
    });
    const req = { source: last.source, sourcePort: last.sourcePort, target: 'attention', targetPort: 'in' };
    doc = ok(connectParts(doc, T, req)).doc;
    doc = ok(
      connectParts(doc, T, { source: 'attention', sourcePort: 'out', target: SUBGRAPH_OUTPUT, targetPort: 'out' }),
    ).doc;
    const after = validateGraph(doc);
    expect(after.problems.filter((p) => p.severity === 'error')).toEqual([]);
    for (const id of ['g_up1', 'g_up2']) {
      const was = before.nodes.find((n) => n.id === id)!;
      const is = after.nodes.find((n) => n.id === id)!;
      expect(is.params).toBeGreaterThan(was.params);
      expect(is.outputShape).toEqual(was.outputShape);
      expect(after.nodes.find((n) => n.id === `${id}/attention`)).toMatchObject({
        insideOf: id,
        type: 'SelfAttention',
      });
    }
    // The built-in g_up3 is untouched.
    expect(after.nodes.find((n) => n.id === 'g_up3')!.params).toBe(before.nodes.find((n) => n.id === 'g_up3')!.params);
  });

  it("checks connections inside with the canvas's rules, naming the block's ports", () => {
    let doc = twoUses();
    doc = ok(addPart(doc, T, 'SelfAttention', { x: 0, y: 0 })).doc;
    const check = (source: string, sourcePort: string, target: string, targetPort: string) =>
      checkPartConnection(doc, T, { source, sourcePort, target, targetPort });
    expect(check(SUBGRAPH_INPUT, 'label', 'attention', 'in')).toEqual({
      ok: false,
      reason: "Self-attention expects a feature map; ResBlockUp's inputs gives a class label.".replace(
        "ResBlockUp's",
        `${def(doc).title}'s`,
      ),
    });
    expect(check(SUBGRAPH_INPUT, 'in', 'attention', 'in')).toEqual({ ok: true });
    expect(check(SUBGRAPH_INPUT, 'nope', 'attention', 'in')).toMatchObject({
      reason: expect.stringMatching(/no output "nope"/),
    });
    expect(check(SUBGRAPH_OUTPUT, 'out', 'attention', 'in')).toMatchObject({ ok: false });
    expect(check('attention', 'out', SUBGRAPH_OUTPUT, 'out')).toMatchObject({
      reason: expect.stringMatching(/^Output "out" of .* is already connected/),
    });
    expect(check('attention', 'out', 'attention', 'in')).toMatchObject({ reason: 'A node cannot feed itself.' });
    const first = def(doc).edges.find((e) => e.source === SUBGRAPH_INPUT && e.sourcePort === 'in')!;
    doc = ok(
      connectParts(doc, T, { source: intoOut(doc).source, sourcePort: 'out', target: 'attention', targetPort: 'in' }),
    ).doc;
    // attention now comes after the whole block: feeding its output back to the first part is a cycle.
    const target = def(doc).edges.find((e) => e.source === first.target)?.target ?? first.target;
    const cycle = checkPartConnection(doc, T, { source: 'attention', sourcePort: 'out', target, targetPort: 'in' });
    expect(cycle.ok).toBe(false);
    // What a use actually carries decides: a feature map known at $in is checked as one.
    const known = () => ({ kind: 'vector' as const, shape: [8] as [number] });
    expect(
      checkPartConnection(
        doc,
        T,
        { source: SUBGRAPH_INPUT, sourcePort: 'in', target: 'attention', targetPort: 'in' },
        known,
      ),
    ).toMatchObject({ ok: false });
  });

  it('refuses a part that would put the block inside itself, or that belongs in the other network', () => {
    const doc = twoUses();
    expect(addPart(doc, T, T, { x: 0, y: 0 })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/inside itself/),
    });
    expect(addPart(doc, T, 'DiscriminatorOutput', { x: 0, y: 0 })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/belongs in the discriminator/),
    });
    expect(addPart(doc, 'Nope', 'ReLU', { x: 0, y: 0 })).toMatchObject({ ok: false });
  });

  it('deletes parts with their connections; the error shows on the inner node of every use', () => {
    let doc = twoUses();
    const relu = def(doc).nodes.find((n) => n.type === 'ReLU')!.id;
    doc = ok(removeParts(doc, T, [relu])).doc;
    expect(def(doc).nodes.some((n) => n.id === relu)).toBe(false);
    expect(def(doc).edges.some((e) => e.source === relu || e.target === relu)).toBe(false);
    const report = validateGraph(doc);
    for (const use of ['g_up1', 'g_up2'])
      expect(
        report.problems.some((p) => p.insideOf === use && p.severity === 'error' && p.nodeId?.startsWith(`${use}/`)),
      ).toBe(true);
  });

  it('deleting every part an exposed param sets drops the param, from the block and its uses', () => {
    let doc = twoUses();
    const removed = ok(removeParts(doc, T, ['conv1', 'conv2', 'shortcut']));
    doc = removed.doc;
    expect(def(doc).params).toEqual([]);
    expect(removed.note).toMatch(/"outChannels", "spectralNorm", "bias"/);
    for (const id of ['g_up1', 'g_up2']) expect(doc.generator.nodes.find((n) => n.id === id)!.params).toEqual({});
    expect(doc.generator.nodes.find((n) => n.id === 'g_up3')!.params).not.toEqual({});
  });

  it('moves parts (rounded), returning the same document when nothing moves', () => {
    const doc = twoUses();
    const moved = ok(moveParts(doc, T, { conv1: { x: 100.6, y: -20.2 } })).doc;
    expect(def(moved).nodes.find((n) => n.id === 'conv1')!.position).toEqual({ x: 101, y: -20 });
    expect(ok(moveParts(moved, T, { conv1: { x: 101, y: -20 } })).doc).toBe(moved);
  });

  it('inserts a part dropped on a connection inside, between its ends; refuses one that does not fit there', () => {
    const doc = twoUses();
    const wire = 'cbn2.out->relu2.in';
    const errors = (d: GraphDocument) => validateGraph(d).problems.filter((p) => p.severity === 'error').length;
    const done = ok(insertPart(doc, T, 'SelfAttention', wire, { x: 10, y: 20 }));
    expect(done.nodeId).toBe('attention');
    expect(done.note).toBe('Inserted Self-attention between cbn2 and relu2.');
    const edges = def(done.doc).edges.map((e) => e.id);
    expect(edges).not.toContain(wire);
    expect(edges).toEqual(expect.arrayContaining(['cbn2.out->attention.in', 'attention.out->relu2.in']));
    expect(errors(done.doc)).toBe(errors(doc));
    // Both uses grow by it.
    const params = (d: GraphDocument, id: string) => validateGraph(d).nodes.find((n) => n.id === id)!.params;
    expect(params(done.doc, 'g_up2')).toBeGreaterThan(params(doc, 'g_up2'));

    expect(insertPart(doc, T, 'SelfAttention', '$in.label->cbn1.label', { x: 0, y: 0 })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^Self-attention cannot go into this connection: Self-attention expects a feature/),
    });
    expect(insertPart(doc, T, 'SelfAttention', 'gone.out->relu2.in', { x: 0, y: 0 })).toEqual({
      ok: false,
      reason: 'That connection is no longer there.',
    });
  });

  it("wires an inserted part's class-label input to the block's label input, its only label source", () => {
    const doc = twoUses();
    const errors = (d: GraphDocument) => validateGraph(d).problems.filter((p) => p.severity === 'error').length;
    const done = ok(insertPart(doc, T, 'ConditionalBatchNorm', 'relu2.out->conv2.in', { x: 0, y: 0 }));
    const edges = def(done.doc).edges.map((e) => `${e.source}.${e.sourcePort}->${e.target}.${e.targetPort}`);
    expect(edges).toEqual(
      expect.arrayContaining(['relu2.out->cbn.in', 'cbn.out->conv2.in', `${SUBGRAPH_INPUT}.label->cbn.label`]),
    );
    // Nothing is left open: the uses validate as before.
    expect(errors(done.doc)).toBe(errors(doc));
  });
});
