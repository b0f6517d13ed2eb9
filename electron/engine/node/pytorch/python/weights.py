"""Weights on disk: SAGAN Studio tensor bundles (the exchange format with the app) and .pt training checkpoints.

A bundle holds G's state_dict under "G.", D's under "D." and, when the run keeps one, the moving average of G's
weights under "G_ema.". `sagan-studio import-pytorch` reads these bundles; .pt files also carry optimizer state.
"""
import glob
import os
import re

import torch

from tensor_bundle import read_torch_bundle, write_bundle

CHECKPOINT_FORMAT = "sagan-studio/pytorch-checkpoint"


def split_state(tensors, prefix):
    """The entries of `tensors` that start with `prefix`, without it."""
    return {k[len(prefix) :]: v for k, v in tensors.items() if k.startswith(prefix)}


def bundle_state(G, D, ema=None):
    """One flat dict for a bundle: G.*, D.* and G_ema.*."""
    state = {f"G.{k}": v for k, v in G.state_dict().items()}
    state.update({f"D.{k}": v for k, v in D.state_dict().items()})
    if ema:
        state.update({f"G_ema.{k}": v for k, v in ema.items()})
    return state


def load_weights(G, D, path):
    """Loads G and D from a bundle (NAME, NAME.json) or a .pt checkpoint; returns the checkpoint dict."""
    if path.endswith(".pt"):
        checkpoint = torch.load(path, map_location="cpu")
        G.load_state_dict(checkpoint["G"])
        D.load_state_dict(checkpoint["D"])
        return checkpoint
    tensors, meta = read_torch_bundle(path)
    G.load_state_dict(split_state(tensors, "G."))
    D.load_state_dict(split_state(tensors, "D."))
    return {"step": int(meta.get("step", 0)), "ema": split_state(tensors, "G_ema.") or None, "meta": meta}


def checkpoint_base(out_dir, step):
    return os.path.join(out_dir, "checkpoints", f"step-{step:08d}")


def latest_checkpoint(out_dir):
    """The newest step-*.pt in OUT/checkpoints, or None."""
    found = sorted(glob.glob(os.path.join(out_dir, "checkpoints", "step-*.pt")))
    return found[-1] if found else None


def save_checkpoint(out_dir, step, G, D, opt_g, opt_d, ema, meta, keep=3):
    """Writes step-N.pt (everything, to resume here) and step-N.weights.json/.bin (weights, for SAGAN Studio)."""
    base = checkpoint_base(out_dir, step)
    os.makedirs(os.path.dirname(base), exist_ok=True)
    tmp = f"{base}.pt.tmp"
    optimizers = {"opt_G": opt_g.state_dict(), "opt_D": opt_d.state_dict()}
    torch.save(dict(optimizers, step=step, G=G.state_dict(), D=D.state_dict(), ema=ema, meta=meta), tmp)
    os.replace(tmp, f"{base}.pt")
    write_bundle(f"{base}.weights", bundle_state(G, D, ema), dict(meta, format=CHECKPOINT_FORMAT, step=step))
    found = (re.search(r"step-(\d+)\.pt$", p) for p in glob.glob(os.path.join(out_dir, "checkpoints", "step-*.pt")))
    steps = sorted(int(m.group(1)) for m in found if m)
    for old in steps[:-keep]:
        for ext in (".pt", ".weights.json", ".weights.bin"):
            path = checkpoint_base(out_dir, old) + ext
            if os.path.exists(path):
                os.remove(path)
    return base
