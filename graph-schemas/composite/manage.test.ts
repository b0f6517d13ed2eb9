import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../document';
import { presetDoc } from '../test-helpers';
import { validateGraph } from '../validate';
import { makeEditableCopy } from './copy';
import { addPart } from './edit';
import { addPort, deleteDefinition, removePort, renameDefinition, renamePort, setPortKind, usesOf } from './manage';
import { SUBGRAPH_INPUT, SUBGRAPH_OUTPUT } from './subgraph';

const T = 'ResBlockUpCopy';

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

describe('managing the blocks of a document', () => {
  it('renames a block: trimmed, not empty, not another block’s name', () => {
    let doc = twoUses();
    doc = ok(renameDefinition(doc, T, '  Up  block ')).doc;
    expect(doc.blocks[0]!.title).toBe('Up block');
    expect(doc.blocks[0]!.type).toBe(T);
    expect(renameDefinition(doc, T, '   ')).toMatchObject({ ok: false, reason: 'A block needs a name; type one.' });
    const other = makeEditableCopy(doc, 'generator', 'g_up3')!.doc;
    expect(renameDefinition(other, 'ResBlockUpCopy2', 'up BLOCK')).toMatchObject({
      ok: false,
      reason: 'Another block of this document is called "Up block"; choose another name.',
    });
  });

  it('refuses to delete a block in use, naming the uses; with its uses, takes them and their connections', () => {
    const doc = twoUses();
    expect(deleteDefinition(doc, T)).toEqual({
      ok: false,
      reason:
        'Residual block up ×2 (copy) is used 2 times: "g_up1" (generator), "g_up2" (generator). Delete those uses first, or delete the block with its uses.',
    });
    const gone = ok(deleteDefinition(doc, T, true));
    expect(gone.doc.blocks).toEqual([]);
    expect(gone.doc.generator.nodes.map((n) => n.id)).not.toContain('g_up1');
    expect(gone.doc.generator.edges.some((e) => ['g_up1', 'g_up2'].includes(e.source) || e.target === 'g_up2')).toBe(
      false,
    );
    expect(gone.note).toMatch(/its 2 uses/);
    expect(validateGraph(gone.doc).nodes.length).toBeGreaterThan(0);
  });

  it('deletes an unused block; a use inside another block counts as a use', () => {
    let doc = twoUses();
    doc = ok(deleteDefinition(doc, T, true)).doc;
    expect(ok(deleteDefinition(twoUses(), T, true)).doc.blocks).toEqual([]);
    doc = makeEditableCopy(presetDoc('sagan-mnist'), 'generator', 'g_up1')!.doc;
    doc = makeEditableCopy(doc, 'generator', 'g_up2')!.doc;
    doc = ok(addPart(doc, 'ResBlockUpCopy2', T, { x: 0, y: 0 })).doc;
    expect(usesOf(doc, T)).toEqual([
      { in: 'generator', nodeId: 'g_up1' },
      { in: 'ResBlockUpCopy2', nodeId: 'res_block_up_copy' },
    ]);
    const nested = ok(deleteDefinition(doc, T, true)).doc;
    expect(nested.blocks.map((b) => b.type)).toEqual(['ResBlockUpCopy2']);
    expect(nested.blocks[0]!.nodes.some((n) => n.type === T)).toBe(false);
  });

  it('a new input makes every use say it needs a connection there; removing it takes the uses’ connections', () => {
    let doc = twoUses();
    const added = ok(addPort(doc, T, 'input'));
    expect(added.name).toBe('in2');
    doc = added.doc;
    const report = validateGraph(doc);
    for (const use of ['g_up1', 'g_up2'])
      expect(report.problems).toContainEqual(
        expect.objectContaining({
          nodeId: use,
          port: 'in2',
          severity: 'error',
          message: expect.stringMatching(/"in2" input/),
        }),
      );
    doc = ok(removePort(doc, T, 'input', 'in2')).doc;
    expect(validateGraph(doc).valid).toBe(validateGraph(twoUses()).valid);

    const cut = ok(removePort(twoUses(), T, 'input', 'label'));
    expect(cut.note).toMatch(/2 connections/);
    expect(cut.doc.generator.edges.some((e) => e.target === 'g_up1' && e.targetPort === 'label')).toBe(false);
    expect(cut.doc.blocks[0]!.edges.some((e) => e.sourcePort === 'label')).toBe(false);
    // Inside, the parts that read the label now say so, on the inner nodes; nothing crashes.
    expect(validateGraph(cut.doc).problems.some((p) => p.insideOf === 'g_up1')).toBe(true);
  });

  it('a new output is reported unconnected; the last output cannot be removed', () => {
    const doc = ok(addPort(twoUses(), T, 'output')).doc;
    expect(
      validateGraph(doc).problems.some((p) => p.block === T && /output "out2" is not connected/.test(p.message)),
    ).toBe(true);
    expect(removePort(twoUses(), T, 'output', 'out')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/at least one output/),
    });
  });

  it('changing what an input carries: the uses whose connection no longer fits say so on their node', () => {
    const doc = twoUses();
    const changed = ok(setPortKind(doc, T, 'input', 'in', 'vector')).doc;
    expect(changed.blocks[0]!.inputs[0]!.accepts).toEqual(['vector']);
    const problems = validateGraph(changed).problems.filter((p) => p.severity === 'error');
    // g_up1 is fed a feature map (g_up2 then gets nothing to check).
    expect(problems).toContainEqual(
      expect.objectContaining({ nodeId: 'g_up1', message: expect.stringMatching(/expects a vector on "in"/) }),
    );
    expect(setPortKind(doc, T, 'output', 'nope', 'vector')).toMatchObject({ ok: false });
    // The use is named by the block's display name, not its type id.
    const titled = ok(renameDefinition(changed, T, 'Up block')).doc;
    const message = validateGraph(titled).problems.find((p) => p.nodeId === 'g_up1' && p.port === 'in')?.message;
    expect(message).toMatch(/^Up block "g_up1" expects a vector on "in"; .+ "\w+" gives a feature map/);
    expect(message).not.toContain(T);
  });

  it('renames a port: inside and on every use the connections follow, and the document stays valid', () => {
    const doc = twoUses();
    const errors = (d: GraphDocument) => validateGraph(d).problems.filter((p) => p.severity === 'error').length;
    const before = errors(doc);
    const atUses = (d: GraphDocument, side: 'target' | 'source', port: string) =>
      d.generator.edges.filter((e) => (e[side] === 'g_up1' || e[side] === 'g_up2') && e[`${side}Port`] === port);
    const inputsBefore = atUses(doc, 'target', 'in').length;
    expect(inputsBefore).toBe(2);

    let next = ok(renamePort(doc, T, 'input', 'in', ' x_in ')).doc;
    let def = next.blocks[0]!;
    expect(def.inputs.map((p) => p.name)).toContain('x_in');
    expect(def.inputs.map((p) => p.name)).not.toContain('in');
    expect(def.edges.some((e) => e.source === SUBGRAPH_INPUT && e.sourcePort === 'in')).toBe(false);
    const inside = def.edges.filter((e) => e.source === SUBGRAPH_INPUT && e.sourcePort === 'x_in');
    expect(inside.length).toBeGreaterThan(0);
    for (const e of inside) expect(e.id).toBe(`${e.source}.x_in->${e.target}.${e.targetPort}`);
    expect(atUses(next, 'target', 'x_in')).toHaveLength(inputsBefore);
    expect(atUses(next, 'target', 'in')).toHaveLength(0);
    expect(errors(next)).toBe(before);

    const outs = atUses(next, 'source', 'out').length;
    next = ok(renamePort(next, T, 'output', 'out', 'y')).doc;
    def = next.blocks[0]!;
    expect(def.outputs.map((p) => p.name)).toEqual(['y']);
    expect(def.edges.some((e) => e.target === SUBGRAPH_OUTPUT && e.targetPort === 'y')).toBe(true);
    expect(atUses(next, 'source', 'y')).toHaveLength(outs);
    expect(errors(next)).toBe(before);
    // The original document is untouched.
    expect(doc.blocks[0]!.inputs.some((p) => p.name === 'in')).toBe(true);

    const taken = def.inputs.find((p) => p.name !== 'x_in')?.name ?? 'y';
    expect(renamePort(next, T, 'input', 'x_in', taken)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(new RegExp(`already has a port "${taken}"`)),
    });
    expect(renamePort(next, T, 'input', 'x_in', 'y')).toMatchObject({ ok: false });
    expect(renamePort(next, T, 'input', 'x_in', '   ')).toMatchObject({
      ok: false,
      reason: 'A port needs a name; type one for input "x_in".',
    });
    expect(renamePort(next, T, 'input', 'x_in', '2nd-in')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^"2nd-in" cannot name a port/),
    });
    expect(renamePort(next, T, 'output', 'nope', 'z')).toMatchObject({ ok: false });
    expect(renamePort(next, T, 'input', 'x_in', 'x_in')).toEqual({ ok: true, doc: next });
  });
});
