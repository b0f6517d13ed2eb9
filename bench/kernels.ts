// `npx tsx bench/kernels.ts [--threads 1] [--reps 5] [--only substring]`
// Prints median ms per call of our wasm training kernels against the stock wasm kernel where one exists, on the
// shapes of SAGAN-32 at batch 32 (G at 256 channels, D at 128 channels on real+fake = 64 images).
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { makeBatchMatMul } from '../electron/engine/core/kernels/batch-mat-mul';
import type { BatchMatMulPlan } from '../electron/engine/core/kernels/batch-mat-mul';
import { filterGradientPlan } from '../electron/engine/core/kernels/conv2d-backprop-filter';
import { stockWasmKernel } from '../electron/engine/core/kernels/register';
import { selectBackend } from '../electron/engine/node/backend';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '1' },
    reps: { type: 'string', default: '5' },
    only: { type: 'string', default: '' },
  },
});
const report = await selectBackend({ requested: 'wasm', threads: Number(values.threads) });
console.log(`backend: ${report.name}, ${report.reason}`);
const backend = tf.backend();
const reps = Number(values.reps);
// With one thread, CPU time is immune to other processes on a shared machine; with several, wall time is what counts.
const useCpuTime = report.threads === 1;
console.log(`median ${useCpuTime ? 'CPU' : 'wall-clock'} ms per call over ${reps} calls after one warm-up`);

type Call = () => tf.TensorInfo;
function timeCall(call: Call): number {
  backend.disposeData(call().dataId); // warm-up: operator creation, heap growth
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const out = call();
    const cpu = process.cpuUsage(c0);
    times.push(useCpuTime ? (cpu.user + cpu.system) / 1000 : performance.now() - t0);
    backend.disposeData(out.dataId);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const defaultTapGemmPadding = filterGradientPlan.maxTapGemmPadding;
const kernel = (name: string) => tf.getKernel(name, 'wasm')!.kernelFunc;
const run = (f: tf.KernelFunc, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>) => () =>
  f({ inputs, backend, attrs } as never) as tf.TensorInfo;
const rand = (shape: number[]) => tf.randomUniform(shape, -1, 1, 'float32', 1);

function row(label: string, variants: [string, Call | null][]) {
  if (values.only && !label.includes(values.only)) return;
  const cells = variants.map(
    ([name, call]) => `${name} ${call ? timeCall(call).toFixed(1).padStart(8) : '     n/a'} ms`,
  );
  console.log(`${label.padEnd(50)} ${cells.join('   ')}`);
}

// Convolutions: forward (for scale), filter gradient (no stock kernel), input gradient (ours vs stock).
for (const [b, hw, c] of [
  [32, 8, 256],
  [32, 16, 256],
  [32, 32, 256],
  [64, 32, 128],
  [64, 16, 128],
  [64, 8, 128],
  [64, 32, 256],
] as const) {
  const x = rand([b, hw, hw, c]);
  const w = rand([3, 3, c, c]);
  const dy = rand([b, hw, hw, c]);
  const conv = { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 };
  const shape = `conv 3×3 ${c}→${c} ${hw}×${hw} b${b}`;
  row(`${shape}: forward`, [['stock', run(kernel('Conv2D'), { x, filter: w }, conv)]]);
  const filterGrad = (f: tf.KernelFunc) => run(f, { x, dy }, { ...conv, filterShape: [3, 3, c, c] });
  const via = (maxTapGemmPadding: number) => () => {
    filterGradientPlan.maxTapGemmPadding = maxTapGemmPadding;
    return filterGrad(kernel('Conv2DBackpropFilter'))();
  };
  row(`${shape}: filter gradient`, [
    ['transposed conv', via(0)],
    ['tap GEMMs', via(Number.POSITIVE_INFINITY)],
  ]);
  filterGradientPlan.maxTapGemmPadding = defaultTapGemmPadding;
  const stockInput = stockWasmKernel('Conv2DBackpropInput')!;
  const inputGrad = (f: tf.KernelFunc) => run(f, { dy, filter: w }, { ...conv, inputShape: [b, hw, hw, c] });
  row(`${shape}: input gradient`, [
    ['ours', inputGrad(kernel('Conv2DBackpropInput'))],
    ['stock', hw <= 16 ? inputGrad(stockInput) : null],
  ]);
  tf.dispose([x, w, dy]);
}
{
  const x = rand([32, 32, 32, 256]);
  const dy = rand([32, 32, 32, 256]);
  row('conv 1×1 256→256 32×32 b32: filter gradient', [
    [
      'ours',
      run(
        kernel('Conv2DBackpropFilter'),
        { x, dy },
        { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1, filterShape: [1, 1, 256, 256] },
      ),
    ],
  ]);
  tf.dispose([x, dy]);
}

{
  const input = rand([64, 16, 16, 64]);
  const dy = rand([64, 8, 8, 64]);
  const attrs = { filterSize: 2, strides: 2, pad: 'valid' };
  // The stock kernel is wrong for windows of negative values (see max-pool-grad.ts); timed only for scale.
  row('max-pool 2×2 gradient [64,16,16,64]', [
    ['ours', run(kernel('MaxPoolGrad'), { dy, input }, attrs)],
    ['stock (wrong)', run(stockWasmKernel('MaxPoolGrad')!, { dy, input }, attrs)],
  ]);
  tf.dispose([input, dy]);
}

for (const name of ['Sum', 'Mean'] as const) {
  const x = rand([32, 32, 32, 256]);
  const attrs = { axis: [0, 1, 2], keepDims: false };
  row(`${name} over [32,32,32,256] → [256]`, [
    ['ours', run(kernel(name), { x }, attrs)],
    ['stock', run(stockWasmKernel(name)!, { x }, attrs)],
  ]);
  tf.dispose(x);
}

// Matrix products: 1×1 convolutions as matmuls (and their gradients), attention (batched, distinct matrices).
const stockMatMul = stockWasmKernel('BatchMatMul')!;
const plans: [string, BatchMatMulPlan][] = [
  ['fc', { gemm: 'matmul', batched: 'per-matrix' }],
  ['conv', { gemm: 'conv', batched: 'per-matrix' }],
];
const matmulCases: [string, number[], number[], boolean, boolean][] = [
  ['1×1 conv as matmul [32768,256]·[256,256]', [32768, 256], [256, 256], false, false],
  ['  its dX [32768,256]·[256,256]ᵀ', [32768, 256], [256, 256], false, true],
  ['  its dW [32768,256]ᵀ·[32768,256]', [32768, 256], [32768, 256], true, false],
  ['attention [32,256,32]·[32,32,256]', [32, 256, 32], [32, 32, 256], false, false],
  ['attention q·kᵀ [32,256,32]·[32,256,32]ᵀ', [32, 256, 32], [32, 256, 32], false, true],
  ['attention β·h [32,256,256]·[32,256,128]', [32, 256, 256], [32, 256, 128], false, false],
  ['  its dβ [32,256,128]·[32,256,128]ᵀ', [32, 256, 128], [32, 256, 128], false, true],
  ['  its dh [32,256,256]ᵀ·[32,256,128]', [32, 256, 256], [32, 256, 128], true, false],
];
for (const [label, as, bs, transposeA, transposeB] of matmulCases) {
  const a = rand(as);
  const b = rand(bs);
  const attrs = { transposeA, transposeB };
  row(label, [
    ['stock', run(stockMatMul, { a, b }, attrs)],
    ...plans.map(
      ([name, plan]) =>
        [name, run(makeBatchMatMul(stockMatMul, plan) as unknown as tf.KernelFunc, { a, b }, attrs)] as [string, Call],
    ),
  ]);
  tf.dispose([a, b]);
}
