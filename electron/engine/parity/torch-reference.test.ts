import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTensorBundle, writeTensorBundle, type BundleTensor } from '../node/tensor-bundle';
import { PYTHON, referenceScript, runPython, runTorchReference, torchAvailability } from './python';
import { nchwToNhwc, unitsChwToHwc } from './torch-layout';

// Runs the PyTorch half of the parity test on batch 4 and checks what it writes. Needs python3-torch (CI installs it).
const torch = torchAvailability();
const skipReason = torch.available ? '' : `skipped: ${torch.reason}`;
const B = 4;
const G_PARAMS = 4_386_756;
const D_PARAMS = 1_075_810;

type Bundle = Map<string, BundleTensor>;
let dir: string;
const bundles: Record<string, Bundle> = {};
let iterationStdout: { loss_d: number; loss_g: number };

async function harness(args: string[]): Promise<string> {
  const r = await runTorchReference(['--threads', '1', ...args]);
  if (!r.ok) throw new Error(r.error);
  return r.value.stdout;
}

async function load(path: string): Promise<Bundle> {
  const r = await readTensorBundle(join(dir, path));
  if (!r.ok) throw new Error(r.error);
  return r.value.tensors;
}

function get(bundle: Bundle, name: string): BundleTensor {
  const t = bundle.get(name);
  if (!t) throw new Error(`tensor ${name} missing; have ${[...bundle.keys()].slice(0, 8).join(', ')}…`);
  return t;
}

const values = (t: BundleTensor) => [...t.data];
const scalar = (t: BundleTensor) => t.data[0]!;
const l2 = (t: BundleTensor) => Math.hypot(...t.data);
const isSpectralVector = (name: string) => /\.weight_[uv]$/.test(name);
const isBuffer = (name: string) =>
  isSpectralVector(name) || /\.(running_mean|running_var|num_batches_tracked)$/.test(name);
const numel = (t: BundleTensor) => t.shape.reduce((a, b) => a * b, 1);

describe.skipIf(skipReason)(
  `PyTorch reference harness (torch_reference.py via ${PYTHON})${skipReason ? ` (${skipReason})` : ''}`,
  () => {
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'torch-ref-'));
      await harness(['init', '--seed', '0', '--batch', String(B), '--out', join(dir, 'init')]);
      await harness(['forward', '--state', join(dir, 'init'), '--out', join(dir, 'forward')]);
      iterationStdout = JSON.parse(
        await harness(['iteration', '--state', join(dir, 'init'), '--out', join(dir, 'iteration')]),
      );
      for (const name of [
        'init/state',
        'init/inputs',
        'forward/outputs',
        'forward/trace',
        'forward/state',
        'iteration/outputs',
        'iteration/state',
        'iteration/grads',
        'iteration/adam',
      ]) {
        bundles[name] = await load(name);
      }
    }, 300_000); // three PyTorch processes; each imports torch, slow on 2 loaded cores
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('counts the reference parameters: G 4,386,756, D 1,075,810', async () => {
      expect(JSON.parse(await harness(['counts']))).toEqual({ G: G_PARAMS, D: D_PARAMS });
    });

    it('init writes the full state_dicts of G and D in PyTorch layout', () => {
      const state = bundles['init/state']!;
      const shapes: Record<string, number[]> = {
        'G.lin.weight_orig': [4096, 128],
        'G.lin.weight_u': [4096],
        'G.lin.weight_v': [128],
        'G.lin.bias': [4096],
        'G.b1.c1.weight_orig': [256, 256, 3, 3],
        'G.b1.sc.weight_orig': [256, 256, 1, 1],
        'G.b1.cbn1.gamma.weight': [10, 256],
        'G.b1.cbn1.bn.running_var': [256],
        'G.att.gamma': [],
        'G.att.f.weight_orig': [32, 256, 1, 1],
        'G.bn.weight': [256],
        'G.out.weight_orig': [3, 256, 3, 3],
        'G.out.weight_u': [3],
        'G.out.weight_v': [2304],
        'D.b1.c1.weight_orig': [128, 3, 3, 3],
        'D.b2.sc.weight_orig': [128, 128, 1, 1],
        'D.lin.weight_orig': [1, 128],
        'D.emb.weight_orig': [10, 128],
        'D.emb.weight_u': [10],
        'D.emb.weight_v': [128],
      };
      for (const [name, shape] of Object.entries(shapes)) expect([name, get(state, name).shape]).toEqual([name, shape]);
      expect(get(state, 'G.bn.num_batches_tracked')).toMatchObject({
        dtype: 'int64',
        shape: [],
        data: Int32Array.from([0]),
      });
      expect(new Set(values(get(state, 'G.b2.cbn2.gamma.weight')))).toEqual(new Set([1]));
      const params = (prefix: string) =>
        [...state].filter(([n]) => n.startsWith(prefix) && !isBuffer(n)).reduce((s, [, t]) => s + numel(t), 0);
      expect([params('G.'), params('D.')]).toEqual([G_PARAMS, D_PARAMS]);
      for (const [name, t] of state)
        if (isSpectralVector(name)) expect([name, l2(t)]).toEqual([name, expect.closeTo(1, 5)]);
    });

    it('init writes fixed inputs, images also in NHWC', () => {
      const inputs = bundles['init/inputs']!;
      const x = get(inputs, 'x_real');
      expect(x.shape).toEqual([B, 3, 32, 32]);
      expect(Math.min(...x.data) >= -1 && Math.max(...x.data) <= 1).toBe(true);
      const xNhwc = get(inputs, 'x_real_nhwc');
      expect(xNhwc.shape).toEqual([B, 32, 32, 3]);
      expect(xNhwc.data).toEqual(nchwToNhwc({ shape: x.shape, data: x.data as Float32Array }).data);
      for (const z of ['z_d', 'z_g']) expect(get(inputs, z).shape).toEqual([B, 128]);
      for (const y of ['y_real', 'y_d', 'y_g']) {
        const labels = get(inputs, y);
        expect([labels.dtype, labels.shape]).toEqual(['int32', [B]]);
        expect(values(labels).every((v) => Number.isInteger(v) && v >= 0 && v < 10)).toBe(true);
      }
    });

    it('forward writes G(z_d, y_d) and D(x_real, y_real) and the state after one training forward each', () => {
      const out = bundles['forward/outputs']!;
      const fake = get(out, 'fake');
      expect(fake.shape).toEqual([B, 3, 32, 32]);
      expect(values(fake).every((v) => v > -1 && v < 1)).toBe(true);
      expect(get(out, 'fake_nhwc').data).toEqual(
        nchwToNhwc({ shape: fake.shape, data: fake.data as Float32Array }).data,
      );
      expect(get(out, 'd_real').shape).toEqual([B]);
      expect(values(get(out, 'd_real')).every(Number.isFinite)).toBe(true);

      const before = bundles['init/state']!;
      const after = bundles['forward/state']!;
      expect(scalar(get(after, 'G.b1.cbn1.bn.num_batches_tracked'))).toBe(1);
      expect(get(after, 'G.lin.weight_orig').data).toEqual(get(before, 'G.lin.weight_orig').data);
      for (const name of ['G.b1.c1.weight_u', 'D.b1.c1.weight_u', 'D.emb.weight_u']) {
        expect(get(after, name).data).not.toEqual(get(before, name).data); // one power iteration ran
        expect(l2(get(after, name))).toBeCloseTo(1, 5);
      }
    });

    it("forward's trace shows PyTorch viewing the Linear output as C,H,W, which unitsChwToHwc turns into our NHWC order", () => {
      const trace = bundles['forward/trace']!;
      const lin = get(trace, 'trace.G.lin');
      const map = get(trace, 'trace.G.lin_map_nhwc');
      expect([lin.shape, map.shape]).toEqual([
        [B, 4096],
        [B, 4, 4, 256],
      ]);
      for (let b = 0; b < B; b++) {
        const row = lin.data.slice(b * 4096, (b + 1) * 4096) as Float32Array;
        expect(unitsChwToHwc(row, { channels: 256, height: 4, width: 4 })).toEqual(
          map.data.slice(b * 4096, (b + 1) * 4096),
        );
      }
      expect(get(trace, 'trace.D.b4_nhwc').shape).toEqual([B, 8, 8, 128]);
    });

    it('iteration runs one D step and one G step: finite hinge losses that match its D outputs', () => {
      const out = bundles['iteration/outputs']!;
      const lossD = scalar(get(out, 'loss_d'));
      const lossG = scalar(get(out, 'loss_g'));
      expect(Number.isFinite(lossD) && Number.isFinite(lossG)).toBe(true);
      expect(iterationStdout.loss_d).toBeCloseTo(lossD, 5);
      const dOut = values(get(out, 'd_out_d'));
      expect(dOut).toHaveLength(2 * B);
      const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
      const hinge =
        mean(dOut.slice(0, B).map((d) => Math.max(0, 1 - d))) + mean(dOut.slice(B).map((d) => Math.max(0, 1 + d)));
      expect(lossD).toBeCloseTo(hinge, 4);
      expect(lossG).toBeCloseTo(-mean(values(get(out, 'd_out_g'))), 4);
      // The D step's fake is G(z_d, y_d) from the initial state, exactly what `forward` computed.
      expect(get(out, 'fake_d').data).toEqual(get(bundles['forward/outputs']!, 'fake').data);
      expect(get(out, 'fake_g_nhwc').shape).toEqual([B, 32, 32, 3]);
    });

    it('iteration writes the updated state, the gradients and the Adam moments', () => {
      const before = bundles['init/state']!;
      const after = bundles['iteration/state']!;
      expect(scalar(get(after, 'G.b3.cbn2.bn.num_batches_tracked'))).toBe(2); // G ran twice: D step and G step
      for (const name of ['G.lin.weight_orig', 'G.b1.cbn1.gamma.weight', 'D.b1.c1.weight_orig', 'D.emb.weight_orig']) {
        expect(get(after, name).data).not.toEqual(get(before, name).data);
      }
      const grads = bundles['iteration/grads']!;
      const adam = bundles['iteration/adam']!;
      const total = (prefix: string) =>
        [...grads].filter(([n]) => n.startsWith(prefix)).reduce((s, [, t]) => s + numel(t), 0);
      expect([total('G.'), total('D.')]).toEqual([G_PARAMS, D_PARAMS]);
      // β1 = 0: after one step the first moment is the gradient itself and the second is (1 − β2)·g².
      const g = get(grads, 'D.lin.weight_orig');
      expect(get(adam, 'D.lin.weight_orig.exp_avg').data).toEqual(g.data);
      const secondMoment = get(adam, 'D.lin.weight_orig.exp_avg_sq').data;
      g.data.forEach((gi, i) => expect(secondMoment[i]! / (0.1 * gi * gi)).toBeCloseTo(1, 5)); // float32: relative
      expect(scalar(get(adam, 'G.att.gamma.step'))).toBe(1);
    });

    it('accepts a state without SN v vectors and BN batch counters (as the engine would export it) and trains the same', async () => {
      const trimmed = new Map(
        [...bundles['init/state']!].filter(([n]) => !/\.(weight_v|num_batches_tracked)$/.test(n)),
      );
      expect((await writeTensorBundle(join(dir, 'trimmed', 'state'), trimmed)).ok).toBe(true);
      const out = JSON.parse(
        await harness([
          'iteration',
          '--state',
          join(dir, 'trimmed'),
          '--inputs',
          join(dir, 'init'),
          '--out',
          join(dir, 'trimmed-it'),
        ]),
      );
      expect(out.loss_d).toBe(iterationStdout.loss_d);
      expect(out.loss_g).toBe(iterationStdout.loss_g);
    });

    it("matches sagan_torch.py's own first iteration from the same seed", async () => {
      const json = join(dir, 'peer.json');
      const peer = await runPython(referenceScript(), [
        '--threads',
        '1',
        '--batch',
        String(B),
        '--warmup',
        '0',
        '--iters',
        '1',
        '--seed',
        '0',
        '--json',
        json,
      ]);
      if (!peer.ok) throw new Error(peer.error);
      const [lossD, lossG] = JSON.parse(await readFile(json, 'utf8')).final_losses as [number, number];
      expect(iterationStdout.loss_d).toBeCloseTo(lossD, 5);
      expect(iterationStdout.loss_g).toBeCloseTo(lossG, 4);
    });
  },
);
