#!/usr/bin/env python3
"""Test harness of the PyTorch export (not shipped): runs an exported package's code on given weights and inputs.

models PACKAGE WEIGHTS INPUTS OUT
    INPUTS: z [B, Z], x [B, C, H, W], y [B] (int32, optional). OUT: g_eval, d_eval (eval mode, nothing changes), then
    g_train, d_train (one training-mode forward each, no gradients), and the state after them as "state.G.*" etc.
data PACKAGE FOLDER SIZE CHANNELS CLASSES OUT
    OUT: images [N, C, SIZE, SIZE] in [-1, 1] and labels [N] as data.ImageFolder reads the folder, in its order.
"""
import sys


def models(weights_path, inputs_path, out_path):
    import torch
    from model import Discriminator, Generator
    from tensor_bundle import read_torch_bundle, write_bundle
    from weights import bundle_state, load_weights

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


def data(folder, size, channels, classes, out_path):
    import torch
    from data import ImageFolder
    from tensor_bundle import write_bundle

    ds = ImageFolder(folder, int(size), int(channels), int(classes))
    items = [ds[i] for i in range(len(ds))]
    images = torch.stack([image for image, _ in items])
    labels = torch.tensor([label for _, label in items], dtype=torch.int32)
    write_bundle(out_path, {"images": images, "labels": labels})


def main(argv):
    import torch

    torch.set_num_threads(1)
    command, package, rest = argv[0], argv[1], argv[2:]
    sys.path.insert(0, package)
    {"models": models, "data": data}[command](*rest)


if __name__ == "__main__":
    main(sys.argv[1:])
