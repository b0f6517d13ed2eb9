import { openPath, save } from '../app/file-actions';
import type { Studio } from '../app/studio';
import { notify } from '../app/ui-store';
import { baseName, joinPath, withGraphExtension } from '../files/file-session';

/** Open and Save As through the operating system's own dialogs (desktop host only). */

function folderOf(path: string): string | null {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut > 0 ? path.slice(0, cut) : null;
}

/** Where a dialog starts: the open file's folder, the last folder used, or the documents folder. */
function startFolder(studio: Studio): string | undefined {
  const { file } = studio.editor.getState();
  const { lastFolder, host } = studio.ui.getState();
  return (file.path ? folderOf(file.path) : null) ?? lastFolder ?? host?.documentsDir;
}

function failed(studio: Studio, what: string, e: unknown): false {
  notify(studio.ui, 'error', `${what} failed: ${e instanceof Error ? e.message : String(e)}`);
  return false;
}

/** Shows the native open dialog, then opens the chosen graph (asking first about unsaved changes). */
export async function openWithNativeDialog(studio: Studio): Promise<boolean> {
  let chosen: string | null;
  try {
    const start = startFolder(studio);
    chosen = (await studio.api.dialogs.openFile({ title: 'Open graph', ...(start ? { defaultPath: start } : {}) }))
      .path;
  } catch (e) {
    return failed(studio, 'The open dialog', e);
  }
  if (!chosen) return false;
  const folder = folderOf(chosen);
  if (folder) studio.ui.setState({ lastFolder: folder });
  return openPath(studio, chosen);
}

/** The file name a save dialog suggests: the open file's, or the document's name made safe for a file name. */
export function suggestedFileName(studio: Studio): string {
  const { file, doc } = studio.editor.getState();
  if (file.path) return baseName(file.path);
  return withGraphExtension(doc.name.replace(/[\\/:*?"<>|]+/g, '-').trim() || 'untitled');
}

/**
 * Shows the native save dialog, then saves there. Graph files end in .sagan.json: a name without it gets it, and
 * since the dialog only asked about replacing the name as typed, a file at the corrected name is asked about again.
 */
export async function saveAsWithNativeDialog(studio: Studio): Promise<boolean> {
  const start = startFolder(studio);
  const separator = studio.ui.getState().host?.pathSeparator ?? '/';
  let chosen: string | null;
  try {
    chosen = (
      await studio.api.dialogs.saveFile({
        title: 'Save graph as',
        defaultPath: start ? joinPath(start, suggestedFileName(studio), separator) : suggestedFileName(studio),
      })
    ).path;
  } catch (e) {
    return failed(studio, 'The save dialog', e);
  }
  if (!chosen) return false;
  const folder = folderOf(chosen);
  const path = folder ? joinPath(folder, withGraphExtension(baseName(chosen)), separator) : withGraphExtension(chosen);
  if (folder) studio.ui.setState({ lastFolder: folder });
  return save(studio, { path, overwrite: path === chosen });
}

/** Save: to the open file, or (for a graph never saved) through the native save dialog. */
export function saveWithNativeDialog(studio: Studio): Promise<boolean> {
  return studio.editor.getState().file.path ? save(studio) : saveAsWithNativeDialog(studio);
}
