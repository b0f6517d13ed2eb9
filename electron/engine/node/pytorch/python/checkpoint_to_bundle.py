#!/usr/bin/env python3
"""Converts a train.py checkpoint (.pt) to a weights bundle for `sagan-studio import-pytorch` (needs PyTorch).

usage: checkpoint_to_bundle.py CHECKPOINT.pt OUT_BUNDLE   (tensor_bundle.py must be importable)
"""
import sys

import torch

from tensor_bundle import write_bundle


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    source, target = argv
    checkpoint = torch.load(source, map_location="cpu")
    if not isinstance(checkpoint, dict) or "G" not in checkpoint or "D" not in checkpoint:
        sys.exit(f"{source} is not a checkpoint written by the exported train.py (it has no 'G' and 'D' state dicts).")
    tensors = {f"G.{k}": v for k, v in checkpoint["G"].items()}
    tensors.update({f"D.{k}": v for k, v in checkpoint["D"].items()})
    tensors.update({f"G_ema.{k}": v for k, v in (checkpoint.get("ema") or {}).items()})
    meta = dict(checkpoint.get("meta") or {}, step=int(checkpoint.get("step", 0)), converted_from=source)
    write_bundle(target, tensors, meta)


if __name__ == "__main__":
    main(sys.argv[1:])
