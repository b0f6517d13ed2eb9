// `npm run bench -- attention [--batch 16] [--channels 256] [--reps 3] [--threads 2] [--sizes 16,32,64]`
// Time and memory of one SelfAttention forward + backward (the reference's official variant: full keys, C/8 query and
// key, C/2 value) on feat16, feat32 and feat64 maps, against the size of its N×N' attention matrix. "chunked" is the
// layer as it trains (attend.ts bounds the matrix memory); "whole matrix" keeps all of it from the forward pass to the
// backward one, as tfjs' own gradients do, and is skipped where it could not fit the 4 GiB wasm heap.
import * as tf from '@tensorflow/tfjs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ATTENTION_CHUNK_ELEMENTS } from '../electron/engine/core/layers/attend';
import * as attendModule from '../electron/engine/core/layers/attend';
import { SelfAttention } from '../electron/engine/core/layers/self-attention';
import { frugalVariableGrads } from '../electron/engine/core/train/frugal-grads';
import { formatBytes, traceMemory } from '../electron/engine/core/train/memory';
import { selectBackend } from '../electron/engine/node/backend';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '16' },
    channels: { type: 'string', default: '256' },
    reps: { type: 'string', default: '3' },
    threads: { type: 'string', default: '2' },
    sizes: { type: 'string', default: '16,32,64' },
  },
});
const batch = Number(values.batch);
const channels = Number(values.channels);
const reps = Number(values.reps);
const report = await selectBackend({ requested: 'wasm', threads: Number(values.threads) });
console.log(
  `SelfAttention forward+backward, batch ${batch}, ${channels} channels, on ${report.name} (${report.reason}); load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log("size     N      N×N' matrix (batch)   mode           median ms   peak memory   memory / matrix");

const heapLimit = 4 * 2 ** 30;
let previous: { n: number; ms: number } | null = null;
for (const size of values.sizes!.split(',').map(Number)) {
  const n = size * size;
  const matrixBytes = batch * n * n * 4;
  const layer = new SelfAttention({
    name: `att${size}`,
    variant: 'official',
    pooledKeys: false,
    useBias: true,
    spectralNorm: true,
    seed: 1,
  });
  const x = tf.variable(tf.randomUniform([batch, size, size, channels], -1, 1, 'float32', 2), true, `x${size}`);
  layer.apply(tf.zeros([1, size, size, channels]) as tf.Tensor); // builds the weights
  const gamma = layer.trainableWeights.find((w) => w.name.endsWith('gamma'))!;
  gamma.write(tf.scalar(0.5)); // a live attention branch, so its gradients are real work
  const vars = [x, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
  const step = () => {
    const { value, grads } = frugalVariableGrads(
      () => tf.sum(tf.square(layer.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar,
      vars,
    );
    tf.dispose([value, ...Object.values(grads)]);
  };
  for (const mode of ['chunked', 'whole matrix'] as const) {
    // The whole matrix, its softmax gradient and their temporaries: about five B·N·N' buffers at once.
    if (mode === 'whole matrix' && 5 * matrixBytes > heapLimit - 512 * 2 ** 20) {
      console.log(
        `${`feat${size}`.padEnd(8)} ${String(n).padEnd(6)} ${formatBytes(matrixBytes).padEnd(21)} ${mode.padEnd(14)} skipped: needs about ${formatBytes(5 * matrixBytes)} of a 4 GiB heap`,
      );
      continue;
    }
    const run = mode === 'chunked' ? step : () => withBudget(Number.POSITIVE_INFINITY, step);
    run(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      run();
      times.push(performance.now() - t0);
    }
    const ms = times.sort((a, b) => a - b)[Math.floor(reps / 2)]!;
    const { peak } = await traceMemory(run);
    const extra = peak - tf.memory().numBytes;
    const growth =
      mode === 'chunked' && previous
        ? `; time ×${(ms / previous.ms).toFixed(1)} for N×N' ×${((n * n) / (previous.n * previous.n)).toFixed(0)}`
        : '';
    console.log(
      `${`feat${size}`.padEnd(8)} ${String(n).padEnd(6)} ${formatBytes(matrixBytes).padEnd(21)} ${mode.padEnd(14)} ${ms.toFixed(0).padStart(9)}   ${formatBytes(extra).padStart(11)}   ${(extra / matrixBytes).toFixed(2)}×${growth}`,
    );
    if (mode === 'chunked') previous = { n, ms };
  }
  layer.dispose();
  x.dispose();
}
console.log(
  `(chunk budget ${formatBytes(ATTENTION_CHUNK_ELEMENTS * 4)} of attention matrix; memory = peak buffers above the inputs and weights; load at the end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')})`,
);

/** Runs `f` with attend()'s default chunk budget replaced (the layer calls attend with the default). */
function withBudget(budget: number, f: () => void): void {
  const defaults = attendModule.attentionDefaults;
  const saved = defaults.chunkElements;
  defaults.chunkElements = budget;
  try {
    f();
  } finally {
    defaults.chunkElements = saved;
  }
}
