import { randomUUID } from 'node:crypto';
import { appendFile, open, readFile, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Result } from '../../../graph-schemas/result';

/** What `writeFileAtomic` accepts: whole data, or chunks (streamed, so large files need not sit in memory). */
export type AtomicData = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/**
 * Writes a file so that readers, and the file after a crash, hold either the old or the new content, never a
 * torn mix: a uniquely named temp file in the same folder (same file system, so the rename is atomic), fsync,
 * rename over the target, then fsync the folder where the platform allows. On any failure the temp file is
 * removed and the old file is left as it was. An existing file's permission bits are kept.
 */
export async function writeFileAtomic(path: string, data: AtomicData): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomUUID().slice(0, 13)}.tmp`);
  const mode = await stat(path).then(
    (s) => s.mode & 0o777,
    () => 0o666,
  );
  let handle;
  try {
    handle = await open(tmp, 'wx', mode);
    await writeChunks(handle, data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await renameWithRetry(tmp, path);
  } catch (e) {
    await handle?.close().catch(() => {});
    await rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
  await syncDirectory(dirname(path));
}

async function writeChunks(handle: FileHandle, data: AtomicData): Promise<void> {
  const chunks = typeof data === 'string' || data instanceof Uint8Array ? [data] : data;
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    // write() may write less than asked; keep going until the chunk is out.
    for (let done = 0; done < bytes.length;)
      done += (await handle.write(bytes, done, bytes.length - done)).bytesWritten;
  }
}

/** Windows refuses a rename for a moment while a virus scanner or indexer holds the target; retry briefly. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await rename(from, to);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (process.platform !== 'win32' || attempt >= 8 || !['EPERM', 'EACCES', 'EBUSY'].includes(code ?? '')) throw e;
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
}

/** Makes a rename in `dir` durable. Directories cannot be opened for fsync on Windows; the rename is still atomic. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    await handle.sync().catch(() => {});
    await handle.close();
  } catch {
    // Not supported on this platform.
  }
}

/**
 * Appends one line (a newline is added) to a log such as metrics.jsonl. The line goes out in a single write,
 * so concurrent readers see whole lines; with `durable` (the default) it is fsynced before returning.
 */
export async function appendLineDurable(
  path: string,
  line: string,
  { durable = true }: { durable?: boolean } = {},
): Promise<void> {
  if (/[\r\n]/.test(line)) throw new Error(`A log line for ${path} must not contain line breaks.`);
  if (!durable) return appendFile(path, `${line}\n`);
  const handle = await open(path, 'a');
  try {
    await handle.write(`${line}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Appends a JSON value as one line of a .jsonl log (see `appendLineDurable`). */
export const appendJsonLine = (path: string, value: unknown, options?: { durable?: boolean }): Promise<void> =>
  appendLineDurable(path, JSON.stringify(value), options);

/** Why a JSON file could not be read; `message` names the file and what to do. */
export interface JsonFileError {
  kind: 'missing' | 'unreadable' | 'invalid-json' | 'invalid-content';
  path: string;
  message: string;
}

/** The part of a zod schema `readJsonFile` uses (zod 4 schemas fit). */
export interface JsonSchema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** Reads and parses a JSON file, optionally checked against a schema; never throws. */
export async function readJsonFile<T = unknown>(
  path: string,
  schema?: JsonSchema<T>,
): Promise<Result<T, JsonFileError>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, error: { kind: 'missing', path, message: `${path} does not exist.` } };
    return {
      ok: false,
      error: {
        kind: 'unreadable',
        path,
        message: `Could not read ${path}: ${(e as Error).message}. Check that it is a file you may read.`,
      },
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return {
      ok: false,
      error: {
        kind: 'invalid-json',
        path,
        message: `${path} is not valid JSON (${(e as Error).message}). It may be damaged; restore it from a backup or delete it.`,
      },
    };
  }
  if (!schema) return { ok: true, value: value as T };
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(top level)'}: ${i.message}`);
  const more = parsed.error.issues.length > 3 ? ` (and ${parsed.error.issues.length - 3} more)` : '';
  return {
    ok: false,
    error: {
      kind: 'invalid-content',
      path,
      message: `${path} does not hold what was expected: ${issues.join('; ')}${more}.`,
    },
  };
}

/**
 * Reads a .jsonl log. A line that does not parse (typically the last one, torn by a crash mid-append) is
 * reported in `badLines` (1-based) rather than failing the whole read.
 */
export async function readJsonLines(
  path: string,
): Promise<Result<{ records: unknown[]; badLines: number[] }, JsonFileError>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, error: { kind: 'missing', path, message: `${path} does not exist.` } };
    return {
      ok: false,
      error: { kind: 'unreadable', path, message: `Could not read ${path}: ${(e as Error).message}.` },
    };
  }
  const records: unknown[] = [];
  const badLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line));
    } catch {
      badLines.push(i + 1);
    }
  });
  return { ok: true, value: { records, badLines } };
}
