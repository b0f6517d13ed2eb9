import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../graph-schemas';
import { groupIntoBlock, validateGraph } from '../../graph-schemas';
import { copyNodes, parseClipboard, pasteNodes } from './clipboard';
import { deepFreeze, frozenPreset } from './test-docs';

/** sagan-mnist with g_up2 and its attention as a block "AttentionUp", inside a block "Tail" with g_up3. */
function withBlocks(): GraphDocument {
  const inner = groupIntoBlock(frozenPreset('sagan-mnist'), 'generator', ['g_up2', 'g_attention'], 'AttentionUp');
  if (!inner.ok) throw new Error(inner.reason);
  const outer = groupIntoBlock(inner.doc, 'generator', [inner.nodeId, 'g_up3'], 'Tail');
  if (!outer.ok) throw new Error(outer.reason);
  return deepFreeze(outer.doc);
}

function paste(doc: GraphDocument, text: string) {
  const content = parseClipboard(text);
  if (!content) throw new Error('not clipboard content');
  const outcome = pasteNodes('generator', content, { x: 40, y: 40 }).run(doc);
  if ('refused' in outcome) throw new Error(outcome.refused);
  return outcome;
}

describe('copy and paste between documents', () => {
  const source = withBlocks();
  const text = JSON.stringify(copyNodes(source, 'generator', ['g_tail', 'g_bn'])!);

  it('carries the blocks the copied nodes use, nested ones included', () => {
    expect(parseClipboard(text)!.blocks.map((b) => b.type)).toEqual(['AttentionUp', 'Tail']);
    expect(copyNodes(source, 'generator', ['g_bn'])!.blocks).toEqual([]);
  });

  it('into a document without them: adds them, so the pasted use validates, and says so', () => {
    const target = frozenPreset('sagan-mnist');
    const outcome = paste(target, text);
    expect(outcome.doc.blocks.map((b) => b.type)).toEqual(['AttentionUp', 'Tail']);
    const pasted = outcome.selection!.nodes.map((id) => outcome.doc.generator.nodes.find((n) => n.id === id)!);
    expect(pasted.map((n) => n.type)).toEqual(['BatchNorm', 'Tail']);
    const report = validateGraph(outcome.doc);
    expect(report.problems.filter((p) => /unknown block type/.test(p.message))).toEqual([]);
    expect(report.nodes.find((n) => n.id === pasted[1]!.id)?.type).toBe('Tail');
    expect(outcome.note).toMatch(/Brought 2 blocks of the copied document along \("AttentionUp", "Tail"\)/);
  });

  it('into the same document: uses its blocks, adds nothing, says nothing', () => {
    const outcome = paste(source, text);
    expect(outcome.doc.blocks).toBe(source.blocks);
    expect(outcome.note).toBeUndefined();
  });

  it('into a document with a different block of that name: adds the pasted one renamed and says so', () => {
    const target = deepFreeze({ ...source, blocks: [{ ...source.blocks[0]!, params: [] }, source.blocks[1]!] });
    const outcome = paste(target, text);
    expect(outcome.doc.blocks.map((b) => b.type)).toEqual(['AttentionUp', 'Tail', 'AttentionUp2', 'Tail2']);
    expect(outcome.selection!.nodes.map((id) => outcome.doc.generator.nodes.find((n) => n.id === id)?.type)).toEqual([
      'BatchNorm',
      'Tail2',
    ]);
    expect(outcome.note).toContain('"AttentionUp" (the pasted one is "AttentionUp2")');
    expect(outcome.note).toContain('"Tail" (the pasted one is "Tail2")');
  });

  it('refuses clipboard text whose nodes or blocks do not pass the schema', () => {
    const bad = JSON.parse(text) as { blocks: { type: string }[]; nodes: { id: unknown }[] };
    bad.blocks[0]!.type = 'not a type!';
    expect(parseClipboard(JSON.stringify(bad))).toBeUndefined();
    const noId = JSON.parse(text) as { nodes: { id: unknown }[] };
    noId.nodes[0]!.id = 5;
    expect(parseClipboard(JSON.stringify(noId))).toBeUndefined();
    // Older clipboard text without blocks still reads.
    const old = JSON.parse(text) as Record<string, unknown>;
    delete old.blocks;
    expect(parseClipboard(JSON.stringify(old))?.blocks).toEqual([]);
  });
});
