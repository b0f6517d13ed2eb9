#!/usr/bin/env python3
"""Trains the exported GAN with PyTorch, on one or many GPUs (torchrun + DistributedDataParallel) or on CPUs.

Same training as SAGAN Studio: per iteration, D_STEPS_PER_G_STEP discriminator steps (G runs in training mode without
gradients, D judges real and generated images in one batch) and one generator step through D, with the document's
loss and Adam settings. --batch-size is the global batch, split evenly over the processes. See README.md.
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler

import config
from data import ImageFolder
from model import Discriminator, Generator
from sample import grid, png_bytes
from weights import latest_checkpoint, load_weights, save_checkpoint

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args(argv):
    p = argparse.ArgumentParser(description=f"Train {config.NAME} (exported from SAGAN Studio).")
    p.add_argument("--data", required=True, help="image folder: one subfolder per class (sorted names = class ids)")
    p.add_argument("--out", default=os.path.join("runs", config.SLUG), help="folder for checkpoints and metrics.jsonl")
    p.add_argument("--steps", type=int, default=config.STEPS, help="train until this G step (also when resuming)")
    p.add_argument("--batch-size", type=int, default=config.BATCH_SIZE, help="global batch, split over the processes")
    p.add_argument("--checkpoint-every", type=int, default=config.CHECKPOINT_EVERY)
    p.add_argument("--sample-every", type=int, default=config.SAMPLE_EVERY, help="steps between grids in OUT/samples")
    p.add_argument("--init", default=None, help="start from this weights bundle (default: init.json beside train.py)")
    p.add_argument("--fresh", action="store_true", help="start from random weights even when init.json is there")
    p.add_argument("--resume", action="store_true", help="continue from the newest checkpoint in --out")
    p.add_argument("--backend", choices=["nccl", "gloo"], default=None, help="default: nccl on GPUs, gloo on CPUs")
    p.add_argument("--cpu", action="store_true", help="train on the CPU even when GPUs are there")
    p.add_argument("--sync-bn", action="store_true", help="batch statistics over all GPUs (SyncBatchNorm; GPUs only)")
    p.add_argument("--workers", type=int, default=2, help="data-loading processes per training process")
    p.add_argument("--seed", type=int, default=config.SEED)
    p.add_argument("--log-every", type=int, default=10)
    return p.parse_args(argv)


class Context:
    """Where this process runs: rank, world size, device, and whether torch.distributed is up."""

    def __init__(self, args):
        self.distributed = "WORLD_SIZE" in os.environ
        self.rank = int(os.environ.get("RANK", 0))
        self.world = int(os.environ.get("WORLD_SIZE", 1))
        self.local_rank = int(os.environ.get("LOCAL_RANK", 0))
        cuda = torch.cuda.is_available() and not args.cpu
        self.device = torch.device("cuda", self.local_rank) if cuda else torch.device("cpu")
        if cuda:
            torch.cuda.set_device(self.device)
        else:  # share the cores between the processes on this machine
            torch.set_num_threads(max(1, (os.cpu_count() or 1) // int(os.environ.get("LOCAL_WORLD_SIZE", 1))))
        if self.distributed:
            dist.init_process_group(backend=args.backend or ("nccl" if cuda else "gloo"))
        self.main = self.rank == 0

    def mean(self, values):
        """Averages a list of floats over all processes."""
        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        if self.distributed:
            dist.all_reduce(t)
            t /= self.world
        return t.tolist()

    def wrap(self, module):
        if not self.distributed:
            return module
        return DistributedDataParallel(module, device_ids=[self.local_rank] if self.device.type == "cuda" else None)


def losses_d(real_scores, fake_scores):
    if config.OBJECTIVE == "hinge":
        return F.relu(1 - real_scores).mean(), F.relu(1 + fake_scores).mean()
    return F.softplus(-real_scores).mean(), F.softplus(fake_scores).mean()


def loss_g(fake_scores):
    return -fake_scores.mean() if config.OBJECTIVE == "hinge" else F.softplus(-fake_scores).mean()


def adam(params, settings):
    betas = (settings["beta1"], settings["beta2"])
    return torch.optim.Adam(params, lr=settings["lr"], betas=betas, eps=settings["epsilon"])


def endless(loader, sampler):
    epoch = 0
    while True:
        if sampler is not None:
            sampler.set_epoch(epoch)
        yield from loader
        epoch += 1


def update_ema(ema, G, step):
    """Moving average of every floating-point entry of G's state (as the app keeps it), from EMA["start_step"]."""
    if not config.EMA["enabled"] or step < config.EMA["start_step"]:
        return ema
    state = {k: v.detach() for k, v in G.state_dict().items() if v.is_floating_point()}
    if ema is None:
        return {k: v.clone() for k, v in state.items()}
    decay = config.EMA["decay"]
    with torch.no_grad():
        for k, v in state.items():
            ema[k].mul_(decay).add_(v, alpha=1 - decay)
    return ema


class SampleGrid:
    """Fixed noise and labels (8 per class, up to 10 rows) drawn in eval mode, with G's EMA when there is one."""

    def __init__(self, seed, device):
        rows = min(config.NUM_CLASSES, 10) if config.NUM_CLASSES > 0 else 8
        generator = torch.Generator().manual_seed(seed + 2)
        self.z = torch.randn(rows * 8, config.Z_DIM, generator=generator).to(device)
        self.y = (torch.arange(rows * 8) // 8 % max(config.NUM_CLASSES, 1)).to(device)

    def save(self, G, ema, out_dir, step):
        trained = {k: v.clone() for k, v in G.state_dict().items()} if ema else None
        if ema:
            G.load_state_dict(dict(trained, **ema))
        G.eval()
        with torch.no_grad():
            images = G(self.z, self.y if config.NUM_CLASSES > 0 else None).cpu()
        G.train()
        if trained:
            G.load_state_dict(trained)
        path = os.path.join(out_dir, "samples", f"step-{step:08d}.png")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path + ".tmp", "wb") as fh:
            fh.write(png_bytes(grid(images, 8)))
        os.replace(path + ".tmp", path)


def main(argv):
    args = parse_args(argv)
    ctx = Context(args)
    if args.batch_size % ctx.world:
        sys.exit(f"--batch-size {args.batch_size} does not split over {ctx.world} processes; give a multiple.")
    batch = args.batch_size // ctx.world

    torch.manual_seed(args.seed)  # the same initial weights in every process
    G, D = Generator(), Discriminator()
    ema, step = None, 0
    resume = latest_checkpoint(args.out) if args.resume else None
    if args.resume and not resume and ctx.main:
        print(f"No checkpoint in {os.path.join(args.out, 'checkpoints')} to resume from; starting anew.")
    init = args.init or (os.path.join(HERE, "init") if os.path.exists(os.path.join(HERE, "init.json")) else None)
    if resume:
        checkpoint = load_weights(G, D, resume)
        step, ema = checkpoint["step"], checkpoint.get("ema")
    elif init and not args.fresh:  # continue the SAGAN Studio run: its weights, EMA and step (Adam starts afresh)
        loaded = load_weights(G, D, init)
        step, ema = loaded["step"], loaded.get("ema")
        if ctx.main:
            print(f"Continuing from the weights in {init} (SAGAN Studio step {step}); --fresh ignores them.")
    G.to(ctx.device)
    D.to(ctx.device)
    ema = {k: v.to(ctx.device) for k, v in ema.items()} if ema else None
    if args.sync_bn and ctx.device.type == "cuda":
        G = nn.SyncBatchNorm.convert_sync_batchnorm(G)
        D = nn.SyncBatchNorm.convert_sync_batchnorm(D)
    opt_g = adam(G.parameters(), config.G_OPTIMIZER)
    opt_d = adam(D.parameters(), config.D_OPTIMIZER)
    if resume:
        opt_g.load_state_dict(checkpoint["opt_G"])
        opt_d.load_state_dict(checkpoint["opt_D"])
    G_train, D_train = ctx.wrap(G), ctx.wrap(D)

    dataset = ImageFolder(args.data, config.IMAGE_SIZE, config.CHANNELS, config.NUM_CLASSES)
    if len(dataset) // ctx.world < batch:
        sys.exit(f"{args.data} has {len(dataset)} images: too few for a batch of {batch} in {ctx.world} processes.")
    sampler = None
    if ctx.distributed:
        sampler = DistributedSampler(dataset, ctx.world, ctx.rank, shuffle=True, seed=args.seed, drop_last=True)
    loader = DataLoader(
        dataset,
        batch_size=batch,
        shuffle=sampler is None,
        sampler=sampler,
        drop_last=True,
        num_workers=args.workers,
        pin_memory=ctx.device.type == "cuda",
        persistent_workers=args.workers > 0,
    )
    real_batches = endless(loader, sampler)
    torch.manual_seed(args.seed + 1 + ctx.rank + step)  # each process draws its own noise
    conditional = config.NUM_CLASSES > 0
    samples = SampleGrid(args.seed, ctx.device) if ctx.main else None
    meta = {
        "graph": config.NAME,
        "torch": torch.__version__,
        "world_size": ctx.world,
        "device": ctx.device.type,
        "dataset": {"name": os.path.basename(os.path.abspath(args.data)), "size": len(dataset)},
    }
    if ctx.main:
        os.makedirs(args.out, exist_ok=True)
        print(
            f"Training {config.NAME} on {len(dataset)} images, {ctx.world} process(es) on {ctx.device.type}, "
            f"batch {args.batch_size} ({batch} each), from step {step} to {args.steps}."
        )

    def labels(n):
        return torch.randint(max(config.NUM_CLASSES, 1), (n,), device=ctx.device)

    G.train()
    D.train()
    while step < args.steps:
        started = time.perf_counter()
        for _ in range(config.D_STEPS_PER_G_STEP):
            x_real, y_real = next(real_batches)
            x_real, y_real = x_real.to(ctx.device, non_blocking=True), y_real.to(ctx.device, non_blocking=True)
            y_fake = labels(batch)
            with torch.no_grad():  # G in training mode (its u and batch statistics move), no gradients
                fake = G(torch.randn(batch, config.Z_DIM, device=ctx.device), y_fake if conditional else None)
            scores = D_train(torch.cat([x_real, fake]), torch.cat([y_real, y_fake]) if conditional else None).view(-1)
            real_part, fake_part = losses_d(scores[:batch], scores[batch:])
            opt_d.zero_grad(set_to_none=True)
            (real_part + fake_part).backward()
            opt_d.step()
        y = labels(batch)
        D.requires_grad_(False)  # D only passes the gradient on to G (its u still updates)
        fake = G_train(torch.randn(batch, config.Z_DIM, device=ctx.device), y if conditional else None)
        generator_loss = loss_g(D(fake, y if conditional else None).view(-1))
        opt_g.zero_grad(set_to_none=True)
        generator_loss.backward()
        opt_g.step()
        D.requires_grad_(True)
        step += 1
        ema = update_ema(ema, G, step)
        loss_real, loss_fake, lossg = ctx.mean([real_part.item(), fake_part.item(), generator_loss.item()])
        if ctx.main:
            ms = (time.perf_counter() - started) * 1000
            with open(os.path.join(args.out, "metrics.jsonl"), "a", encoding="utf-8") as fh:
                line = {"step": step, "lossD": loss_real + loss_fake, "lossDReal": loss_real, "lossDFake": loss_fake}
                fh.write(json.dumps(dict(line, lossG=lossg, msPerIt=ms)) + "\n")
            if step % args.log_every == 0 or step == 1 or step == args.steps:
                losses = f"loss_D {loss_real + loss_fake:.4f}  loss_G {lossg:.4f}"
                print(f"step {step}/{args.steps}  {losses}  {ms:.0f} ms/it", flush=True)
            if step % args.sample_every == 0 or step == args.steps:
                samples.save(G, ema, args.out, step)
            if step % args.checkpoint_every == 0 or step == args.steps:
                base = save_checkpoint(args.out, step, G, D, opt_g, opt_d, ema, meta)
                print(f"Checkpoint {base}.pt (+ .weights.json/.bin for sagan-studio import-pytorch)", flush=True)
    if ctx.distributed:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == "__main__":
    main(sys.argv[1:])
