import { describe, expect, it } from 'vitest';
import { documentBlock } from '../../graph-schemas';
import { groupSelection } from './composite-edits';
import { createEditorStore } from './document-store';
import { exposeInnerParam, unexposeInnerParam } from './expose-edits';
import { frozenPreset } from './test-docs';

describe('choosing and editing the params a block exposes', () => {
  it('groups with the chosen params, then adds and removes one, each an undoable step', () => {
    const store = createEditorStore(frozenPreset('sagan-mnist'));
    const original = store.getState().doc;
    const grouped = store
      .getState()
      .execute(
        groupSelection('generator', ['g_up2', 'g_attention'], 'AttentionUp', [
          { node: 'g_attention', param: 'variant' },
        ]),
      );
    expect(grouped.ok).toBe(true);
    const params = () => store.getState().doc.blocks[0]!.params.map((p) => p.name);
    expect(params()).toEqual(['variant']);
    // The use's inspector draws the block's params: the exposed one, with the inner param's options.
    const block = documentBlock(store.getState().doc, 'AttentionUp')!;
    expect(Object.keys(block.params.shape)).toEqual(['variant']);
    expect(block.params.shape.variant!.safeParse('paper').success).toBe(true);
    expect(block.params.shape.variant!.safeParse('sideways').success).toBe(false);

    expect(store.getState().execute(exposeInnerParam('AttentionUp', 'g_up2', 'outChannels'))).toMatchObject({
      ok: true,
      note: expect.stringMatching(/now sets "outChannels"/),
    });
    expect(params()).toEqual(['variant', 'outChannels']);
    expect(store.getState().execute(unexposeInnerParam('AttentionUp', 'variant')).ok).toBe(true);
    expect(params()).toEqual(['outChannels']);
    expect(store.getState().doc.blocks[0]!.nodes.find((n) => n.id === 'g_attention')?.params.variant).toBe('official');
    expect(store.getState().execute(unexposeInnerParam('AttentionUp', 'variant'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/has no parameter "variant"/),
    });
    for (let i = 0; i < 3; i++) store.getState().undo();
    expect(store.getState().doc).toEqual(original);
  });
});
