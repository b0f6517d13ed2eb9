import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AtomicFs } from './fs-atomic';
import {
  appendJsonLine,
  appendLineDurable,
  nodeAtomicFs,
  readJsonFile,
  readJsonLines,
  writeFileAtomic,
} from './fs-atomic';

const dir = mkdtempSync(join(tmpdir(), 'sagan-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes strings, bytes and chunk streams, replacing the old content', async () => {
    const file = join(dir, 'a.txt');
    await writeFileAtomic(file, 'first');
    await writeFileAtomic(file, new TextEncoder().encode('second'));
    expect(readFileSync(file, 'utf8')).toBe('second');
    async function* chunks() {
      yield 'th';
      yield new Uint8Array([105, 114, 100]);
    }
    await writeFileAtomic(file, chunks());
    expect(readFileSync(file, 'utf8')).toBe('third');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves the old file intact and no temp file when the data fails mid-write', async () => {
    const file = join(dir, 'checkpoint.bin');
    writeFileSync(file, 'old, good content');
    async function* failing() {
      yield new Uint8Array(64 * 1024).fill(1); // part of the new file reaches the disk...
      throw new Error('disk full (simulated)'); // ...then the writer fails
    }
    await expect(writeFileAtomic(file, failing())).rejects.toThrow(/disk full/);
    expect(readFileSync(file, 'utf8')).toBe('old, good content');
    expect(readdirSync(dir).filter((f) => f.includes('checkpoint.bin') && f !== 'checkpoint.bin')).toEqual([]);
  });

  it('cleans up when the rename fails, and reports the error', async () => {
    const target = join(dir, 'is-a-folder');
    mkdirSync(target);
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect(readdirSync(dir).filter((f) => f.startsWith('.is-a-folder'))).toEqual([]);
    await expect(writeFileAtomic(join(dir, 'missing-dir', 'f.txt'), 'x')).rejects.toThrow(/ENOENT/);
  });

  it.skipIf(process.platform === 'win32')('keeps the permission bits of the file it replaces', async () => {
    const file = join(dir, 'private.json');
    writeFileSync(file, '{}');
    chmodSync(file, 0o600);
    await writeFileAtomic(file, '{"a":1}');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Bits wider than the umask allows survive too (a shared folder's group-writable file).
    chmodSync(file, 0o666);
    await writeFileAtomic(file, '{"a":2}');
    expect(statSync(file).mode & 0o777).toBe(0o666);
  });

  it('takes its file-system calls from the caller: a crash before the rename keeps the old file', async () => {
    const file = join(dir, 'graph.json');
    writeFileSync(file, 'saved before');
    const renames: string[] = [];
    const crashing: AtomicFs = {
      ...nodeAtomicFs,
      rename: async (from) => {
        renames.push(String(from));
        throw Object.assign(new Error('simulated crash before rename'), { code: 'EIO' });
      },
    };
    await expect(writeFileAtomic(file, 'new', { fs: crashing })).rejects.toThrow(/simulated crash/);
    expect(renames).toEqual([expect.stringMatching(/\/\.graph\.json\.[0-9a-f-]+\.tmp$/)]);
    expect(readFileSync(file, 'utf8')).toBe('saved before');
    expect(readdirSync(dir).filter((f) => f.startsWith('.graph.json'))).toEqual([]);
  });
});

describe('append and read JSON lines', () => {
  it('appends whole lines and reads them back, reporting a torn last line', async () => {
    const log = join(dir, 'metrics.jsonl');
    await appendJsonLine(log, { step: 1, loss: 0.5 });
    await appendLineDurable(log, JSON.stringify({ step: 2, loss: 0.25 }), { durable: false });
    writeFileSync(log, readFileSync(log, 'utf8') + '{"step": 3, "lo', { flag: 'w' });
    const read = await readJsonLines(log);
    expect(read).toEqual({
      ok: true,
      value: {
        records: [
          { step: 1, loss: 0.5 },
          { step: 2, loss: 0.25 },
        ],
        badLines: [3],
      },
    });
    await expect(appendLineDurable(log, 'two\nlines')).rejects.toThrow(/must not contain line breaks/);
    expect((await readJsonLines(join(dir, 'none.jsonl'))).ok).toBe(false);
  });
});

describe('readJsonFile', () => {
  const schema = z.object({ name: z.string(), steps: z.number().int() });

  it('returns the parsed value, checked against a schema when given', async () => {
    const file = join(dir, 'good.json');
    writeFileSync(file, '\ufeff{"name": "run", "steps": 3}');
    expect(await readJsonFile(file, schema)).toEqual({ ok: true, value: { name: 'run', steps: 3 } });
    expect(await readJsonFile(file)).toEqual({ ok: true, value: { name: 'run', steps: 3 } });
  });

  it('names the file and the problem when it is missing, not JSON, or not the expected shape', async () => {
    const missing = await readJsonFile(join(dir, 'nope.json'));
    expect(missing.ok || missing.error).toMatchObject({
      kind: 'missing',
      message: expect.stringContaining('nope.json does not exist'),
    });
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"name": ');
    const parsed = await readJsonFile(broken);
    expect(parsed.ok || parsed.error).toMatchObject({
      kind: 'invalid-json',
      path: broken,
      message: expect.stringMatching(/broken\.json is not valid JSON/),
    });
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, '{"name": 5, "steps": 1.5}');
    const checked = await readJsonFile(wrong, schema);
    expect(checked.ok || checked.error).toMatchObject({
      kind: 'invalid-content',
      message: expect.stringMatching(/wrong\.json does not hold what was expected: name: .*; steps: /),
    });
    const folder = await readJsonFile(dir);
    expect(folder.ok || folder.error).toMatchObject({
      kind: 'unreadable',
      message: expect.stringContaining(`Could not read ${dir}`),
    });
  });
});
