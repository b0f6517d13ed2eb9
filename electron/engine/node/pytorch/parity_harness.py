#!/usr/bin/env python3
"""Test harness of the PyTorch export (not shipped): runs an exported package's modules on given weights and inputs.

usage: parity_harness.py PACKAGE_DIR WEIGHTS_BUNDLE INPUTS_BUNDLE OUT_BUNDLE
INPUTS: z [B, Z], x [B, C, H, W], y [B] (int32, optional). OUT: g_eval, d_eval (eval mode, nothing changes), then
g_train, d_train (one training-mode forward each, no gradients), and the state after them as "state.G.*", "state.D.*".
"""
import sys


def main(argv):
    package, weights_path, inputs_path, out_path = argv
    sys.path.insert(0, package)
    import torch
    from model import Discriminator, Generator
    from tensor_bundle import read_torch_bundle, write_bundle
    from weights import bundle_state, load_weights

    torch.set_num_threads(1)
    G, D = Generator(), Discriminator()
    load_weights(G, D, weights_path)
    inputs, _ = read_torch_bundle(inputs_path)
    z, x = inputs["z"], inputs["x"]
    y = inputs["y"].long() if "y" in inputs else None
    out = {}
    with torch.no_grad():
        G.eval()
        D.eval()
        out["g_eval"], out["d_eval"] = G(z, y), D(x, y)
        G.train()
        D.train()
        out["g_train"], out["d_train"] = G(z, y), D(x, y)
    out.update({f"state.{k}": v for k, v in bundle_state(G, D).items() if v.is_floating_point()})
    write_bundle(out_path, out)


if __name__ == "__main__":
    main(sys.argv[1:])
