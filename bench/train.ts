// `npm run bench:train -- --preset sagan-32 --batch 32 [--batches 32,64] [--rounds 3] [--iters 2] [--backend auto] [--threads 2] [--vs-torch [--device cpu|cuda|mps]]`
// Times the same training iteration as ../shared/reference/sagan_torch.py (one D step on real+fake, one G step, hinge,
// TTUR Adam) and prints, per batch size: median ms per iteration, it/s, GFLOP/s, peak memory (real buffers, the
// per-sample part and the wasm heap) and, with --vs-torch, PyTorch's figures from the same run and the speed ratio.
// With --vs-torch the batches default to the given one and twice it (32 and 64). tfjs and PyTorch take turns
// (rounds of --iters iterations each), so load from other processes on a shared machine hits both alike; the load
// average and PyTorch's own count of foreign CPU use are printed with each round. --device is PyTorch's device (default:
// cuda with --backend webgpu, so a GPU is compared with a GPU; else cpu).
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findPreset } from '../graph-schemas';
import { countFlops } from '../electron/engine/core/train/flops';
import { extrapolatePeak, formatBytes, traceMemory } from '../electron/engine/core/train/memory';
import { seededRandom } from '../electron/engine/core/train/random';
import { GanModel } from '../electron/engine/core/model/gan-model';
import { wasmHeapBytes } from '../electron/engine/core/tfjs-internals';
import { GanTrainer } from '../electron/engine/core/train/trainer';
import { selectBackend } from '../electron/engine/node/backend';
import type { BackendRequest } from '../electron/engine/node/backend';
import { PYTHON, referenceScript } from '../electron/engine/parity/python';

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'sagan-32' },
    batch: { type: 'string', default: '32' },
    batches: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    iters: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '1' },
    backend: { type: 'string', default: 'auto' },
    threads: { type: 'string', default: '2' },
    'vs-torch': { type: 'boolean', default: false },
    device: { type: 'string' },
  },
});
const vsTorch = values['vs-torch']!;
const torchDevice = values.device ?? (values.backend === 'webgpu' ? 'cuda' : 'cpu');
const threads = Number(values.threads);
const rounds = Number(values.rounds);
const iters = Number(values.iters);
const batches = values.batches
  ? values.batches.split(',').map(Number)
  : vsTorch
    ? [Number(values.batch), 2 * Number(values.batch)]
    : [Number(values.batch)];
const preset = findPreset(values.preset!);
if (!preset) throw new Error(`Unknown preset ${values.preset}.`);
if (vsTorch && values.preset !== 'sagan-32')
  throw new Error('--vs-torch compares sagan-32 only (the reference model).');

const backend = await selectBackend({ requested: values.backend as BackendRequest, threads });
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
/** Busy CPU seconds of the whole machine (all cores) from /proc/stat, as sagan_torch.py counts them; null off Linux. */
function machineBusySeconds(): number | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    return (f.reduce((a, b) => a + b, 0) - f[3]! - f[4]!) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}
/** Runs `f` and returns its wall time and the CPU other processes used meanwhile, in cores (0 on a quiet machine). */
async function timedWithForeignLoad(f: () => Promise<unknown>): Promise<{ ms: number; foreign: number | null }> {
  const busy0 = machineBusySeconds();
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  const ms = performance.now() - t0;
  const own = process.cpuUsage(own0);
  const busy1 = machineBusySeconds();
  if (busy0 === null || busy1 === null) return { ms, foreign: null };
  return { ms, foreign: Math.max(0, busy1 - busy0 - (own.user + own.system) / 1e6) / (ms / 1000) };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(
  `tfjs ${tf.version.tfjs} on ${backend.name} (${backend.reason}); ${availableParallelism()} logical cores, ${cpus()[0]?.model ?? 'unknown CPU'}`,
);
console.log(machinePeak());
if (backend.name === 'wasm')
  console.log(`best case for wasm here: one large XNNPACK convolution runs at ${bestConvGflops().toFixed(1)} GFLOP/s`);

function makeTrainer(batch: number) {
  const doc = preset!.build();
  doc.training.batchSize = batch;
  const [h, w, c] = [doc.dataset.imageSize, doc.dataset.imageSize, doc.dataset.channels];
  const real = seededRandom(7)
    .normal(batch * h * w * c)
    .map((v) => Math.tanh(v));
  const data = {
    next: (b: number) => ({
      images: real.subarray(0, b * h * w * c),
      labels: seededRandom(8).ints(b, Math.max(1, doc.dataset.classes)),
      shape: [b, h, w, c] as [number, number, number, number],
    }),
    getState: () => null,
    setState: () => {},
  };
  return new GanTrainer(GanModel.compile(doc), data, seededRandom(1));
}

interface TorchRound {
  iter_ms: number[];
  foreign_cores_per_iter: number[];
  peak_rss_mb: number;
}

function torchRound(batch: number): TorchRound {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-')), 'torch.json');
  const r = spawnSync(
    PYTHON,
    [
      referenceScript(),
      '--threads',
      String(threads),
      '--batch',
      String(batch),
      '--warmup',
      values.warmup!,
      '--iters',
      String(iters),
      '--device',
      torchDevice,
      '--json',
      out,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0)
    throw new Error(`The PyTorch reference failed (is python3-torch installed?): ${r.stderr.trim().split('\n').pop()}`);
  return JSON.parse(readFileSync(out, 'utf8')) as TorchRound;
}

interface BatchResult {
  batch: number;
  tfjsMs: number;
  torchMs: number | null;
  /** Medians over the iterations during which other processes used under QUIET cores (null when none was that quiet). */
  quietTfjsMs: number | null;
  quietTorchMs: number | null;
  torchRssMb: number | null;
  flops: number;
  trace: number[];
  peakBytes: number;
  heapBytes: number | null;
}

/** Other processes' CPU use (in cores) below which an iteration counts as undisturbed. */
const QUIET = 0.2;
const results: BatchResult[] = [];
for (const batch of batches) {
  console.log(`\n== ${preset.name}, batch ${batch} ==`);
  const trainer = makeTrainer(batch);
  for (let i = 0; i < Number(values.warmup); i++) await trainer.iterate();
  // Measured on their own (untimed) iterations: observing every kernel costs a little time.
  const { flops, byKernel } = await countFlops(() => trainer.iterate().then(() => undefined));
  const { trace, peak } = await traceMemory(() => trainer.iterate().then(() => undefined));
  const tfjsTimes: number[] = [];
  const torchTimes: number[] = [];
  const quietTfjs: number[] = [];
  const quietTorch: number[] = [];
  let torchRss: number | null = null;
  for (let r = 0; r < rounds; r++) {
    const mine: number[] = [];
    const foreign: (number | null)[] = [];
    for (let i = 0; i < iters; i++) {
      const { ms, foreign: f } = await timedWithForeignLoad(() => trainer.iterate());
      mine.push(ms);
      foreign.push(f);
      if (f !== null && f < QUIET) quietTfjs.push(ms);
    }
    tfjsTimes.push(...mine);
    let line = `round ${r + 1}: tfjs ${mine.map((t) => t.toFixed(0)).join(', ')} ms (foreign cores ${foreign.map((f) => (f === null ? '?' : f.toFixed(2))).join(', ')}; load ${load()})`;
    if (vsTorch) {
      const t = torchRound(batch);
      torchTimes.push(...t.iter_ms);
      t.iter_ms.forEach((ms, i) => {
        if (t.foreign_cores_per_iter[i]! < QUIET) quietTorch.push(ms);
      });
      torchRss = Math.max(torchRss ?? 0, t.peak_rss_mb);
      line += `; PyTorch ${t.iter_ms.map((x) => x.toFixed(0)).join(', ')} ms (foreign cores ${t.foreign_cores_per_iter.join(', ')}; load ${load()})`;
    }
    console.log(line);
  }
  trainer.dispose();
  trainer.model.dispose();
  const kernels = [...byKernel]
    .sort((a, b) => b[1] - a[1])
    .map(([k, f]) => `${k} ${(f / 1e9).toFixed(0)}`)
    .join(', ');
  console.log(
    `work: ${(flops / 1e9).toFixed(1)} GFLOP per iteration (${kernels}); ${(flops / 1e9 / batch).toFixed(2)} GFLOP per sample`,
  );
  results.push({
    batch,
    tfjsMs: median(tfjsTimes),
    torchMs: vsTorch ? median(torchTimes) : null,
    quietTfjsMs: quietTfjs.length ? median(quietTfjs) : null,
    quietTorchMs: quietTorch.length ? median(quietTorch) : null,
    torchRssMb: torchRss,
    flops,
    trace,
    peakBytes: peak,
    heapBytes: wasmHeapBytes(),
  });
}

console.log('\n== summary ==');
const smallest = results[0]!;
const largestRun = results[results.length - 1]!;
const perSample =
  results.length > 1
    ? extrapolatePeak(smallest.trace, smallest.batch, largestRun.trace, largestRun.batch, largestRun.batch)
    : null;
for (const r of results) {
  const gflops = (ms: number) => (r.flops / 1e6 / ms).toFixed(1);
  console.log(
    `batch ${r.batch}: tfjs ${backend.name} median ${r.tfjsMs.toFixed(0)} ms/iteration (${(1000 / r.tfjsMs).toFixed(3)} it/s, ${gflops(r.tfjsMs)} GFLOP/s), peak ${formatBytes(r.peakBytes)} of buffers${r.heapBytes === null ? '' : `, wasm heap ${formatBytes(r.heapBytes)} of 4 GiB`}`,
  );
  if (r.torchMs !== null) {
    console.log(
      `batch ${r.batch}: PyTorch ${torchDevice === 'cpu' ? `${threads} threads` : `on ${torchDevice}`} median ${r.torchMs.toFixed(0)} ms/iteration (${gflops(r.torchMs)} GFLOP/s), peak RSS ${r.torchRssMb} MiB`,
    );
    console.log(
      `batch ${r.batch}: ratio: tfjs runs at ${(r.torchMs / r.tfjsMs).toFixed(3)} of PyTorch's speed (issue #7 target ≥ 0.5, aim 1.0)`,
    );
    // PyTorch's OpenMP threads slow down far more than tfjs' when another process takes a core, so the all-iterations
    // ratio flatters tfjs on a busy machine; the undisturbed iterations give the fair one.
    if (r.quietTfjsMs !== null && r.quietTorchMs !== null) {
      console.log(
        `batch ${r.batch}: undisturbed iterations only (other processes < ${QUIET} cores): tfjs ${r.quietTfjsMs.toFixed(0)} ms (${gflops(r.quietTfjsMs)} GFLOP/s), PyTorch ${r.quietTorchMs.toFixed(0)} ms (${gflops(r.quietTorchMs)} GFLOP/s), ratio ${(r.quietTorchMs / r.quietTfjsMs).toFixed(3)}`,
      );
    } else {
      console.log(
        `batch ${r.batch}: no round was undisturbed for both stacks (other processes ≥ ${QUIET} cores); the ratio above is load-dependent`,
      );
    }
  }
}
if (perSample)
  console.log(
    `memory per sample: ${formatBytes(perSample.perSampleBytes)} at the iteration's peak, plus ${formatBytes(perSample.fixedBytes)} fixed (from batches ${smallest.batch} and ${largestRun.batch})`,
  );
console.log(`load average at the end: ${load()}`);

/** GFLOP/s of the fastest kernel an iteration uses (a 3×3 convolution, 256 channels, 32×32, batch 16) on the active backend: the best of three. */
function bestConvGflops(): number {
  const x = tf.randomUniform([16, 32, 32, 256], -1, 1, 'float32', 1) as tf.Tensor4D;
  const w = tf.randomUniform([3, 3, 256, 256], -1, 1, 'float32', 2) as tf.Tensor4D;
  const flop = 2 * 16 * 32 * 32 * 256 * 256 * 9;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    const y = tf.conv2d(x, w, 1, 'same');
    y.dataSync();
    if (i > 0) best = Math.min(best, performance.now() - t0);
    y.dispose();
  }
  tf.dispose([x, w]);
  return flop / best / 1e6;
}

/** The CPU's fp32 peak from /proc/cpuinfo (Linux): cores × clock × FLOPs per cycle of its widest FMA units. */
function machinePeak(): string {
  let info = '';
  try {
    info = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return 'machine peak: unknown (no /proc/cpuinfo)';
  }
  const flags = /^flags\s*:(.*)$/m.exec(info)?.[1] ?? '';
  const mhz = Number(/^cpu MHz\s*:\s*([\d.]+)/m.exec(info)?.[1] ?? 0);
  const cores = Math.min(availableParallelism(), threads);
  // Two FMA units per core assumed (Intel server cores since Skylake-SP, AMD Zen 2+): 2 units × lanes × 2 FLOPs.
  const lanes = /\bavx512f\b/.test(flags) ? 16 : /\bfma\b/.test(flags) ? 8 : 4;
  const native = (cores * mhz * 2 * lanes * 2) / 1000;
  // WebAssembly SIMD is 128 bits wide and tfjs 4.22's build has no fused multiply-add: at best three 4-wide multiplies or adds per cycle.
  const wasmSimd = (cores * mhz * 4 * 3) / 1000;
  return `machine peak (${cores} cores at ${mhz.toFixed(0)} MHz): fp32 ${native.toFixed(0)} GFLOP/s with ${lanes * 32}-bit FMA (what PyTorch can use), ${wasmSimd.toFixed(0)} GFLOP/s for 128-bit WebAssembly SIMD without FMA (what tfjs wasm can use)`;
}
