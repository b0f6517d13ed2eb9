#!/usr/bin/env python3
"""PyTorch side of the SAGAN-32 parity test: runs the reference model (../shared/reference/sagan_torch.py,
imported, never copied) and writes its state, inputs and results as SAGAN tensor bundles
(see tensor_bundle.py and README.md beside this file).

  torch_reference.py init      --seed S --batch B --out DIR   DIR/state, DIR/inputs
  torch_reference.py forward   --state DIR --out DIR2         DIR2/outputs, DIR2/trace, DIR2/state
  torch_reference.py iteration --state DIR --out DIR2         DIR2/outputs, DIR2/grads, DIR2/adam, DIR2/state
  torch_reference.py counts                                   {"G": 4386756, "D": 1075810}
Common option: --threads N (default 1). The reference directory is $SAGAN_REFERENCE_DIR or <repo>/../shared/reference.
"""
import argparse
import json
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the repo or in ../shared/reference
HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)

import tensor_bundle as tb  # noqa: E402


def reference_dir():
    """Where sagan_torch.py lives: $SAGAN_REFERENCE_DIR, else ../shared/reference beside the repo (CI), else shared/reference inside it."""
    env = os.environ.get("SAGAN_REFERENCE_DIR")
    candidates = [env] if env else [os.path.join(REPO_ROOT, "..", "shared", "reference"), os.path.join(REPO_ROOT, "shared", "reference")]
    for c in candidates:
        if os.path.isfile(os.path.join(c, "sagan_torch.py")):
            return os.path.abspath(c)
    tried = ", ".join(os.path.abspath(c) for c in candidates)
    sys.exit(f"torch_reference: sagan_torch.py not found (looked in {tried}); set SAGAN_REFERENCE_DIR to the folder that holds it")


sys.path.insert(0, reference_dir())
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from sagan_torch import DCH, GCH, NCLS, ZDIM, Discriminator, Generator  # noqa: E402

LR_D, LR_G, BETAS = 4e-4, 1e-4, (0.0, 0.9)
INPUT_NAMES = ("x_real", "y_real", "z_d", "y_d", "z_g", "y_g")


def nhwc(t):
    return t.permute(0, 2, 3, 1).contiguous()


def with_nhwc(name, t):
    """The tensor, plus its NHWC copy when it is a batch of images or feature maps."""
    return [(name, t)] + ([(f"{name}_nhwc", nhwc(t))] if t.dim() == 4 else [])


def base_meta(command, **extra):
    return {
        "producer": "electron/engine/parity/torch_reference.py",
        "command": command,
        "torch_version": torch.__version__,
        "threads": torch.get_num_threads(),
        "model": "SAGAN-32",
        "constants": {"ZDIM": ZDIM, "NCLS": NCLS, "GCH": GCH, "DCH": DCH},
        "layout": "PyTorch (NCHW images, conv weight [out,in,kh,kw], linear weight [out,in]); *_nhwc copies are NHWC",
        **extra,
    }


def state_tensors(G, D):
    """Both state_dicts, prefixed G. / D. (SN weight_orig/_u/_v, biases, embeddings, BN stats, num_batches_tracked)."""
    out = {}
    for prefix, m in (("G.", G), ("D.", D)):
        for k, v in m.state_dict().items():
            out[prefix + k] = v
    return out


def build_models():
    G, D = Generator(), Discriminator()
    G.train(), D.train()
    return G, D


def load(state_dir, inputs_dir=None):
    """Models with STATE_DIR/state loaded and the inputs of INPUTS_DIR/inputs (labels as int64), plus both metas."""
    inputs_dir = inputs_dir or state_dir
    state, state_meta = tb.read_torch_bundle(os.path.join(state_dir, "state"))
    inputs, inputs_meta = tb.read_torch_bundle(os.path.join(inputs_dir, "inputs"))
    missing = [n for n in INPUT_NAMES if n not in inputs]
    if missing:
        sys.exit(f"torch_reference: {inputs_dir}/inputs lacks {', '.join(missing)}; write it with `init`")
    G, D = build_models()
    for prefix, m in (("G.", G), ("D.", D)):
        part = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
        filled = fill_derivable(m, part)
        if filled:
            print(f"torch_reference: {state_dir}/state lacks {len(filled)} derivable tensors, filled in: "
                  + ", ".join(prefix + k for k in filled), file=sys.stderr)
        try:
            m.load_state_dict(part, strict=True)
        except RuntimeError as e:
            sys.exit(f"torch_reference: {state_dir}/state does not fit the reference {prefix[0]}: {e}")
    x = {n: (inputs[n].long() if n.startswith("y_") else inputs[n]) for n in INPUT_NAMES}
    return G, D, x, {"state": state_meta, "inputs": inputs_meta}


def fill_derivable(model, part):
    """Adds what an engine-written state may lack and training does not depend on: an SN `weight_v` (the next
    training forward recomputes v = normalize(W_matᵀ u) before using it) and BN `num_batches_tracked` (unused
    with momentum 0.1), here set to exactly those values / 0. Returns the names filled in."""
    filled = []
    for key, ref in model.state_dict().items():
        if key in part:
            continue
        base = key[: -len("_v")]
        if key.endswith("weight_v") and base + "_orig" in part and base + "_u" in part:
            w_mat = part[base + "_orig"].reshape(part[base + "_orig"].shape[0], -1)
            part[key] = F.normalize(torch.mv(w_mat.t(), part[base + "_u"]), dim=0, eps=1e-12)
        elif key.endswith("num_batches_tracked"):
            part[key] = torch.zeros_like(ref)
        else:
            continue  # load_state_dict reports it as missing
        filled.append(key)
    return filled


def write(out_dir, name, pairs, meta):
    tb.write_bundle(os.path.join(out_dir, name), dict(pairs), meta)


def cmd_init(args):
    torch.manual_seed(args.seed)
    G, D = build_models()
    B = args.batch
    # Same draw order as sagan_torch.py's main() and first step(), so its first iteration uses these very inputs.
    x_real = torch.rand(B, 3, 32, 32) * 2 - 1
    y_real = torch.randint(0, NCLS, (B,))
    z_d = torch.randn(B, ZDIM)
    y_d = torch.randint(0, NCLS, (B,))
    z_g = torch.randn(B, ZDIM)
    y_g = torch.randint(0, NCLS, (B,))
    meta = base_meta("init", seed=args.seed, batch=B)
    write(args.out, "state", state_tensors(G, D).items(), meta)
    pairs = with_nhwc("x_real", x_real) + [("y_real", y_real.int()), ("z_d", z_d), ("y_d", y_d.int()), ("z_g", z_g), ("y_g", y_g.int())]
    write(args.out, "inputs", pairs, meta)


def trace_hooks(G, D, record):
    """Records the output of each top-level submodule (G.lin before its view, G.b1, ..., D.lin before squeeze)."""
    handles = []
    for prefix, m in (("G.", G), ("D.", D)):
        for name, child in m.named_children():
            def hook(_mod, _inp, out, key=prefix + name):
                record.append((key, out.detach().clone()))
                if key == "G.lin":  # the Linear output as PyTorch views it, to check the NHWC unit permutation
                    record.append(("G.lin_map", out.detach().reshape(-1, GCH, 4, 4).clone()))
            handles.append(child.register_forward_hook(hook))
    return handles


def cmd_forward(args):
    G, D, x, metas = load(args.state, args.inputs)
    traced = []
    handles = trace_hooks(G, D, traced)
    with torch.no_grad():  # training-mode forwards: SN power iteration and BN batch statistics, no tape needed
        fake = G(x["z_d"], x["y_d"])
        d_real = D(x["x_real"], x["y_real"])
    for h in handles:
        h.remove()
    meta = base_meta("forward", seed=metas["state"].get("seed"), batch=int(x["z_d"].shape[0]))
    write(args.out, "outputs", with_nhwc("fake", fake) + [("d_real", d_real)], meta)
    write(args.out, "trace", [p for key, t in traced for p in with_nhwc(f"trace.{key}", t)], meta)
    write(args.out, "state", state_tensors(G, D).items(), meta)


def set_grad(m, flag):
    for p in m.parameters():
        p.requires_grad_(flag)


def cmd_iteration(args):
    G, D, x, metas = load(args.state, args.inputs)
    B = int(x["z_d"].shape[0])
    optG = torch.optim.Adam(G.parameters(), lr=LR_G, betas=BETAS)
    optD = torch.optim.Adam(D.parameters(), lr=LR_D, betas=BETAS)
    t0 = time.perf_counter()
    # ---- D step, as sagan_torch.py's step() with explicit noise and labels
    with torch.no_grad():
        fake_d = G(x["z_d"], x["y_d"])
    d_out_d = D(torch.cat([x["x_real"], fake_d]), torch.cat([x["y_real"], x["y_d"]]))
    loss_d = F.relu(1.0 - d_out_d[:B]).mean() + F.relu(1.0 + d_out_d[B:]).mean()
    optD.zero_grad(set_to_none=True)
    loss_d.backward()
    grads = [(f"D.{n}", p.grad.detach().clone()) for n, p in D.named_parameters()]
    optD.step()
    # ---- G step (D frozen: no D weight grads; D's SN u still updates in this training forward)
    set_grad(D, False)
    fake_g = G(x["z_g"], x["y_g"])
    d_out_g = D(fake_g, x["y_g"])
    loss_g = -d_out_g.mean()
    optG.zero_grad(set_to_none=True)
    loss_g.backward()
    grads += [(f"G.{n}", p.grad.detach().clone()) for n, p in G.named_parameters()]
    optG.step()
    set_grad(D, True)
    elapsed = time.perf_counter() - t0
    ld, lg = loss_d.item(), loss_g.item()
    meta = base_meta("iteration", seed=metas["state"].get("seed"), batch=B, loss_d=ld, loss_g=lg,
                     hyper={"lr_d": LR_D, "lr_g": LR_G, "betas": list(BETAS), "loss": "hinge"},
                     grads_note="D.* from the D step, G.* from the G step (before the Adam updates)")
    outputs = ([("loss_d", loss_d.detach()), ("loss_g", loss_g.detach())] + with_nhwc("fake_d", fake_d)
               + with_nhwc("fake_g", fake_g.detach()) + [("d_out_d", d_out_d.detach()), ("d_out_g", d_out_g.detach())])
    write(args.out, "outputs", outputs, meta)
    write(args.out, "grads", grads, meta)
    write(args.out, "adam", adam_state(optD, D, "D.") + adam_state(optG, G, "G."), meta)
    write(args.out, "state", state_tensors(G, D).items(), meta)
    print(json.dumps({"loss_d": ld, "loss_g": lg, "ms": round(elapsed * 1000, 1)}))


def adam_state(opt, model, prefix):
    """exp_avg, exp_avg_sq and step of each parameter, named after it."""
    out = []
    for n, p in model.named_parameters():
        s = opt.state.get(p, {})
        for key in ("exp_avg", "exp_avg_sq"):
            if key in s:
                out.append((f"{prefix}{n}.{key}", s[key]))
        if "step" in s:
            out.append((f"{prefix}{n}.step", torch.as_tensor(s["step"], dtype=torch.float32).reshape(())))
    return out


def cmd_counts(_args):
    G, D = build_models()
    count = lambda m: sum(p.numel() for p in m.parameters())
    print(json.dumps({"G": count(G), "D": count(D)}))


def main(argv):
    ap = argparse.ArgumentParser(description="PyTorch reference runs for the SAGAN-32 parity test.")
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads (default 1)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("init", help="build G and D from a seed, write DIR/state and DIR/inputs")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--out", required=True)
    for name, text in (("forward", "training-mode forwards G(z_d, y_d) and D(x_real, y_real)"),
                       ("iteration", "one training iteration (D step, G step) as sagan_torch.py's step()")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--state", required=True, help="a directory holding state.{json,bin} (from init, forward or iteration)")
        p.add_argument("--inputs", default=None, help="the directory holding inputs.{json,bin} (default: --state)")
        p.add_argument("--out", required=True)
    sub.add_parser("counts", help="print the parameter counts as JSON")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    try:
        {"init": cmd_init, "forward": cmd_forward, "iteration": cmd_iteration, "counts": cmd_counts}[args.cmd](args)
    except tb.BundleError as e:
        print(f"torch_reference: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
