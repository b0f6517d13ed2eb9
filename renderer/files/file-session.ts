import type { GraphDocument, RecoverySnapshot, StudioApi } from '../../graph-schemas';
import { ApiError, loadGraph, parseGraphJson } from '../../graph-schemas';
import type { EditorStore } from '../store/document-store';
import { blankDocument } from './blank-document';

export const GRAPH_EXTENSION = '.sagan.json';

/** What the user is told after a file operation: one message, perhaps with details (the issues of a broken file). */
export interface Outcome {
  ok: boolean;
  level: 'success' | 'info' | 'warning' | 'error';
  message: string;
  details?: string[];
  /** The host's error code, so the caller can ask "replace it?" on `exists` or "overwrite?" on `conflict`. */
  code?: ApiError['code'];
  /** The document has no file yet: the caller asks where to save it. */
  needsPath?: boolean;
}

export interface FileSession {
  api: StudioApi;
  editor: EditorStore;
}

/** How documents are written: stable key order (the document's own), two-space indent, final newline. */
export function serializeDocument(doc: GraphDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

export function joinPath(folder: string, name: string, separator: '/' | '\\' = '/'): string {
  return folder.endsWith(separator) ? `${folder}${name}` : `${folder}${separator}${name}`;
}

/** "my gan" → "my gan.sagan.json"; keeps a name that already ends in .sagan.json (or .json). */
export function withGraphExtension(name: string): string {
  const trimmed = name.trim();
  if (trimmed.endsWith(GRAPH_EXTENSION)) return trimmed;
  return `${trimmed.replace(/\.json$/i, '')}${GRAPH_EXTENSION}`;
}

/** The name shown in the title bar: the file's, or the document's own while it has no file. */
export function displayName(editor: EditorStore): string {
  const { file, doc } = editor.getState();
  return file.path ? baseName(file.path) : doc.name;
}

/** Reads and loads a graph file; on any failure the open document stays exactly as it was. */
export async function openFile(session: FileSession, path: string): Promise<Outcome> {
  const name = baseName(path);
  let content;
  try {
    content = await session.api.files.read({ path });
  } catch (e) {
    return failure(e, `Could not open ${name}`);
  }
  const loaded = parseGraphJson(content.text, name);
  if (!loaded.ok) {
    return {
      ok: false,
      level: 'error',
      message: `Could not open ${name}: ${loaded.error.message} Your open graph was not changed.`,
      details: loaded.error.issues.slice(0, 8).map((i) => `${i.path || 'document'}: ${i.message}`),
    };
  }
  const { doc, migrated } = loaded.value;
  session.editor.getState().load(doc, { path: content.path, mtimeMs: content.mtimeMs }, migrated.length === 0);
  await session.api.files.addRecent({ path: content.path }).catch(() => undefined);
  if (migrated.length > 0) {
    return {
      ok: true,
      level: 'warning',
      message: `${name} was made by an older SAGAN Studio and has been updated to the current format. Save it to keep the update; the file on disk is unchanged until then.`,
      details: migrated,
    };
  }
  return { ok: true, level: 'success', message: `Opened ${name}.` };
}

/**
 * Saves to `path` (save as) or to the open file. Without a path and without a file, says so (the caller
 * shows the save dialog). A file changed on disk since it was opened is not overwritten unless `force`.
 */
export async function saveDocument(
  session: FileSession,
  opts: { path?: string; overwrite?: boolean; force?: boolean } = {},
): Promise<Outcome> {
  const { doc, file } = session.editor.getState();
  const path = opts.path ?? file.path;
  if (!path) return { ok: false, level: 'info', message: 'Choose where to save this graph.', needsPath: true };
  const samePath = path === file.path;
  const expectedMtimeMs = samePath && !opts.force && file.mtimeMs !== null ? file.mtimeMs : undefined;
  let written;
  try {
    written = await session.api.files.write({
      path,
      text: serializeDocument(doc),
      overwrite: samePath || opts.overwrite === true,
      ...(expectedMtimeMs !== undefined ? { expectedMtimeMs } : {}),
    });
  } catch (e) {
    return failure(e, `Could not save ${baseName(path)}`);
  }
  session.editor.getState().markSaved(doc, { path: written.path, mtimeMs: written.mtimeMs });
  await Promise.all([
    session.api.files.addRecent({ path: written.path }).catch(() => undefined),
    session.api.recovery.clear().catch(() => undefined),
  ]);
  return { ok: true, level: 'success', message: `Saved ${baseName(written.path)}.` };
}

/** Starts a new document from a preset (or a blank one) through the host, as if opening a file. */
export async function newFromPreset(session: FileSession, presetName: string | null): Promise<Outcome> {
  if (presetName === null) {
    session.editor.getState().load(blankDocument(), { path: null, mtimeMs: null }, true);
    return {
      ok: true,
      level: 'info',
      message: 'New blank graph: drag blocks from the palette into the generator and the discriminator.',
    };
  }
  let raw: unknown;
  try {
    raw = await session.api.presets.get({ name: presetName });
  } catch (e) {
    return failure(e, `Could not load the preset ${presetName}`);
  }
  const loaded = loadGraph(raw);
  if (!loaded.ok)
    return {
      ok: false,
      level: 'error',
      message: `The preset ${presetName} could not be loaded: ${loaded.error.message}`,
    };
  session.editor.getState().load(loaded.value.doc, { path: null, mtimeMs: null }, true);
  return {
    ok: true,
    level: 'success',
    message: `New graph from the ${loaded.value.doc.name} preset. Save it to keep your changes.`,
  };
}

/** Restores an autosaved snapshot; it stays unsaved (dirty) until the user saves it. */
export function restoreSnapshot(session: FileSession, snapshot: RecoverySnapshot): Outcome {
  const loaded = parseGraphJson(snapshot.text, 'the recovered graph');
  if (!loaded.ok)
    return { ok: false, level: 'error', message: `The recovered graph could not be read: ${loaded.error.message}` };
  session.editor.getState().load(loaded.value.doc, { path: snapshot.path, mtimeMs: null }, false);
  return {
    ok: true,
    level: 'success',
    message: `Restored ${snapshot.name} as it was at ${new Date(snapshot.savedAt).toLocaleString()}. Save it to keep it.`,
  };
}

function failure(e: unknown, what: string): Outcome {
  if (e instanceof ApiError) return { ok: false, level: 'error', message: `${what}: ${e.message}`, code: e.code };
  return { ok: false, level: 'error', message: `${what}: ${e instanceof Error ? e.message : String(e)}` };
}
