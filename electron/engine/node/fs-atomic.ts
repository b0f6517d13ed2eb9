import { randomUUID } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { appendFile, open, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Result } from '../../../graph-schemas/result';

/** What `writeFileAtomic` accepts: whole data, or chunks (streamed, so large files need not sit in memory). */
export type AtomicData = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/**
 * The file-system calls `writeFileAtomic` makes. Tests pass one whose rename or open fails to check what a crash
 * between write and rename leaves behind (the host's save and state-file tests do).
 */
export type AtomicFs = Pick<typeof nodeFs, 'open' | 'rename' | 'unlink' | 'stat' | 'chmod'>;

export const nodeAtomicFs: AtomicFs = {
  open: nodeFs.open,
  rename: nodeFs.rename,
  unlink: nodeFs.unlink,
  stat: nodeFs.stat,
  chmod: nodeFs.chmod,
};

/**
 * Writes a file so that readers, and the file after a crash, hold either the old or the new content, never a
 * torn mix: a uniquely named temp file in the same folder (same file system, so the rename is atomic), fsync,
 * rename over the target, then fsync the folder where the platform allows. On any failure the temp file is
 * removed and the old file is left as it was. An existing file's permission bits are kept (umask does not
 * narrow them).
 */
export async function writeFileAtomic(
  path: string,
  data: AtomicData,
  { fs = nodeAtomicFs }: { fs?: AtomicFs } = {},
): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomUUID().slice(0, 13)}.tmp`);
  const mode = await fs.stat(path).then(
    (s) => s.mode & 0o7777,
    () => undefined,
  );
  let handle: FileHandle | undefined;
  try {
    // Created no more open than the file it replaces, then given exactly its bits.
    handle = await fs.open(tmp, 'wx', mode ?? 0o666);
    await writeChunks(handle, data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (mode !== undefined) await fs.chmod(tmp, mode);
    await renameWithRetry(fs, tmp, path);
  } catch (e) {
    await handle?.close().catch(() => {});
    await fs.unlink(tmp).catch(() => {});
    throw e;
  }
  await syncDirectory(fs, dirname(path));
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
async function renameWithRetry(fs: AtomicFs, from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fs.rename(from, to);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (process.platform !== 'win32' || attempt >= 8 || !['EPERM', 'EACCES', 'EBUSY'].includes(code ?? '')) throw e;
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
}

/** Makes a rename in `dir` durable. Directories cannot be opened for fsync on Windows; the rename is still atomic. */
async function syncDirectory(fs: AtomicFs, dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    await handle.sync().catch(() => {});
    await handle.close();
  } catch {
    // Not supported on this platform; the new content is already in place.
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
