import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindow, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestMessage, ResponseMessage } from '../../graph-schemas';
import type { DesktopHandlerDeps, DocumentState } from './desktop-handlers';
import { createDesktopHandlers } from './desktop-handlers';
import { createRequestRouter } from './request-router';

/** Electron's dialog and shell, faked at the OS boundary: they record what they were asked and answer as a user would. */
function fakeOs(answers: { open?: string[] | null; save?: string | null; failOpen?: boolean } = {}) {
  const calls: { kind: 'open' | 'save'; window: unknown; options: OpenDialogOptions | SaveDialogOptions }[] = [];
  const shown: string[] = [];
  const states: DocumentState[] = [];
  const dialogsShowing: boolean[] = [];
  const showingWhileOpen: boolean[] = [];
  const win = { id: 1 } as unknown as BrowserWindow;
  const deps: DesktopHandlerDeps = {
    dialog: {
      showOpenDialog: (async (window: unknown, options?: OpenDialogOptions) => {
        calls.push({ kind: 'open', window, options: options ?? (window as OpenDialogOptions) });
        showingWhileOpen.push(dialogsShowing.at(-1)!);
        if (answers.failOpen) throw new Error('the dialog failed');
        return answers.open ? { canceled: false, filePaths: answers.open } : { canceled: true, filePaths: [] };
      }) as DesktopHandlerDeps['dialog']['showOpenDialog'],
      showSaveDialog: (async (window: unknown, options?: SaveDialogOptions) => {
        calls.push({ kind: 'save', window, options: options ?? (window as SaveDialogOptions) });
        return answers.save ? { canceled: false, filePath: answers.save } : { canceled: true, filePath: '' };
      }) as DesktopHandlerDeps['dialog']['showSaveDialog'],
    },
    shell: { showItemInFolder: (path: string) => void shown.push(path) },
    window: () => win,
    onDocumentState: (state) => void states.push(state),
    documentsDir: () => '/home/ada/Documents/SAGAN Studio',
    onDialog: (showing) => void dialogsShowing.push(showing),
  };
  return { deps, calls, shown, states, win, dialogsShowing, showingWhileOpen };
}

const noEngine = {
  request: async (m: RequestMessage): Promise<ResponseMessage> => ({
    id: m.id,
    error: { code: 'internal', message: 'no engine in this test' },
  }),
};
let nextId = 1;
const call = (os: ReturnType<typeof fakeOs>, method: string, params: unknown) =>
  createRequestRouter(createDesktopHandlers(os.deps), noEngine)({ id: nextId++, method, params });

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sagan-desktop-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('native dialogs', () => {
  it('say when one is showing and when it is gone, even if it fails (a save waits on the user meanwhile)', async () => {
    const os = fakeOs({ open: null, save: '/x.sagan.json' });
    await call(os, 'dialogs.openFile', {});
    await call(os, 'dialogs.saveFile', {});
    const failing = fakeOs({ failOpen: true });
    expect(await call(failing, 'dialogs.openFile', {})).toMatchObject({ error: { message: /the dialog failed/ } });
    expect(os.dialogsShowing).toEqual([true, false, true, false]);
    expect(os.showingWhileOpen).toEqual([true]);
    expect(failing.dialogsShowing).toEqual([true, false]);
  });

  it('open: the chosen file, modal to the window, starting in the documents folder with a graph filter', async () => {
    const os = fakeOs({ open: ['/home/ada/mnist.sagan.json'] });
    expect(await call(os, 'dialogs.openFile', {})).toMatchObject({ result: { path: '/home/ada/mnist.sagan.json' } });
    expect(os.calls).toHaveLength(1);
    expect(os.calls[0]!.window).toBe(os.win);
    expect(os.calls[0]!.options).toMatchObject({
      defaultPath: '/home/ada/Documents/SAGAN Studio',
      properties: ['openFile'],
      filters: [
        { name: 'SAGAN Studio graph', extensions: ['json'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
  });

  it('a cancelled dialog answers path null', async () => {
    const os = fakeOs();
    expect(await call(os, 'dialogs.openFile', { title: 'Open graph' })).toMatchObject({ result: { path: null } });
    expect(await call(os, 'dialogs.saveFile', {})).toMatchObject({ result: { path: null } });
    expect(await call(os, 'dialogs.chooseFolder', {})).toMatchObject({ result: { path: null } });
  });

  it('save: the chosen path, with the page-given default and overwrite confirmation by the OS', async () => {
    const os = fakeOs({ save: '/tmp/x/my gan.sagan.json' });
    expect(await call(os, 'dialogs.saveFile', { defaultPath: '/tmp/x/untitled.sagan.json' })).toMatchObject({
      result: { path: '/tmp/x/my gan.sagan.json' },
    });
    expect(os.calls[0]!.options).toMatchObject({
      defaultPath: '/tmp/x/untitled.sagan.json',
      properties: expect.arrayContaining(['showOverwriteConfirmation', 'createDirectory']),
    });
  });

  it('choose folder: folders only, new folders allowed', async () => {
    const os = fakeOs({ open: ['/tmp/exports'] });
    expect(await call(os, 'dialogs.chooseFolder', { title: 'Export the model to a folder' })).toMatchObject({
      result: { path: '/tmp/exports' },
    });
    expect(os.calls[0]!.options).toMatchObject({
      title: 'Export the model to a folder',
      properties: ['openDirectory', 'createDirectory'],
    });
  });

  it('bad parameters are refused before any dialog opens', async () => {
    const os = fakeOs({ open: ['/x'] });
    expect(await call(os, 'dialogs.openFile', { defaultPath: '' })).toMatchObject({ error: { code: 'bad-request' } });
    expect(await call(os, 'dialogs.openFile', { filters: 'json' })).toMatchObject({ error: { code: 'bad-request' } });
    expect(await call(os, 'dialogs.chooseFolder', { title: 'x', extra: true })).toMatchObject({
      error: { code: 'bad-request' },
    });
    expect(os.calls).toHaveLength(0);
  });
});

describe('shell and document state', () => {
  it('shows an existing file or folder in the file manager; a missing one is not-found and never reaches the shell', async () => {
    const os = fakeOs();
    const file = join(dir, 'model.json');
    writeFileSync(file, '{}');
    expect(await call(os, 'shell.showItem', { path: file })).toMatchObject({ result: {} });
    expect(await call(os, 'shell.showItem', { path: dir })).toMatchObject({ result: {} });
    expect(await call(os, 'shell.showItem', { path: join(dir, 'gone') })).toMatchObject({
      error: { code: 'not-found', message: expect.stringContaining('does not exist') },
    });
    expect(os.shown).toEqual([file, dir]);
  });

  it('app.documentState hands the validated state to the shell', async () => {
    const os = fakeOs();
    expect(
      await call(os, 'app.documentState', { title: 'mnist.sagan.json', path: '/a/mnist.sagan.json', dirty: true }),
    ).toMatchObject({ result: {} });
    expect(await call(os, 'app.documentState', { title: 'x', dirty: true })).toMatchObject({
      error: { code: 'bad-request' },
    });
    expect(os.states).toEqual([{ title: 'mnist.sagan.json', path: '/a/mnist.sagan.json', dirty: true }]);
  });
});
