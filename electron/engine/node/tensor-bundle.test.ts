import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleBase, readTensorBundle, writeTensorBundle, type BundleTensor } from './tensor-bundle';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tensor-bundle-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sample(): Map<string, BundleTensor> {
  return new Map<string, BundleTensor>([
    [
      'G.lin.weight_orig',
      {
        dtype: 'float32',
        shape: [2, 3],
        data: Float32Array.from([1.5, -2, 0, -0, Number.NaN, Number.POSITIVE_INFINITY]),
      },
    ],
    ['labels', { dtype: 'int32', shape: [3], data: Int32Array.from([7, -1, 2147483647]) }],
    ['G.bn.num_batches_tracked', { dtype: 'int64', shape: [], data: Int32Array.from([-2147483648]) }],
    ['empty', { dtype: 'float32', shape: [0, 4], data: new Float32Array(0) }],
    ['scalar', { dtype: 'float32', shape: [], data: Float32Array.from([3.25]) }],
  ]);
}

const bytesOf = (a: Float32Array | Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

describe('tensor bundle', () => {
  it('reads back exactly what it wrote: dtypes, shapes, bits (NaN, -0, ±inf), order and meta', async () => {
    const path = join(dir, 'state');
    const meta = { seed: 3, note: 'x', nested: { a: [1, 2] } };
    const w = await writeTensorBundle(path, sample(), meta);
    expect(w).toEqual({ ok: true, value: undefined });
    const r = await readTensorBundle(`${path}.json`);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.meta).toEqual(meta);
    expect([...r.value.tensors.keys()]).toEqual([...sample().keys()]);
    for (const [name, t] of sample()) {
      const got = r.value.tensors.get(name)!;
      expect(got.dtype).toBe(t.dtype);
      expect(got.shape).toEqual(t.shape);
      expect(got.data.constructor).toBe(t.data.constructor);
      expect(bytesOf(got.data)).toEqual(bytesOf(t.data));
    }
  });

  it('lays tensors out little-endian at 4-byte offsets, int64 as 8 bytes, and leaves no temp files', async () => {
    const path = join(dir, 'b');
    expect((await writeTensorBundle(path, sample())).ok).toBe(true);
    const manifest = JSON.parse(await readFile(`${path}.json`, 'utf8'));
    expect(manifest.format).toBe('sagan-tensor-bundle');
    expect(manifest.version).toBe(1);
    expect(manifest).not.toHaveProperty('meta');
    const offsets = manifest.tensors.map((t: { offset: number; length: number }) => [t.offset, t.length]);
    expect(offsets).toEqual([
      [0, 24],
      [24, 12],
      [36, 8],
      [44, 0],
      [44, 4],
    ]);
    const bin = await readFile(`${path}.bin`);
    expect(bin.length).toBe(48);
    expect(bin.readFloatLE(0)).toBe(1.5);
    expect(bin.readInt32LE(32)).toBe(2147483647);
    expect(bin.readBigInt64LE(36)).toBe(-2147483648n);
    expect((await readdir(dir)).sort()).toEqual(['b.bin', 'b.json']);
  });

  it('overwrites an existing bundle, accepts a plain object and creates missing folders', async () => {
    const path = join(dir, 'deep', 'er', 'x.bin');
    expect((await writeTensorBundle(path, sample())).ok).toBe(true);
    const one = { only: { dtype: 'int32', shape: [1], data: Int32Array.from([5]) } } satisfies Record<
      string,
      BundleTensor
    >;
    expect((await writeTensorBundle(path, one, { v: 2 })).ok).toBe(true);
    const r = await readTensorBundle(bundleBase(path));
    if (!r.ok) throw new Error(r.error);
    expect([...r.value.tensors.keys()]).toEqual(['only']);
    expect(r.value.meta).toEqual({ v: 2 });
  });

  it('refuses to write inconsistent tensors, naming the tensor', async () => {
    const path = join(dir, 'bad');
    const wrongLength = await writeTensorBundle(path, {
      w: { dtype: 'float32', shape: [2, 2], data: new Float32Array(3) },
    });
    expect(wrongLength).toEqual({
      ok: false,
      error: expect.stringMatching(/"w" has 3 elements but shape \[2, 2\] needs 4/),
    });
    const wrongArray = await writeTensorBundle(path, { y: { dtype: 'int64', shape: [1], data: new Float32Array(1) } });
    expect(wrongArray).toEqual({
      ok: false,
      error: expect.stringMatching(/"y" is int64 but its data is a Float32Array; use Int32Array/),
    });
    const wrongDtype = await writeTensorBundle(path, {
      z: { dtype: 'float64' as 'float32', shape: [1], data: new Float32Array(1) },
    });
    expect(wrongDtype.ok).toBe(false);
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  it('reports a missing file, bad JSON, a foreign format and a newer version by file name', async () => {
    const base = join(dir, 'm');
    const missing = await readTensorBundle(base);
    expect(missing).toEqual({ ok: false, error: expect.stringContaining(`${base}.json cannot be read (ENOENT)`) });
    await writeFile(`${base}.json`, '{ not json');
    expect(await readTensorBundle(base)).toEqual({
      ok: false,
      error: expect.stringMatching(/m\.json is not valid JSON/),
    });
    await writeFile(`${base}.json`, JSON.stringify({ format: 'safetensors', version: 1, tensors: [] }));
    expect(await readTensorBundle(base)).toEqual({
      ok: false,
      error: expect.stringMatching(/is not a sagan-tensor-bundle manifest/),
    });
    await writeFile(`${base}.json`, JSON.stringify({ format: 'sagan-tensor-bundle', version: 2, tensors: [] }));
    expect(await readTensorBundle(base)).toEqual({
      ok: false,
      error: expect.stringMatching(/has version 2; this reader understands version 1/),
    });
    await writeFile(`${base}.json`, JSON.stringify({ format: 'sagan-tensor-bundle', version: 1, tensors: [] }));
    expect(await readTensorBundle(base)).toEqual({
      ok: false,
      error: expect.stringContaining(`${base}.bin cannot be read (ENOENT)`),
    });
  });

  it('rejects entries that do not match the data file', async () => {
    const base = join(dir, 'e');
    await writeFile(`${base}.bin`, new Uint8Array(16));
    const entry = (e: object) =>
      JSON.stringify({
        format: 'sagan-tensor-bundle',
        version: 1,
        tensors: [{ name: 'w', dtype: 'float32', shape: [4], offset: 0, length: 16, ...e }],
      });
    const cases: [object, RegExp][] = [
      [{ shape: [5], length: 20 }, /tensor #0 \("w"\) ends at byte 20 but the \.bin file has only 16 bytes/],
      [{ length: 12 }, /length 12 bytes does not match shape \[4\] of float32 \(16 bytes\)/],
      [{ offset: 2, shape: [1], length: 4 }, /offset 2 is not 4-byte aligned/],
      [{ dtype: 'float16' }, /dtype "float16"/],
      [{ shape: [-1] }, /shape must be a list of non-negative integers/],
      [{ name: '' }, /has no name/],
    ];
    for (const [patch, message] of cases) {
      await writeFile(`${base}.json`, entry(patch));
      const r = await readTensorBundle(base);
      expect(r.ok ? 'ok' : r.error).toMatch(message);
    }
  });

  it('refuses an int64 value outside the int32 range rather than wrapping it', async () => {
    const base = join(dir, 'big');
    const bin = Buffer.alloc(16);
    bin.writeBigInt64LE(1n, 0);
    bin.writeBigInt64LE(2n ** 40n, 8);
    await writeFile(`${base}.bin`, bin);
    await writeFile(
      `${base}.json`,
      JSON.stringify({
        format: 'sagan-tensor-bundle',
        version: 1,
        tensors: [{ name: 'n', dtype: 'int64', shape: [2], offset: 0, length: 16 }],
      }),
    );
    const r = await readTensorBundle(base);
    expect(r.ok ? 'ok' : r.error).toMatch(/"n" \(int64\) holds 1099511627776 at element 1, outside the int32 range/);
  });
});
