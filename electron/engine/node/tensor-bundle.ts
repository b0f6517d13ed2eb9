import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { endianness } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { err, ok, type Result } from '../../../graph-schemas';

/**
 * SAGAN tensor bundle: the tensor-exchange format between the engine and PyTorch (parity tests, import/export).
 * A bundle NAME is a file pair:
 *   NAME.json  { format: 'sagan-tensor-bundle', version: 1, tensors: [{ name, dtype, shape, offset, length }], meta? }
 *              (offset and length in bytes into NAME.bin)
 *   NAME.bin   the tensors' elements, row-major, little-endian, concatenated in manifest order, 4-byte aligned.
 * The Python twin is electron/engine/parity/tensor_bundle.py; both write byte-identical .bin files.
 */
export const TENSOR_BUNDLE_FORMAT = 'sagan-tensor-bundle';
export const TENSOR_BUNDLE_VERSION = 1;

export type TensorDtype = 'float32' | 'int32' | 'int64';

/** float32 data is a Float32Array; int32 and int64 data are Int32Array (int64 values must fit in int32). */
export interface BundleTensor {
  dtype: TensorDtype;
  shape: number[];
  data: Float32Array | Int32Array;
}

export type BundleMeta = Record<string, unknown>;

export interface TensorBundle {
  tensors: Map<string, BundleTensor>;
  meta: BundleMeta;
}

interface ManifestEntry {
  name: string;
  dtype: TensorDtype;
  shape: number[];
  offset: number;
  length: number;
}

const ITEM_SIZE: Record<TensorDtype, number> = { float32: 4, int32: 4, int64: 8 };
const ALIGN = 4;
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** NAME, NAME.json and NAME.bin all name the bundle NAME. */
export function bundleBase(path: string): string {
  return path.replace(/\.(json|bin)$/, '');
}

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Checks one manifest entry; returns an error message naming the file and the tensor, or null. */
function checkEntry(
  e: unknown,
  index: number,
  seen: ReadonlyMap<string, unknown>,
  binBytes: number,
  file: string,
): string | null {
  const entry = e as Partial<ManifestEntry> | null;
  const where = `${file}: tensor #${index} (${JSON.stringify(entry?.name ?? null)})`;
  if (typeof entry !== 'object' || entry === null || typeof entry.name !== 'string' || entry.name === '')
    return `${where} has no name`;
  if (seen.has(entry.name)) return `${where}: the name appears twice`;
  if (entry.dtype !== 'float32' && entry.dtype !== 'int32' && entry.dtype !== 'int64')
    return `${where} has dtype ${JSON.stringify(entry.dtype)}; expected float32, int32 or int64`;
  if (!Array.isArray(entry.shape) || !entry.shape.every(isCount))
    return `${where}: shape must be a list of non-negative integers`;
  if (!isCount(entry.offset) || !isCount(entry.length))
    return `${where}: offset and length must be non-negative integers (bytes)`;
  if (entry.offset % ALIGN !== 0) return `${where}: offset ${entry.offset} is not ${ALIGN}-byte aligned`;
  const expected = numel(entry.shape) * ITEM_SIZE[entry.dtype];
  if (entry.length !== expected)
    return `${where}: length ${entry.length} bytes does not match shape [${entry.shape.join(', ')}] of ${entry.dtype} (${expected} bytes)`;
  if (entry.offset + entry.length > binBytes)
    return `${where} ends at byte ${entry.offset + entry.length} but the .bin file has only ${binBytes} bytes; the pair is incomplete or mismatched`;
  return null;
}

/** Copies `length` bytes at `offset` into a fresh, aligned buffer in host byte order. */
function hostOrderCopy(bin: Uint8Array, offset: number, length: number, itemSize: number): ArrayBuffer {
  const bytes = new Uint8Array(length); // a copy: Buffer.slice would be a view into a shared, unaligned buffer
  bytes.set(bin.subarray(offset, offset + length));
  if (!LITTLE_ENDIAN_HOST) for (let i = 0; i < bytes.length; i += itemSize) bytes.subarray(i, i + itemSize).reverse();
  return bytes.buffer;
}

function decode(entry: ManifestEntry, bin: Uint8Array): Result<BundleTensor, string> {
  const buffer = hostOrderCopy(bin, entry.offset, entry.length, ITEM_SIZE[entry.dtype]);
  if (entry.dtype === 'float32')
    return ok({ dtype: 'float32', shape: [...entry.shape], data: new Float32Array(buffer) });
  if (entry.dtype === 'int32') return ok({ dtype: 'int32', shape: [...entry.shape], data: new Int32Array(buffer) });
  const wide = new BigInt64Array(buffer);
  const data = new Int32Array(wide.length);
  for (let i = 0; i < wide.length; i++) {
    const v = wide[i]!;
    if (v > 2147483647n || v < -2147483648n)
      return err(
        `tensor "${entry.name}" (int64) holds ${v} at element ${i}, outside the int32 range this reader returns`,
      );
    data[i] = Number(v);
  }
  return ok({ dtype: 'int64', shape: [...entry.shape], data });
}

/** Reads a bundle (path: NAME, NAME.json or NAME.bin). Never throws: errors name the file and the tensor. */
export async function readTensorBundle(path: string): Promise<Result<TensorBundle, string>> {
  const base = bundleBase(path);
  const jsonPath = `${base}.json`;
  const binPath = `${base}.bin`;
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (e) {
    const reason =
      e instanceof SyntaxError
        ? `is not valid JSON (${e.message})`
        : `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
    return err(`Tensor bundle manifest ${jsonPath} ${reason}.`);
  }
  const m = manifest as { format?: unknown; version?: unknown; tensors?: unknown; meta?: unknown } | null;
  if (typeof m !== 'object' || m === null || m.format !== TENSOR_BUNDLE_FORMAT)
    return err(`${jsonPath} is not a ${TENSOR_BUNDLE_FORMAT} manifest (its "format" field is missing or different).`);
  if (m.version !== TENSOR_BUNDLE_VERSION)
    return err(
      `${jsonPath} has version ${JSON.stringify(m.version)}; this reader understands version ${TENSOR_BUNDLE_VERSION}.`,
    );
  if (!Array.isArray(m.tensors)) return err(`${jsonPath}: "tensors" must be a list.`);
  if (m.meta !== undefined && (typeof m.meta !== 'object' || m.meta === null || Array.isArray(m.meta)))
    return err(`${jsonPath}: "meta" must be an object.`);
  let bin: Uint8Array;
  try {
    bin = await readFile(binPath);
  } catch (e) {
    return err(`Tensor bundle data ${binPath} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
  }
  const tensors = new Map<string, BundleTensor>();
  for (const [i, e] of (m.tensors as unknown[]).entries()) {
    const problem = checkEntry(e, i, tensors, bin.length, jsonPath);
    if (problem) return err(problem);
    const t = decode(e as ManifestEntry, bin);
    if (!t.ok) return err(`${jsonPath}: ${t.error}`);
    tensors.set((e as ManifestEntry).name, t.value);
  }
  return ok({ tensors, meta: (m.meta ?? {}) as BundleMeta });
}

/** Checks a tensor before writing; returns an error message or null. */
function checkTensor(name: string, t: BundleTensor): string | null {
  if (name === '') return 'a tensor has an empty name';
  if (!(t.dtype in ITEM_SIZE))
    return `tensor "${name}" has dtype ${JSON.stringify(t.dtype)}; expected float32, int32 or int64`;
  if (!t.shape.every((d) => isCount(d)))
    return `tensor "${name}" has shape [${t.shape.join(', ')}]; dimensions must be non-negative integers`;
  const wantArray = t.dtype === 'float32' ? Float32Array : Int32Array;
  if (!(t.data instanceof wantArray))
    return `tensor "${name}" is ${t.dtype} but its data is a ${t.data.constructor.name}; use ${wantArray.name}`;
  if (t.data.length !== numel(t.shape))
    return `tensor "${name}" has ${t.data.length} elements but shape [${t.shape.join(', ')}] needs ${numel(t.shape)}`;
  return null;
}

function encode(t: BundleTensor): Uint8Array {
  let bytes: Uint8Array;
  if (t.dtype === 'int64') {
    const wide = new BigInt64Array(t.data.length);
    for (let i = 0; i < t.data.length; i++) wide[i] = BigInt(t.data[i]!);
    bytes = new Uint8Array(wide.buffer);
  } else {
    bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice();
  }
  const itemSize = ITEM_SIZE[t.dtype];
  if (!LITTLE_ENDIAN_HOST) for (let i = 0; i < bytes.length; i += itemSize) bytes.subarray(i, i + itemSize).reverse();
  return bytes;
}

/** The manifest with one tensor per line (same layout as the Python writer). */
function manifestText(entries: ManifestEntry[], meta: BundleMeta | undefined): string {
  const body = entries.map((e) => JSON.stringify(e)).join(',\n');
  const head = `{"format":${JSON.stringify(TENSOR_BUNDLE_FORMAT)},"version":${TENSOR_BUNDLE_VERSION},"tensors":[`;
  return `${head}${entries.length ? `\n${body}\n` : ''}]${meta === undefined ? '' : `,"meta":${JSON.stringify(meta)}`}}\n`;
}

async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Writes a bundle (path: NAME, NAME.json or NAME.bin), tensors in iteration order. Each file goes to a temp file
 * first and is then renamed; the data file is renamed before the manifest, so a manifest never points past its data.
 */
export async function writeTensorBundle(
  path: string,
  tensors: Map<string, BundleTensor> | Record<string, BundleTensor>,
  meta?: BundleMeta,
): Promise<Result<void, string>> {
  const base = bundleBase(path);
  const list = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const entries: ManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of list) {
    const problem = checkTensor(name, t);
    if (problem) return err(`Cannot write tensor bundle ${base}: ${problem}.`);
    const pad = (ALIGN - (offset % ALIGN)) % ALIGN;
    if (pad) chunks.push(new Uint8Array(pad));
    offset += pad;
    const bytes = encode(t);
    entries.push({ name, dtype: t.dtype, shape: [...t.shape], offset, length: bytes.length });
    chunks.push(bytes);
    offset += bytes.length;
  }
  let text: string;
  try {
    text = manifestText(entries, meta);
  } catch (e) {
    return err(`Cannot write tensor bundle ${base}: its meta is not JSON-serialisable (${String(e)}).`);
  }
  try {
    await mkdir(dirname(base), { recursive: true });
    await writeAtomic(`${base}.bin`, Buffer.concat(chunks));
    await writeAtomic(`${base}.json`, text);
  } catch (e) {
    return err(`Cannot write tensor bundle ${base}: ${e instanceof Error ? e.message : String(e)}.`);
  }
  return ok(undefined);
}
