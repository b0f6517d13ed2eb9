"""Image folders read the way SAGAN Studio reads them, so a run here sees the same pixels as one in the app.

Layout: one subfolder per class (sorted names give the class ids; images found recursively below each), or, for an
unconditional model (0 classes), every image below the folder. PNG and JPEG. Each image is composited over black,
turned to gray with the Rec. 601 luma (1 channel) or kept RGB (3), scaled so its shorter side is the model's size
(area averaging when shrinking, bilinear when enlarging), centre-cropped, rounded to 8 bits and mapped to [-1, 1].
Pillow decodes when installed; without it a built-in decoder reads 8-bit non-interlaced PNGs (JPEG needs Pillow).
"""
import math
import os
import struct
import zlib

import torch

IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".jpe", ".jfif"}


def _hidden(name):
    return name.startswith(".") or name in ("__MACOSX", "Thumbs.db", "desktop.ini")


def _entries(folder):
    return [(n, os.path.join(folder, n)) for n in sorted(os.listdir(folder)) if not _hidden(n)]


def _walk_images(folder, depth=0):
    found = []
    if depth > 32:  # a symlink loop
        return found
    for name, path in _entries(folder):
        if os.path.isdir(path):
            found.extend(_walk_images(path, depth + 1))
        elif os.path.splitext(name)[1].lower() in IMAGE_EXTENSIONS:
            found.append(path)
    return found


def scan_folder(root, num_classes):
    """[(path, label)] and the class names; raises ValueError with a message that says what to change."""
    if not os.path.isdir(root):
        raise ValueError(f"The dataset folder {root} does not exist or is not a folder.")
    if num_classes == 0:
        files = [(p, 0) for p in _walk_images(root)]
        class_names = []
    else:
        class_dirs = [(n, p) for n, p in _entries(root) if os.path.isdir(p)]
        files_here = [n for n, p in _entries(root) if not os.path.isdir(p)]
        loose = [n for n in files_here if os.path.splitext(n)[1].lower() in IMAGE_EXTENSIONS]
        if loose and class_dirs:
            examples = ", ".join(loose[:3])
            raise ValueError(f"{root} mixes images ({examples}) with class subfolders; move them into a class folder.")
        if len(class_dirs) != num_classes:
            raise ValueError(
                f"The model has {num_classes} classes but {root} has {len(class_dirs)} class subfolders "
                f"({', '.join(n for n, _ in class_dirs[:10])}). Give a folder with one subfolder per class."
            )
        class_names = [n for n, _ in class_dirs]
        files = [(p, label) for label, (_, d) in enumerate(class_dirs) for p in _walk_images(d)]
        empty = [n for label, (n, _) in enumerate(class_dirs) if not any(lbl == label for _, lbl in files)]
        if empty:
            raise ValueError(f"The class folder(s) {', '.join(empty)} in {root} hold no PNG or JPEG images.")
    if not files:
        raise ValueError(f"{root} has no PNG or JPEG images.")
    return files, class_names


# ---- decoding

def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def decode_png(data, path="image"):
    """8-bit non-interlaced PNG bytes -> (width, height, RGBA bytes). Pillow handles everything else."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG; install Pillow (pip install pillow) to read other formats.")
    pos, idat, palette, alpha = 8, [], None, None
    width = height = depth = color = interlace = None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = body
        elif kind == b"tRNS":
            alpha = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if depth != 8 or interlace != 0 or color not in (0, 2, 3, 4, 6):
        raise ValueError(f"{path}: without Pillow only 8-bit non-interlaced PNGs are read; pip install pillow.")
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color]
    stride = width * channels
    raw = zlib.decompress(b"".join(idat))
    rows, prev, pos = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[pos], bytearray(raw[pos + 1 : pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, up_left = prev[i], (prev[i - channels] if i >= channels else 0)
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                line[i] = (line[i] + _paeth(left, up, up_left)) & 255
        rows.append(bytes(line))
        prev = line
    pixels = torch.frombuffer(bytearray(b"".join(rows)), dtype=torch.uint8).reshape(height, width, channels)
    if color == 3:
        table = torch.frombuffer(bytearray(palette), dtype=torch.uint8).reshape(-1, 3)
        opacity = torch.full((table.shape[0], 1), 255, dtype=torch.uint8)
        if alpha:
            opacity[: len(alpha), 0] = torch.frombuffer(bytearray(alpha), dtype=torch.uint8)
        return width, height, torch.cat([table, opacity], 1)[pixels[:, :, 0].long()]
    if channels in (1, 2):
        gray = pixels[:, :, :1].expand(height, width, 3)
        opacity = pixels[:, :, 1:2] if channels == 2 else torch.full((height, width, 1), 255, dtype=torch.uint8)
        return width, height, torch.cat([gray, opacity], 2)
    if channels == 3:
        return width, height, torch.cat([pixels, torch.full((height, width, 1), 255, dtype=torch.uint8)], 2)
    return width, height, pixels


def decode_image(path):
    """(width, height, RGBA uint8 tensor [H, W, 4])."""
    try:
        from PIL import Image
    except ImportError:
        with open(path, "rb") as fh:
            return decode_png(fh.read(), path)
    with Image.open(path) as im:
        rgba = im.convert("RGBA")
        pixels = torch.frombuffer(bytearray(rgba.tobytes()), dtype=torch.uint8).reshape(rgba.height, rgba.width, 4)
        return rgba.width, rgba.height, pixels


# ---- resampling (the engine's filters, as matrices)

def _axis_matrix(src_len, scaled_len, offset, count):
    """[count, src_len]: row o averages the source area output o covers (shrinking) or interpolates (enlarging)."""
    scale = scaled_len / src_len
    m = torch.zeros(count, src_len, dtype=torch.float64)
    for row, o in enumerate(range(offset, offset + count)):
        if scale < 1:
            lo, hi = o / scale, min(src_len, (o + 1) / scale)
            s = math.floor(lo)
            while s < hi:
                cover = min(hi, s + 1) - max(lo, s)
                if cover > 1e-9:
                    m[row, s] = cover / (hi - lo)
                s += 1
        else:
            centre = min(src_len - 1, max(0.0, (o + 0.5) / scale - 0.5))
            s = math.floor(centre)
            t = centre - s
            m[row, s] = 1 - t
            if t > 0:
                m[row, s + 1] = t
    return m


def prepare_image(rgba, width, height, size, channels):
    """RGBA uint8 [H, W, 4] -> uint8 [channels, size, size] (composite, gray or RGB, resize, centre crop, round)."""
    px = rgba.to(torch.float64)
    a = px[:, :, 3:4] / 255
    rgb = px[:, :, :3] * a  # over black
    values = (0.299 * rgb[:, :, 0] + 0.587 * rgb[:, :, 1] + 0.114 * rgb[:, :, 2]).unsqueeze(2) if channels == 1 else rgb
    values = values.to(torch.float32).to(torch.float64)  # the engine holds these in float32 before resizing
    scale = size / min(width, height)
    scaled_w = size if width <= height else max(size, round(width * scale))
    scaled_h = size if height <= width else max(size, round(height * scale))
    cols = _axis_matrix(width, scaled_w, (scaled_w - size) // 2, size)
    rows = _axis_matrix(height, scaled_h, (scaled_h - size) // 2, size)
    out = torch.einsum("yh,hwc,xw->cyx", rows, values, cols)
    return out.to(torch.float32).round().clamp(0, 255).to(torch.uint8)


class ImageFolder(torch.utils.data.Dataset):
    """Items: (image float32 [channels, size, size] in [-1, 1], label int64)."""

    def __init__(self, root, size, channels, num_classes):
        self.files, self.class_names = scan_folder(root, num_classes)
        self.root, self.size, self.channels = root, size, channels

    def __len__(self):
        return len(self.files)

    def __getitem__(self, index):
        path, label = self.files[index]
        width, height, rgba = decode_image(path)
        image = prepare_image(rgba, width, height, self.size, self.channels)
        return image.to(torch.float32) / 127.5 - 1, label
