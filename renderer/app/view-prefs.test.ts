import { describe, expect, it } from 'vitest';
import { createUiStore } from './ui-store';
import { keepViewPrefs, parseViewPrefs, VIEW_PREFS_KEY } from './view-prefs';

function memoryStorage(initial?: string) {
  const items = new Map<string, string>(initial === undefined ? [] : [[VIEW_PREFS_KEY, initial]]);
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
  };
}

describe('view prefs', () => {
  it('are stored when changed and restored by the next window', () => {
    const storage = memoryStorage();
    const first = createUiStore();
    keepViewPrefs(first, storage);
    first.setState((s) => ({
      showMinimap: false,
      labelPins: true,
      sidePanels: { ...s.sidePanels, left: 300, rightCollapsed: true },
    }));
    const next = createUiStore();
    keepViewPrefs(next, storage);
    const s = next.getState();
    expect(s.showMinimap).toBe(false);
    expect(s.labelPins).toBe(true);
    expect(s.sidePanels.left).toBe(300);
    expect(s.sidePanels.rightCollapsed).toBe(true);
  });

  it('fit panels stored on a wide screen to a narrow one', () => {
    const storage = memoryStorage(
      JSON.stringify({ sidePanels: { left: 480, right: 480, leftCollapsed: false, rightCollapsed: false } }),
    );
    const ui = createUiStore();
    keepViewPrefs(ui, storage, 1280);
    const { left, right } = ui.getState().sidePanels;
    expect(left + right).toBeLessThanOrEqual(1280 * 0.6 + 1);
  });

  it('do not write on changes that are not prefs (toasts, dialogs)', () => {
    const storage = memoryStorage();
    const ui = createUiStore();
    keepViewPrefs(ui, storage);
    ui.setState({ rightTab: 'training', nextToastId: 5 });
    expect(storage.items.has(VIEW_PREFS_KEY)).toBe(false);
  });

  it('keep the valid fields of a damaged entry and ignore the rest', () => {
    expect(parseViewPrefs('{"showMinimap":false,"labelPins":"yes","sidePanels":{"left":5}}')).toEqual({
      showMinimap: false,
    });
    expect(parseViewPrefs('not json')).toEqual({});
    expect(parseViewPrefs('[1,2]')).toEqual({});
    expect(parseViewPrefs(null)).toEqual({});
  });

  it('survive storage that throws: the defaults stay and the session goes on', () => {
    const ui = createUiStore();
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
    };
    keepViewPrefs(ui, broken);
    expect(ui.getState().showMinimap).toBe(true);
    expect(() => ui.setState({ showMinimap: false })).not.toThrow();
    expect(ui.getState().showMinimap).toBe(false);
  });
});
