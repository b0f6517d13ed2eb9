#!/usr/bin/env python3
"""SAGAN tensor bundle: the tensor-exchange format between SAGAN Studio's engine and PyTorch.

A bundle NAME is a file pair:
  NAME.json  {"format": "sagan-tensor-bundle", "version": 1,
              "tensors": [{"name", "dtype": "float32"|"int32"|"int64", "shape": [..],
                           "offset": byte offset in NAME.bin, "length": byte length}],
              "meta": {...} (optional)}
  NAME.bin   the tensors' elements, row-major (C order), little-endian, concatenated in manifest
             order, each starting at a 4-byte-aligned offset.
The TypeScript twin is electron/engine/node/tensor-bundle.ts; both write byte-identical files.

Needs only the standard library; torch tensors are converted when torch is importable.
CLI (used by the round-trip tests):
  tensor_bundle.py summary PATH                  print a JSON summary of each tensor
  tensor_bundle.py roundtrip IN OUT [--via raw|torch]
                                                 decode IN, re-encode it as OUT, print IN's summary
"""
import array
import json
import math
import os
import sys
import tempfile

FORMAT, VERSION = "sagan-tensor-bundle", 1
ITEM_SIZE = {"float32": 4, "int32": 4, "int64": 8}
ARRAY_CODE = {"float32": "f", "int32": "i", "int64": "q"}
ALIGN = 4


class BundleError(ValueError):
    """A bundle that cannot be read or written; the message names the file and the tensor."""


class RawTensor:
    """One tensor as stored: dtype name, shape and its little-endian bytes."""

    __slots__ = ("dtype", "shape", "data")

    def __init__(self, dtype, shape, data):
        self.dtype, self.shape, self.data = dtype, [int(s) for s in shape], bytes(data)

    def numel(self):
        return math.prod(self.shape)

    def values(self):
        """The elements as a flat list of Python numbers."""
        arr = array.array(ARRAY_CODE[self.dtype])
        arr.frombytes(self.data)
        if sys.byteorder != "little":
            arr.byteswap()
        return arr.tolist()

    @classmethod
    def from_values(cls, dtype, shape, values):
        if dtype not in ITEM_SIZE:
            raise BundleError(f"unsupported dtype {dtype!r}; use one of {sorted(ITEM_SIZE)}")
        arr = array.array(ARRAY_CODE[dtype], values)
        if len(arr) != math.prod(shape):
            raise BundleError(f"{len(arr)} values do not fill shape {list(shape)}")
        if sys.byteorder != "little":
            arr.byteswap()
        return cls(dtype, shape, arr.tobytes())


def bundle_base(path):
    """NAME, NAME.json or NAME.bin all name the bundle NAME."""
    path = os.fspath(path)
    for ext in (".json", ".bin"):
        if path.endswith(ext):
            return path[: -len(ext)]
    return path


def read_bundle(path):
    """Reads a bundle; returns ({name: RawTensor} in manifest order, meta dict)."""
    base = bundle_base(path)
    json_path, bin_path = base + ".json", base + ".bin"
    try:
        with open(json_path, "r", encoding="utf-8") as fh:
            manifest = json.load(fh)
    except OSError as e:
        raise BundleError(f"cannot read bundle manifest {json_path}: {e.strerror}") from e
    except json.JSONDecodeError as e:
        raise BundleError(f"{json_path} is not valid JSON: {e}") from e
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(f"{json_path} is not a {FORMAT} manifest (its 'format' field is missing or different)")
    if manifest.get("version") != VERSION:
        raise BundleError(f"{json_path} has version {manifest.get('version')!r}; this reader understands version {VERSION}")
    entries = manifest.get("tensors")
    if not isinstance(entries, list):
        raise BundleError(f"{json_path}: 'tensors' must be a list")
    meta = manifest.get("meta", {})
    if not isinstance(meta, dict):
        raise BundleError(f"{json_path}: 'meta' must be an object")
    try:
        with open(bin_path, "rb") as fh:
            blob = fh.read()
    except OSError as e:
        raise BundleError(f"cannot read bundle data {bin_path}: {e.strerror}") from e
    tensors = {}
    for i, entry in enumerate(entries):
        name = entry.get("name") if isinstance(entry, dict) else None
        where = f"{json_path}: tensor #{i} ({name!r})"
        if not isinstance(name, str) or not name:
            raise BundleError(f"{where} has no name")
        if name in tensors:
            raise BundleError(f"{where}: the name appears twice")
        dtype, shape = entry.get("dtype"), entry.get("shape")
        offset, length = entry.get("offset"), entry.get("length")
        if dtype not in ITEM_SIZE:
            raise BundleError(f"{where} has dtype {dtype!r}; expected one of {sorted(ITEM_SIZE)}")
        if not isinstance(shape, list) or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in shape):
            raise BundleError(f"{where}: shape must be a list of non-negative integers")
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (offset, length)):
            raise BundleError(f"{where}: offset and length must be non-negative integers (bytes)")
        if offset % ALIGN:
            raise BundleError(f"{where}: offset {offset} is not {ALIGN}-byte aligned")
        expected = math.prod(shape) * ITEM_SIZE[dtype]
        if length != expected:
            raise BundleError(f"{where}: length {length} bytes does not match shape {shape} of {dtype} ({expected} bytes)")
        if offset + length > len(blob):
            raise BundleError(f"{where} ends at byte {offset + length} but {bin_path} has only {len(blob)} bytes; the pair is incomplete or mismatched")
        tensors[name] = RawTensor(dtype, shape, blob[offset : offset + length])
    return tensors, meta


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _atomic_write(path, data):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual permissions
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_bundle(path, tensors, meta=None):
    """Writes {name: RawTensor or torch.Tensor} (in iteration order) as a bundle; each file via temp + rename.

    The data file is renamed first, so a manifest on disk never points past its data."""
    base = bundle_base(path)
    entries, chunks, offset = [], [], 0
    for name, t in tensors.items():
        raw = t if isinstance(t, RawTensor) else from_torch(t, name)
        if len(raw.data) != raw.numel() * ITEM_SIZE[raw.dtype]:
            raise BundleError(f"tensor {name!r}: {len(raw.data)} bytes do not match shape {raw.shape} of {raw.dtype}")
        pad = (-offset) % ALIGN
        if pad:
            chunks.append(b"\0" * pad)
            offset += pad
        entries.append({"name": name, "dtype": raw.dtype, "shape": raw.shape, "offset": offset, "length": len(raw.data)})
        chunks.append(raw.data)
        offset += len(raw.data)
    os.makedirs(os.path.dirname(os.path.abspath(base)), exist_ok=True)
    _atomic_write(base + ".bin", b"".join(chunks))
    _atomic_write(base + ".json", manifest_text(entries, meta).encode("utf-8"))


def manifest_text(entries, meta):
    """The manifest with one tensor per line (readable in a diff, small for big states)."""
    compact = lambda v: json.dumps(v, separators=(",", ":"), allow_nan=False)
    head = f'{{"format":{compact(FORMAT)},"version":{VERSION},"tensors":['
    body = ",\n".join(compact(e) for e in entries)
    tail = "]" + ("" if meta is None else f',"meta":{compact(meta)}') + "}\n"
    return head + ("\n" + body + "\n" if entries else "") + tail


# ---- torch conversion (imported lazily: the raw format needs no torch)

def _torch_dtypes():
    import torch

    return {torch.float32: "float32", torch.int32: "int32", torch.int64: "int64"}


def from_torch(t, name="tensor"):
    """A torch tensor as a RawTensor (float32, int32 or int64 only; anything else is refused)."""
    names = _torch_dtypes()
    if t.dtype not in names:
        raise BundleError(f"tensor {name!r} has dtype {t.dtype}; convert it to float32, int32 or int64 first")
    t = t.detach().cpu().contiguous()
    dtype, shape = names[t.dtype], list(t.shape)
    try:
        data = t.numpy().tobytes()
        if sys.byteorder != "little":
            return RawTensor.from_values(dtype, shape, t.reshape(-1).tolist())
        return RawTensor(dtype, shape, data)
    except RuntimeError:  # torch built without numpy
        return RawTensor.from_values(dtype, shape, t.reshape(-1).tolist())


def to_torch(raw):
    """A RawTensor as a new torch tensor."""
    import torch

    dtype = {v: k for k, v in _torch_dtypes().items()}[raw.dtype]
    if raw.numel() == 0 or sys.byteorder != "little":
        return torch.tensor(raw.values(), dtype=dtype).reshape(raw.shape)
    return torch.frombuffer(bytearray(raw.data), dtype=dtype).reshape(raw.shape)


def read_torch_bundle(path):
    """Reads a bundle as ({name: torch.Tensor}, meta)."""
    raw, meta = read_bundle(path)
    return {name: to_torch(t) for name, t in raw.items()}, meta


# ---- CLI

def _json_number(v):
    """NaN and ±Infinity as strings, so the summary stays valid JSON."""
    return v if isinstance(v, int) or math.isfinite(v) else repr(v)


def summary(tensors):
    out = {}
    for name, t in tensors.items():
        values = t.values()
        finite = [v for v in values if isinstance(v, int) or math.isfinite(v)]
        out[name] = {
            "dtype": t.dtype,
            "shape": t.shape,
            "first": [_json_number(v) for v in values[:4]],
            # exact sum of the finite elements (fsum: correctly rounded), comparable across languages
            "sum": math.fsum(finite) if t.dtype == "float32" else sum(finite),
        }
    return out


def main(argv):
    import argparse

    ap = argparse.ArgumentParser(description="Inspect or round-trip a SAGAN tensor bundle.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("summary", help="print a JSON summary (dtype, shape, first values, exact sum) per tensor")
    s.add_argument("path")
    r = sub.add_parser("roundtrip", help="decode IN to values (or torch tensors), re-encode as OUT, print IN's summary")
    r.add_argument("src")
    r.add_argument("dst")
    r.add_argument("--via", choices=["raw", "torch"], default="raw")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "summary":
            tensors, meta = read_bundle(args.path)
        else:
            tensors, meta = read_bundle(args.src)
            if args.via == "torch":
                rebuilt = {name: to_torch(t) for name, t in tensors.items()}
            else:
                rebuilt = {name: RawTensor.from_values(t.dtype, t.shape, t.values()) for name, t in tensors.items()}
            write_bundle(args.dst, rebuilt, meta)
    except BundleError as e:
        print(f"tensor_bundle: {e}", file=sys.stderr)
        return 2
    print(json.dumps({"meta": meta, "tensors": summary(tensors)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
