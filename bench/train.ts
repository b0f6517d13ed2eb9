// `npm run bench:train -- --preset sagan-32 --batch 32 [--iters 5] [--warmup 2] [--backend wasm] [--threads 2] [--vs-torch]`
// Times the same training iteration as ../shared/reference/sagan_torch.py (one D step on real+fake, one G step,
// hinge, TTUR Adam) and prints backend, median ms per iteration, it/s and peak memory; --vs-torch also runs the
// PyTorch reference with the same batch and threads and prints the speed ratio.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findPreset } from '../graph-schemas';
import { formatBytes } from '../electron/engine/core/train/memory';
import { seededRandom } from '../electron/engine/core/train/random';
import { GanTrainer } from '../electron/engine/core/train/trainer';
import { selectBackend } from '../electron/engine/node/backend';
import type { BackendRequest } from '../electron/engine/node/backend';
import { PYTHON, referenceScript } from '../electron/engine/parity/python';

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'sagan-32' },
    batch: { type: 'string', default: '32' },
    iters: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    backend: { type: 'string', default: 'auto' },
    threads: { type: 'string', default: '2' },
    'vs-torch': { type: 'boolean', default: false },
  },
});
const batch = Number(values.batch);
const threads = Number(values.threads);
const preset = findPreset(values.preset!);
if (!preset) throw new Error(`Unknown preset ${values.preset}.`);
const doc = preset.build();
doc.training.batchSize = batch;

const backend = await selectBackend({ requested: values.backend as BackendRequest, threads });
const [h, w, c] = [doc.dataset.imageSize, doc.dataset.imageSize, doc.dataset.channels];
const real = seededRandom(7).normal(batch * h * w * c).map((v) => Math.tanh(v));
const data = { next: (b: number) => ({ images: real.subarray(0, b * h * w * c), labels: seededRandom(8).ints(b, Math.max(1, doc.dataset.classes)), shape: [b, h, w, c] as [number, number, number, number] }), getState: () => null, setState: () => {} };
const trainer = new GanTrainer(doc, data, seededRandom(1), seededRandom(2));
const times: number[] = [];
let peak = 0;
for (let i = 0; i < Number(values.warmup) + Number(values.iters); i++) {
  const t0 = performance.now();
  let lossD = 0;
  let lossG = 0;
  const info = await tf.profile(() => {
    const r = trainer.iterate();
    lossD = r.lossD;
    lossG = r.lossG;
  });
  const ms = performance.now() - t0;
  peak = Math.max(peak, info.peakBytes);
  const timed = i >= Number(values.warmup);
  if (timed) times.push(ms);
  console.log(`[${timed ? 'timed' : 'warmup'} ${i}] ${ms.toFixed(0)} ms lossD=${lossD.toFixed(4)} lossG=${lossG.toFixed(4)}`);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
console.log(`tfjs ${backend.name} (${backend.reason}): ${preset.name} batch ${batch}: median ${median.toFixed(0)} ms/iteration, ${(1000 / median).toFixed(3)} it/s, peak tensor memory ${formatBytes(peak)}, process RSS ${formatBytes(process.memoryUsage().rss)}`);

if (values['vs-torch']) {
  if (values.preset !== 'sagan-32') throw new Error('--vs-torch compares sagan-32 only (the reference model).');
  const out = join(mkdtempSync(join(tmpdir(), 'bench-')), 'torch.json');
  const r = spawnSync(PYTHON, [referenceScript(), '--threads', String(threads), '--batch', String(batch), '--warmup', values.warmup!, '--iters', values.iters!, '--json', out], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('The PyTorch reference failed (is python3-torch installed?).');
  const torch = JSON.parse(readFileSync(out, 'utf8')) as { median_ms: number; peak_rss_mb: number };
  console.log(`PyTorch ${threads} threads: median ${torch.median_ms.toFixed(0)} ms/iteration, peak RSS ${torch.peak_rss_mb} MiB`);
  console.log(`ratio: tfjs runs at ${(torch.median_ms / median).toFixed(3)} of PyTorch's speed (target for the engine issue: ≥ 0.25)`);
}
