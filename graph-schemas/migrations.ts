import { GRAPH_DOCUMENT_VERSION } from './document';

/**
 * Migrations of the whole document, one per version step. Never edit a shipped migration: add the next one,
 * bump GRAPH_DOCUMENT_VERSION, and add a fixture of the old file under fixtures/ with a test.
 */
export interface DocumentMigration {
  from: number;
  description: string;
  migrate(doc: Record<string, unknown>): Record<string, unknown>;
}

export const documentMigrations: readonly DocumentMigration[] = [
  {
    from: 1,
    description: 'composite blocks: the document now holds its own block types ("blocks", none yet)',
    migrate: (doc) => ({ ...doc, blocks: [] }),
  },
];

export type MigrationOutcome =
  { ok: true; doc: Record<string, unknown>; from: number; applied: string[] } | { ok: false; message: string };

/** Brings a raw document of any known version up to `target`, step by step. */
export function migrateDocument(
  raw: Record<string, unknown>,
  migrations: readonly DocumentMigration[] = documentMigrations,
  target: number = GRAPH_DOCUMENT_VERSION,
): MigrationOutcome {
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return {
      ok: false,
      message: `The file has no valid "version" (found ${JSON.stringify(version)}); it may not be a SAGAN Studio graph.`,
    };
  }
  if (version > target) {
    return {
      ok: false,
      message: `The file is version ${version}, newer than this SAGAN Studio understands (up to ${target}). Update SAGAN Studio to open it.`,
    };
  }
  let doc = raw;
  const applied: string[] = [];
  for (let v = version; v < target; v++) {
    const step = migrations.find((m) => m.from === v);
    if (!step) return { ok: false, message: `No migration from version ${v} to ${v + 1} is known.` };
    doc = { ...step.migrate(cloneJson(doc)), version: v + 1 };
    applied.push(step.description);
  }
  return { ok: true, doc, from: version, applied };
}

/** Deep copy of JSON data (documents are plain JSON), so a migration never mutates its input. */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
