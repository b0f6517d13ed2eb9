import { endianness } from 'node:os';
import { inflateRawSync } from 'node:zlib';
import type { TorchArray } from '../../core/metrics/inception';
import { PickleGlobal, unpickle } from './pickle';

/**
 * Reads the float tensors of a PyTorch state dict saved with torch.save, in either format: the zip archive
 * (torch ≥ 1.6: `…/data.pkl` plus one `…/data/<key>` entry per storage) or the legacy stream (a run of pickles —
 * magic number, protocol, system info, the object, the storage keys — then each storage as an int64 element
 * count and its bytes). Nothing in the file is executed: globals are only compared with the few torch uses.
 * Float64 and float16 tensors are converted to float32; integer tensors (e.g. num_batches_tracked) are skipped.
 */
export function readTorchStateDict(bytes: Uint8Array, file: string): Map<string, TorchArray> {
  try {
    return isZip(bytes) ? readZipFormat(bytes) : readLegacyFormat(bytes);
  } catch (e) {
    throw new Error(`${file} is not a PyTorch state dict this app can read: ${(e as Error).message}.`);
  }
}

type Dtype = 'float32' | 'float64' | 'float16' | 'other';
const STORAGE_DTYPES: Record<string, Dtype> = {
  'torch.FloatStorage': 'float32',
  'torch.DoubleStorage': 'float64',
  'torch.HalfStorage': 'float16',
};
const ELEMENT_SIZE: Record<string, number> = {
  'torch.FloatStorage': 4,
  'torch.DoubleStorage': 8,
  'torch.HalfStorage': 2,
  'torch.LongStorage': 8,
  'torch.IntStorage': 4,
  'torch.ShortStorage': 2,
  'torch.CharStorage': 1,
  'torch.ByteStorage': 1,
  'torch.BoolStorage': 1,
  'torch.BFloat16Storage': 2,
};

interface StorageRef {
  type: string;
  key: string;
  numel: number;
  bytes?: Uint8Array;
}

interface TensorRef {
  storage: StorageRef;
  offset: number;
  size: number[];
  stride: number[];
}

function hooks(storages: Map<string, StorageRef>) {
  return {
    persistentLoad(pid: unknown): StorageRef {
      if (!Array.isArray(pid) || pid[0] !== 'storage' || !(pid[1] instanceof PickleGlobal))
        throw new Error('a persistent id that is not a torch storage');
      const type = pid[1].name;
      const key = String(pid[2]);
      const numel = Number(pid[4]);
      if (!(type in ELEMENT_SIZE)) throw new Error(`unknown storage type ${type}`);
      const known = storages.get(key);
      if (known) return known;
      const ref = { type, key, numel };
      storages.set(key, ref);
      return ref;
    },
    reduce(callable: unknown, args: unknown[]): unknown {
      const name = callable instanceof PickleGlobal ? callable.name : '?';
      if (name === 'collections.OrderedDict') return new Map();
      if (name === 'torch._utils._rebuild_tensor_v2' || name === 'torch._utils._rebuild_tensor') {
        const [storage, offset, size, stride] = args as [StorageRef, number, number[], number[]];
        return { storage, offset, size: [...size], stride: [...stride] } satisfies TensorRef;
      }
      if (name === 'torch._utils._rebuild_parameter') return args[0];
      throw new Error(`it calls ${name}, which a state dict does not need`);
    },
  };
}

function collect(root: unknown): Map<string, TorchArray> {
  let dict = root;
  if (dict instanceof Map && dict.get('state_dict') instanceof Map) dict = dict.get('state_dict'); // {state_dict: …}
  if (!(dict instanceof Map)) throw new Error('it holds no dictionary of tensors');
  const out = new Map<string, TorchArray>();
  for (const [key, value] of dict) {
    const t = value as TensorRef;
    if (!t || typeof t !== 'object' || !('storage' in t)) continue;
    const dtype = STORAGE_DTYPES[t.storage.type] ?? 'other';
    if (dtype === 'other') continue;
    if (!t.storage.bytes) throw new Error(`the data of "${String(key)}" is missing`);
    out.set(String(key), { shape: t.size, data: gather(t, dtype) });
  }
  return out;
}

/** The tensor's elements, row-major, as float32 (any offset and strides). */
function gather(t: TensorRef, dtype: Exclude<Dtype, 'other'>): Float32Array {
  const b = t.storage.bytes!;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const size = dtype === 'float64' ? 8 : dtype === 'float16' ? 2 : 4;
  const read = (index: number) => {
    const at = index * size;
    if (at + size > b.length) throw new Error(`tensor data past the end of storage ${t.storage.key}`);
    return dtype === 'float32'
      ? view.getFloat32(at, true)
      : dtype === 'float64'
        ? view.getFloat64(at, true)
        : halfToFloat(view.getUint16(at, true));
  };
  const n = t.size.reduce((a, c) => a * c, 1);
  const out = new Float32Array(n);
  let expected = 1;
  const contiguous = t.size.every((_, d) => {
    const k = t.size.length - 1 - d;
    const ok = t.size[k] === 1 || t.stride[k] === expected;
    expected *= t.size[k]!;
    return ok;
  });
  if (contiguous && dtype === 'float32' && endianness() === 'LE') {
    const start = t.offset * 4;
    if (start + n * 4 > b.length) throw new Error(`tensor data past the end of storage ${t.storage.key}`);
    new Uint8Array(out.buffer).set(b.subarray(start, start + n * 4));
    return out;
  }
  const index = new Array<number>(t.size.length).fill(0);
  for (let k = 0; k < n; k++) {
    let at = t.offset;
    for (let d = 0; d < index.length; d++) at += index[d]! * t.stride[d]!;
    out[k] = read(at);
    for (let d = index.length - 1; d >= 0; d--) {
      if (++index[d]! < t.size[d]!) break;
      index[d] = 0;
    }
  }
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** Entries of a zip archive by name (stored or deflated; no zip64, which torch does not need below 4 GiB). */
function zipEntries(b: Uint8Array): Map<string, () => Uint8Array> {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let eocd = -1;
  for (let p = b.length - 22; p >= Math.max(0, b.length - 22 - 65535); p--)
    if (view.getUint32(p, true) === 0x06054b50) {
      eocd = p;
      break;
    }
  if (eocd < 0) throw new Error('its zip directory is missing (a truncated download?)');
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  if (count === 0xffff || p === 0xffffffff) throw new Error('it is a zip64 archive, which is not supported');
  const entries = new Map<string, () => Uint8Array>();
  for (let k = 0; k < count; k++) {
    if (p + 46 > b.length || view.getUint32(p, true) !== 0x02014b50) throw new Error('its zip directory is damaged');
    const method = view.getUint16(p + 10, true);
    const compressed = view.getUint32(p + 20, true);
    const nameLength = view.getUint16(p + 28, true);
    const local = view.getUint32(p + 42, true);
    const name = new TextDecoder().decode(b.subarray(p + 46, p + 46 + nameLength));
    p += 46 + nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    entries.set(name, () => {
      if (view.getUint32(local, true) !== 0x04034b50) throw new Error(`zip entry ${name} is damaged`);
      const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      if (start + compressed > b.length) throw new Error(`zip entry ${name} runs past the end of the file`);
      const data = b.subarray(start, start + compressed);
      if (method === 0) return data;
      if (method === 8) return new Uint8Array(inflateRawSync(data));
      throw new Error(`zip entry ${name} uses compression method ${method}`);
    });
  }
  return entries;
}

function readZipFormat(b: Uint8Array): Map<string, TorchArray> {
  const entries = zipEntries(b);
  const pkl = [...entries.keys()].find((n) => n.endsWith('data.pkl') && n.split('/').length === 2);
  if (!pkl) throw new Error('the archive has no data.pkl');
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const storages = new Map<string, StorageRef>();
  const { value } = unpickle(entries.get(pkl)!(), hooks(storages));
  for (const s of storages.values()) {
    const entry = entries.get(`${prefix}data/${s.key}`);
    if (!entry) throw new Error(`the archive has no data for storage ${s.key}`);
    s.bytes = entry();
  }
  return collect(value);
}

function readLegacyFormat(b: Uint8Array): Map<string, TorchArray> {
  const none = hooks(new Map());
  let at = 0;
  const magic = unpickle(b, none, at);
  if (magic.value !== 0x1950a86a20f9469cfc6cn)
    throw new Error('it is neither a zip archive nor a legacy torch.save stream');
  at = magic.end;
  at = unpickle(b, none, at).end; // protocol version
  at = unpickle(b, none, at).end; // system info
  const storages = new Map<string, StorageRef>();
  const main = unpickle(b, hooks(storages), at);
  const keys = unpickle(b, none, main.end);
  at = keys.end;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (const key of keys.value as unknown[]) {
    const s = storages.get(String(key));
    if (!s) throw new Error(`storage ${String(key)} is listed but never used`);
    if (at + 8 > b.length) throw new Error('the file ends before its tensor data (a truncated download?)');
    const numel = Number(view.getBigInt64(at, true));
    const length = numel * ELEMENT_SIZE[s.type]!;
    if (at + 8 + length > b.length) throw new Error('the file ends inside its tensor data (a truncated download?)');
    s.bytes = b.subarray(at + 8, at + 8 + length);
    at += 8 + length;
  }
  return collect(main.value);
}
