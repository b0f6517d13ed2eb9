#!/usr/bin/env python3
"""Draws a grid of images from a checkpoint (train.py's .pt, or a weights bundle): python sample.py CKPT --out grid.png

G runs in eval mode (running batch statistics, spectral norm from the stored u), as SAGAN Studio samples, and uses
the moving average of its weights when the checkpoint has one (--no-ema to use the trained weights).
"""
import argparse
import math
import struct
import sys
import zlib

import torch

import config
from model import Discriminator, Generator
from tensor_bundle import read_torch_bundle, write_bundle
from weights import load_weights


def png_bytes(pixels):
    """uint8 [H, W, C] (C = 1 or 3) as PNG bytes."""
    height, width, channels = pixels.shape
    rows = b"".join(b"\0" + bytes(pixels[y].reshape(-1).tolist()) for y in range(height))
    chunk = lambda kind, body: struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 8, 0 if channels == 1 else 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def grid(images, cols, padding=2):
    """[N, C, H, W] in [-1, 1] -> uint8 [rows*(H+p)+p, cols*(W+p)+p, C] on black."""
    n, c, h, w = images.shape
    rows = math.ceil(n / cols)
    out = torch.zeros(rows * (h + padding) + padding, cols * (w + padding) + padding, c, dtype=torch.uint8)
    pixels = ((images.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).permute(0, 2, 3, 1)
    for i in range(n):
        y, x = padding + (i // cols) * (h + padding), padding + (i % cols) * (w + padding)
        out[y : y + h, x : x + w] = pixels[i]
    return out


def main(argv):
    p = argparse.ArgumentParser(description=f"Sample {config.NAME} from a checkpoint.")
    p.add_argument("checkpoint", help="step-N.pt from train.py, or a weights bundle (step-N.weights.json, init.json)")
    p.add_argument("--out", help="PNG file to write")
    p.add_argument("--n", type=int, default=16)
    p.add_argument("--class", dest="cls", type=int, default=None, help="class of every image (default: all in turn)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-ema", action="store_true", help="use the trained weights even when the checkpoint has an EMA")
    p.add_argument("--inputs", help="a tensor bundle with z [N, Z_DIM] (and y [N]) to use instead of drawn noise")
    p.add_argument("--save-tensors", help="also write the images [N, C, H, W] as a tensor bundle")
    args = p.parse_args(argv)
    G, D = Generator(), Discriminator()
    path = args.checkpoint[: -len(".json")] if args.checkpoint.endswith(".json") else args.checkpoint
    checkpoint = load_weights(G, D, path)
    if checkpoint.get("ema") and not args.no_ema:
        G.load_state_dict(dict(G.state_dict(), **checkpoint["ema"]))
    if args.inputs:
        inputs, _ = read_torch_bundle(args.inputs)
        z = inputs["z"]
        y = inputs["y"].long() if "y" in inputs else torch.arange(z.shape[0]) % max(config.NUM_CLASSES, 1)
    else:
        torch.manual_seed(args.seed)
        z = torch.randn(args.n, config.Z_DIM)
        y = torch.arange(args.n) % max(config.NUM_CLASSES, 1) if args.cls is None else torch.full((args.n,), args.cls)
    G.eval()
    with torch.no_grad():
        images = G(z, y if config.NUM_CLASSES > 0 else None)
    if args.save_tensors:
        write_bundle(args.save_tensors, {"images": images, "y": y.to(torch.int32)}, {"step": checkpoint.get("step", 0)})
    if args.out:
        n = images.shape[0]
        by_class = config.NUM_CLASSES > 0 and args.cls is None
        cols = min(n, min(config.NUM_CLASSES, 10) if by_class else math.ceil(math.sqrt(n)))
        with open(args.out, "wb") as fh:
            fh.write(png_bytes(grid(images, cols)))
        print(f"Wrote {images.shape[0]} images to {args.out}.")


if __name__ == "__main__":
    main(sys.argv[1:])
