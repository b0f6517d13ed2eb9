import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSagan32Discriminator, buildSagan32Generator, sagan32TorchPrefix } from './sagan32-testkit';
import { fromTorchLayout, torchStateDictEntries } from './torch-mapping';
import type { TorchStateDictEntry } from './torch-mapping';

/*
 * Numerical parity of our layers with sagan_torch.py on a narrow SAGAN-32 (G and D 16 channels wide, so
 * it runs in seconds on the cpu backend): same weights, one training-mode forward of G then D (SN power
 * iterations, batch statistics), a backward pass, then outputs, gradients, u vectors and running
 * statistics are compared. Skipped, with the reason, where PyTorch or the reference file is missing.
 */

const PYTHON = process.env.SAGAN_PYTHON ?? '/usr/bin/python3';
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const REFERENCE_DIR = [
  process.env.SAGAN_REFERENCE_DIR,
  join(REPO, '..', 'shared', 'reference'),
  join(REPO, 'shared', 'reference'),
].find((d) => d !== undefined && existsSync(join(d, 'sagan_torch.py')));
const WIDTH = 16;
const BATCH = 3;

const SCRIPT = `
import json, sys, torch
sys.path.insert(0, sys.argv[1])
import sagan_torch as S
S.GCH = S.DCH = int(sys.argv[2])
B = int(sys.argv[3])
torch.manual_seed(0)
G, D = S.Generator(), S.Discriminator()
G.train(); D.train()
with torch.no_grad():  # move the parameters that start at constants, so every path is exercised
    G.att.gamma.fill_(0.3); D.att.gamma.fill_(-0.2)
    for m in G.modules():
        if isinstance(m, S.CBN):
            m.gamma.weight.add_(0.2 * torch.randn_like(m.gamma.weight)); m.beta.weight.add_(0.2 * torch.randn_like(m.beta.weight))
    G.bn.weight.add_(0.2 * torch.randn_like(G.bn.weight)); G.bn.bias.add_(0.2 * torch.randn_like(G.bn.bias))
z = torch.randn(B, S.ZDIM); y = torch.randint(0, S.NCLS, (B,)); r = torch.randn(B)
state = lambda: {**{'G.' + k: v.clone() for k, v in G.state_dict().items()}, **{'D.' + k: v.clone() for k, v in D.state_dict().items()}}
before = state()
image = G(z, y); score = D(image, y)
(score * r).sum().backward()
grads = {**{'G.' + n: p.grad for n, p in G.named_parameters()}, **{'D.' + n: p.grad for n, p in D.named_parameters()}}
enc = lambda d: {k: {'shape': list(v.shape), 'data': v.detach().double().flatten().tolist()} for k, v in d.items()}
json.dump({'before': enc(before), 'after': enc(state()), 'grads': enc(grads),
           'inputs': enc({'z': z, 'y': y, 'r': r}), 'outputs': enc({'image': image, 'score': score})}, sys.stdout)
`;

type Encoded = Record<string, { shape: number[]; data: number[] }>;
interface TorchRun {
  before: Encoded;
  after: Encoded;
  grads: Encoded;
  inputs: Encoded;
  outputs: Encoded;
}

function torchSkipReason(): string | null {
  if (!REFERENCE_DIR) return 'sagan_torch.py not found (set SAGAN_REFERENCE_DIR)';
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  return probe.status === 0
    ? null
    : `PyTorch is not importable by ${PYTHON} (install python3-torch or set SAGAN_PYTHON)`;
}

const skipReason = torchSkipReason();
if (skipReason) console.warn(`torch-parity.test.ts skipped: ${skipReason}`);

const tensorOf = (e: { shape: number[]; data: number[] }) => tf.tensor(e.data, e.shape, 'float32');
const relDiff = (a: tf.Tensor, b: tf.Tensor) =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1, tf.max(tf.abs(b)).dataSync()[0]));

describe.skipIf(skipReason !== null)('parity with sagan_torch.py (narrow SAGAN-32, training mode)', () => {
  let ref: TorchRun;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    const run = spawnSync(PYTHON, ['-c', SCRIPT, REFERENCE_DIR!, String(WIDTH), String(BATCH)], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`PyTorch reference failed: ${run.stderr}`);
    ref = JSON.parse(run.stdout) as TorchRun;
  });

  it('matches outputs (≤ 1e-4), gradients, updated u vectors and running statistics', () => {
    const g = buildSagan32Generator({ gChannels: WIDTH, seed: 1 });
    const d = buildSagan32Discriminator({ dChannels: WIDTH, seed: 2 });
    const entries: TorchStateDictEntry[] = [
      ...torchStateDictEntries(g, (l) => `G.${sagan32TorchPrefix(l)}`),
      ...torchStateDictEntries(d, (l) => `D.${sagan32TorchPrefix(l)}`),
    ];
    // Every torch key is covered, except the ones we do not keep (weight_v, num_batches_tracked).
    const covered = new Set(entries.map((e) => e.torchKey));
    expect(Object.keys(ref.before).filter((k) => !covered.has(k) && !/weight_v$|num_batches_tracked$/.test(k))).toEqual(
      [],
    );
    for (const e of entries) {
      const t = tensorOf(ref.before[e.torchKey]);
      e.variable.write(fromTorchLayout(t, e.layout));
      t.dispose();
    }

    const z = tensorOf(ref.inputs.z);
    const y = tf.tensor(ref.inputs.y.data, [BATCH, 1], 'int32');
    const r = tensorOf(ref.inputs.r).reshape([BATCH, 1]);
    const trainable = entries.filter((e) => e.variable.trainable);
    let image: tf.Tensor | null = null;
    let score: tf.Tensor | null = null;
    const { value, grads } = tf.variableGrads(
      () => {
        image = g.apply([z, y], { training: true }) as tf.Tensor;
        score = d.apply([image, y], { training: true }) as tf.Tensor;
        tf.keep(image);
        tf.keep(score);
        return tf.sum(tf.mul(score, r)) as tf.Scalar;
      },
      trainable.map((e) => e.variable.read() as tf.Variable),
    );

    const torchImage = tf.transpose(tensorOf(ref.outputs.image), [0, 2, 3, 1]);
    const imageDiff = tf.max(tf.abs(tf.sub(image!, torchImage))).dataSync()[0];
    const scoreDiff = tf.max(tf.abs(tf.sub(score!, tensorOf(ref.outputs.score).reshape([BATCH, 1])))).dataSync()[0];
    console.log(`max |Δ| image ${imageDiff.toExponential(2)}, score ${scoreDiff.toExponential(2)}`);
    expect(imageDiff).toBeLessThanOrEqual(1e-4);
    expect(scoreDiff).toBeLessThanOrEqual(1e-4);

    const worstGrad = trainable
      .map((e) => ({
        key: e.torchKey,
        diff: relDiff(
          grads[(e.variable.read() as tf.Variable).name],
          fromTorchLayout(tensorOf(ref.grads[e.torchKey]), e.layout),
        ),
      }))
      .sort((a, b) => b.diff - a.diff)[0];
    console.log(
      `worst gradient difference ${worstGrad.diff.toExponential(2)} (${worstGrad.key}), relative to max(1, |g|max)`,
    );
    expect(worstGrad.diff, worstGrad.key).toBeLessThanOrEqual(1e-4);

    const worstState = entries
      .filter((e) => !e.variable.trainable)
      .map((e) => ({
        key: e.torchKey,
        diff: relDiff(e.variable.read(), fromTorchLayout(tensorOf(ref.after[e.torchKey]), e.layout)),
      }))
      .sort((a, b) => b.diff - a.diff)[0];
    console.log(`worst u / running-statistic difference ${worstState.diff.toExponential(2)} (${worstState.key})`);
    expect(worstState.diff, worstState.key).toBeLessThanOrEqual(1e-5);
    tf.dispose([value, grads, z, y, r, image!, score!, torchImage]);
    g.dispose();
    d.dispose();
  });
});
