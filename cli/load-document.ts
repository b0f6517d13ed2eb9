import { readFile } from 'node:fs/promises';
import { findPreset, parseGraphJson, presets } from '../graph-schemas';
import type { GraphDocument } from '../graph-schemas';
import { UsageError } from './io';

export type DocumentSource = { file: string } | { preset: string };

/** Loads a graph from a file or a preset; a bad file gives one clear message naming it, never a stack trace. */
export async function loadDocument(
  source: DocumentSource,
): Promise<{ ok: true; doc: GraphDocument; notes: string[] } | { ok: false; message: string; details: string[] }> {
  if ('preset' in source) {
    const preset = findPreset(source.preset);
    if (!preset)
      throw new UsageError(`Unknown preset "${source.preset}". Presets: ${presets.map((p) => p.name).join(', ')}.`);
    return { ok: true, doc: preset.build(), notes: [] };
  }
  let text: string;
  try {
    text = await readFile(source.file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : (e as Error).message;
    return { ok: false, message: `Cannot read ${source.file}: ${why}.`, details: [] };
  }
  const loaded = parseGraphJson(text, source.file);
  if (!loaded.ok) {
    return {
      ok: false,
      message: `${source.file}: ${loaded.error.message}`,
      details: loaded.error.issues.map((i) => `${i.path || '(document)'}: ${i.message}`),
    };
  }
  return { ok: true, doc: loaded.value.doc, notes: loaded.value.migrated };
}

/** `FILE` or `--preset NAME`, exactly one. */
export function documentSource(positional: string[], preset: string | undefined): DocumentSource {
  if (preset !== undefined && positional.length > 0)
    throw new UsageError('Give either a FILE or --preset NAME, not both.');
  if (preset !== undefined) return { preset };
  if (positional.length !== 1) throw new UsageError('Give one graph FILE or --preset NAME.');
  return { file: positional[0]! };
}
