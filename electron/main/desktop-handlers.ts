import { stat } from 'node:fs/promises';
import type { BrowserWindow, Dialog, OpenDialogOptions, SaveDialogOptions, Shell } from 'electron';
import type { ApiHandlers, ApiParams } from '../../graph-schemas';
import { ApiError, GRAPH_FILE_FILTER } from '../../graph-schemas';

/** The desktop-only API methods: the ones that need Electron (dialogs, the file manager, the window). */
export type DesktopMethod =
  'dialogs.openFile' | 'dialogs.saveFile' | 'dialogs.chooseFolder' | 'shell.showItem' | 'app.documentState';
export type DesktopHandlers = Pick<ApiHandlers, DesktopMethod>;
export type DocumentState = ApiParams<'app.documentState'>;

export interface DesktopHandlerDeps {
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>;
  shell: Pick<Shell, 'showItemInFolder'>;
  /** The window the dialogs belong to (modal to it); null when it is gone. */
  window(): BrowserWindow | null;
  onDocumentState(state: DocumentState): void;
  /** Where dialogs start when the page gives no defaultPath. */
  documentsDir(): string;
  /** A native dialog starts (true) or ends (false): meanwhile the page waits on the user, not hung. */
  onDialog?(showing: boolean): void;
}

const ALL_FILES = { name: 'All files', extensions: ['*'] };

export function createDesktopHandlers(deps: DesktopHandlerDeps): DesktopHandlers {
  const showing = async <T>(show: () => Promise<T>): Promise<T> => {
    deps.onDialog?.(true);
    try {
      return await show();
    } finally {
      deps.onDialog?.(false);
    }
  };
  const open = (options: OpenDialogOptions) =>
    showing(() => {
      const win = deps.window();
      return win ? deps.dialog.showOpenDialog(win, options) : deps.dialog.showOpenDialog(options);
    });
  const save = (options: SaveDialogOptions) =>
    showing(() => {
      const win = deps.window();
      return win ? deps.dialog.showSaveDialog(win, options) : deps.dialog.showSaveDialog(options);
    });
  return {
    'dialogs.openFile': async ({ title, defaultPath, filters }) => {
      const result = await open({
        title: title ?? 'Open graph',
        defaultPath: defaultPath ?? deps.documentsDir(),
        filters: filters ?? [{ ...GRAPH_FILE_FILTER, extensions: [...GRAPH_FILE_FILTER.extensions] }, ALL_FILES],
        properties: ['openFile'],
      });
      return { path: result.canceled ? null : (result.filePaths[0] ?? null) };
    },
    'dialogs.saveFile': async ({ title, defaultPath, filters }) => {
      const result = await save({
        title: title ?? 'Save graph as',
        defaultPath: defaultPath ?? deps.documentsDir(),
        filters: filters ?? [{ ...GRAPH_FILE_FILTER, extensions: [...GRAPH_FILE_FILTER.extensions] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      return { path: result.canceled || !result.filePath ? null : result.filePath };
    },
    'dialogs.chooseFolder': async ({ title, defaultPath }) => {
      const result = await open({
        title: title ?? 'Choose a folder',
        defaultPath: defaultPath ?? deps.documentsDir(),
        properties: ['openDirectory', 'createDirectory'],
      });
      return { path: result.canceled ? null : (result.filePaths[0] ?? null) };
    },
    // Only reveals the item in the file manager: nothing the page names is ever opened or run.
    'shell.showItem': async ({ path }) => {
      const found = await stat(path).catch(() => null);
      if (!found)
        throw new ApiError(
          'not-found',
          `${path} does not exist (any more), so it cannot be shown in the file manager.`,
        );
      deps.shell.showItemInFolder(path);
      return {};
    },
    'app.documentState': (state) => {
      deps.onDocumentState(state);
      return {};
    },
  };
}
