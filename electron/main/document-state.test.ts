import type { MessageBoxOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { CloseDeps } from './document-state';
import { confirmClose, windowTitle } from './document-state';
import type { DocumentState } from './desktop-handlers';

describe('window title', () => {
  it("shows the document's name, a dot while unsaved, and the app", () => {
    expect(windowTitle({ title: 'mnist.sagan.json', path: '/a/mnist.sagan.json', dirty: false })).toBe(
      'mnist.sagan.json — SAGAN Studio',
    );
    expect(windowTitle({ title: 'SAGAN-32', path: null, dirty: true })).toBe('• SAGAN-32 — SAGAN Studio');
    expect(windowTitle({ title: '  ', path: null, dirty: false })).toBe('Untitled — SAGAN Studio');
  });
});

/** The close prompt with scripted answers: `answers` are the buttons the user clicks, in order. */
function closing(
  state: DocumentState,
  answers: number[],
  opts: { running?: number; afterSave?: DocumentState | null; pageAlive?: boolean } = {},
) {
  const asked: MessageBoxOptions[] = [];
  let saves = 0;
  const deps: CloseDeps = {
    state: () => state,
    pageAlive: () => opts.pageAlive ?? true,
    runningRuns: async () => opts.running ?? 0,
    ask: async (o) => {
      asked.push(o);
      return { response: answers.shift() ?? -1 };
    },
    saveAndReport: async () => {
      saves++;
      return opts.afterSave === undefined ? { ...state, dirty: false } : opts.afterSave;
    },
  };
  return { run: () => confirmClose(deps), asked, saves: () => saves };
}

const dirty: DocumentState = { title: 'mnist.sagan.json', path: '/a/mnist.sagan.json', dirty: true };
const clean: DocumentState = { ...dirty, dirty: false };

describe('closing the window', () => {
  it('closes at once when everything is saved and nothing trains', async () => {
    const c = closing(clean, []);
    expect(await c.run()).toBe(true);
    expect(c.asked).toEqual([]);
  });

  it('unsaved changes: Save saves and closes; Don’t Save closes; Cancel stays', async () => {
    const save = closing(dirty, [0]);
    expect(await save.run()).toBe(true);
    expect(save.saves()).toBe(1);
    expect(save.asked[0]).toMatchObject({
      message: 'Save the changes to mnist.sagan.json before closing?',
      buttons: ['Save', 'Don’t Save', 'Cancel'],
      cancelId: 2,
    });
    const discard = closing(dirty, [1]);
    expect(await discard.run()).toBe(true);
    expect(discard.saves()).toBe(0);
    const cancel = closing(dirty, [2]);
    expect(await cancel.run()).toBe(false);
  });

  it('stays open when the save did not happen (the save dialog was cancelled)', async () => {
    const c = closing(dirty, [0], { afterSave: dirty });
    expect(await c.run()).toBe(false);
  });

  it('a page that does not answer the save (hung): offers to quit anyway, naming the autosave', async () => {
    const quit = closing(dirty, [0, 0], { afterSave: null });
    expect(await quit.run()).toBe(true);
    expect(quit.asked[1]).toMatchObject({
      message: 'mnist.sagan.json could not be saved: the editor did not answer. Quit anyway?',
      detail: expect.stringContaining('autosaved'),
      buttons: ['Quit Anyway', 'Cancel'],
      cancelId: 1,
    });
    expect(await closing(dirty, [0, 1], { afterSave: null }).run()).toBe(false);
  });

  it('a crashed page cannot save: asks only whether to quit anyway, and never waits for it', async () => {
    const c = closing(dirty, [0], { pageAlive: false });
    expect(await c.run()).toBe(true);
    expect(c.saves()).toBe(0);
    expect(c.asked).toHaveLength(1);
    expect(c.asked[0]).toMatchObject({
      message: 'mnist.sagan.json cannot be saved now: the editor stopped working. Quit anyway?',
    });
    // Nothing unsaved: nothing to ask.
    expect(await closing(clean, [], { pageAlive: false }).run()).toBe(true);
  });

  it('asks before stopping running trainings (which checkpoint first)', async () => {
    const stop = closing(clean, [0], { running: 2 });
    expect(await stop.run()).toBe(true);
    expect(stop.asked[0]).toMatchObject({
      message: '2 training runs are still going. Stop and quit?',
      detail: expect.stringContaining('checkpoint'),
    });
    expect(await closing(clean, [1], { running: 1 }).run()).toBe(false);
  });
});
