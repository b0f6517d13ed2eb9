import { describe, expect, it } from 'vitest';
import { validateGraph } from '../../graph-schemas';
import { createEditorStore, isDirty } from './document-store';
import { addNode, moveNodes, removeElements, setParam } from './graph-edits';
import { setSetting } from './settings-edits';
import { spliceNewNode } from './splice';
import { frozenPreset } from './test-docs';

function storeWithClock(name = 'sagan-32') {
  let t = 0;
  const store = createEditorStore(frozenPreset(name), { now: () => t });
  return { store, tick: (ms: number) => (t += ms) };
}

describe('editor store', () => {
  it('starts clean with empty history', () => {
    const { store } = storeWithClock();
    expect(isDirty(store.getState())).toBe(false);
    expect(store.getState().past).toEqual([]);
  });

  it('undo and redo restore the exact documents, and dirtiness follows', () => {
    const { store, tick } = storeWithClock();
    const original = store.getState().doc;
    const snapshot = JSON.stringify(original);
    expect(store.getState().execute(setParam('generator', 'g_up1', 'outChannels', 128)).ok).toBe(true);
    tick(5000);
    store.getState().execute(moveNodes('generator', { g_up1: { x: 50, y: 60 } }));
    const edited = store.getState().doc;
    expect(isDirty(store.getState())).toBe(true);

    expect(store.getState().undo()).toBe('Move');
    expect(store.getState().undo()).toBe('Set outChannels');
    expect(store.getState().doc).toBe(original);
    expect(JSON.stringify(store.getState().doc)).toBe(snapshot);
    expect(isDirty(store.getState())).toBe(false);
    expect(store.getState().undo()).toBeUndefined();

    store.getState().redo();
    store.getState().redo();
    expect(store.getState().doc).toBe(edited);
    expect(store.getState().redo()).toBeUndefined();
  });

  it('folds quick edits of the same field into one undo step, but not edits of different fields or after a pause', () => {
    const { store, tick } = storeWithClock();
    const { execute } = store.getState();
    execute(setParam('generator', 'g_up1', 'outChannels', 1));
    tick(200);
    execute(setParam('generator', 'g_up1', 'outChannels', 12));
    tick(200);
    execute(setParam('generator', 'g_up1', 'outChannels', 128));
    expect(store.getState().past).toHaveLength(1);
    tick(200);
    execute(setParam('generator', 'g_up2', 'outChannels', 64));
    tick(3000);
    execute(setParam('generator', 'g_up2', 'outChannels', 32));
    expect(store.getState().past).toHaveLength(3);
    store.getState().undo();
    store.getState().undo();
    store.getState().undo();
    expect(store.getState().doc).toEqual(frozenPreset());
  });

  it('a new edit clears the redo stack', () => {
    const { store } = storeWithClock();
    store.getState().execute(addNode('generator', 'ReLU', { x: 0, y: 0 }));
    store.getState().undo();
    expect(store.getState().future).toHaveLength(1);
    store.getState().execute(addNode('generator', 'Tanh', { x: 0, y: 0 }));
    expect(store.getState().future).toHaveLength(0);
  });

  it('records nothing for an edit that changes nothing or is refused', () => {
    const { store } = storeWithClock();
    expect(store.getState().execute(setParam('generator', 'g_up1', 'outChannels', 256))).toEqual({
      ok: true,
      changed: false,
    });
    const refused = store.getState().execute(addNode('generator', 'ImageInput', { x: 0, y: 0 }));
    expect(refused).toEqual({
      ok: false,
      reason: 'Image (real or generated) belongs in the discriminator, not in the generator.',
    });
    expect(store.getState().past).toHaveLength(0);
  });

  it('restores the selection with the document', () => {
    const { store } = storeWithClock();
    store.getState().select({ network: 'generator', nodes: ['g_attention'], edges: [] });
    const report = validateGraph(store.getState().doc);
    store.getState().execute(removeElements('generator', ['g_attention'], [], report));
    expect(store.getState().selection.nodes).toEqual([]);
    store.getState().undo();
    expect(store.getState().selection.nodes).toEqual(['g_attention']);
  });

  it('undoes a splice in one step, restoring the removed edge', () => {
    const { store } = storeWithClock();
    const before = store.getState().doc;
    const report = validateGraph(before);
    const result = store
      .getState()
      .execute(
        spliceNewNode('discriminator', 'd_block2.out->d_block3.in', 'SelfAttention', { x: 700, y: 200 }, report),
      );
    expect(result.ok).toBe(true);
    expect(store.getState().past).toHaveLength(1);
    store.getState().undo();
    expect(store.getState().doc).toBe(before);
  });

  it('loading a document resets history; saving marks that document clean', () => {
    const { store } = storeWithClock();
    store.getState().execute(setSetting(['training', 'batchSize'], 32));
    const next = frozenPreset('sagan-mnist');
    store.getState().load(next, { path: '/tmp/a.sagan.json', mtimeMs: 1 }, true);
    expect(store.getState().past).toHaveLength(0);
    expect(isDirty(store.getState())).toBe(false);
    store.getState().execute(setSetting(['training', 'batchSize'], 16));
    const edited = store.getState().doc;
    store.getState().markSaved(edited, { path: '/tmp/a.sagan.json', mtimeMs: 2 });
    expect(isDirty(store.getState())).toBe(false);
    store.getState().undo();
    expect(isDirty(store.getState())).toBe(true);
    store.getState().load(next, { path: null, mtimeMs: null }, false);
    expect(isDirty(store.getState())).toBe(true);
  });
});
