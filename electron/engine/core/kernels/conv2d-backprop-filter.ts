import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../tfjs-internals';
import type { KernelArgs } from './wasm-ops';
import { isChannelsLast, isOne, KernelScope, pair, releaseView, viewOf } from './wasm-ops';

type FilterGradAttrs = {
  strides?: unknown;
  pad?: unknown;
  dilations?: unknown;
  dataFormat?: string;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: number[];
};

/**
 * Conv2DBackpropFilter, which the wasm backend lacks: dW[i,j,ci,co] = Σ_{n,oy,ox} x[n, oy·s + i − top, ox·s + j − left, ci] · dy[n,oy,ox,co].
 * - 1×1, stride 1: the single matmul xᵀ·dy.
 * - otherwise (any stride, any padding): one ordinary convolution over transposed tensors, the input as [Cin, H, W, B] (batch and
 *   channels swapped) with the output gradient as the filter [Ho, Wo, B, Cout] dilated by the stride, giving
 *   [Cin, kh, kw, Cout]. On XNNPACK it costs about 1.5× the forward convolution (CPU time, SAGAN-32 shapes). We also
 *   measured one GEMM per filter tap (padded input rows × shifted dy): no faster, and it needs more memory.
 */
export function makeConv2dBackpropFilter(stockMatMul: tf.KernelFunc) {
  return (args: KernelArgs): tf.TensorInfo => conv2dBackpropFilter(args, stockMatMul);
}

function conv2dBackpropFilter({ inputs, backend, attrs }: KernelArgs, stockMatMul: tf.KernelFunc): tf.TensorInfo {
  const x = inputs.x!;
  const dy = inputs.dy!;
  const a = (attrs ?? {}) as unknown as FilterGradAttrs;
  if (!isChannelsLast(a.dataFormat))
    throw new Error(`Conv2DBackpropFilter on wasm supports NHWC only, got dataFormat ${a.dataFormat}.`);
  const [kh, kw, cin, cout] = a.filterShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    [kh, kw, cin, cout],
    a.strides as [number, number],
    (a.dilations ?? 1) as number,
    a.pad as 'same',
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
  // tfjs-core never passes dilations here (its conv2d gradient refuses dilated convolutions); refuse them too rather than ignore them.
  if (!isOne(a.dilations))
    throw new Error('Conv2DBackpropFilter on wasm: dilated convolutions have no gradient in tfjs.');
  const [b, h, w] = x.shape as [number, number, number, number];
  const [ho, wo] = [info.outHeight, info.outWidth];
  const [sh, sw] = pair(a.strides);
  const { top, left } = info.padInfo;
  const scope = new KernelScope(backend);
  try {
    if (kh === 1 && kw === 1 && sh === 1 && sw === 1 && top === 0 && left === 0 && ho === h && wo === w) {
      const xs = scope.run('Reshape', { x }, { shape: [b * h * w, cin] });
      const dys = scope.run('Reshape', { x: dy }, { shape: [b * h * w, cout] });
      const prod = scope.run('BatchMatMul', { a: xs, b: dys }, { transposeA: true, transposeB: false });
      return scope.release(scope.run('Reshape', { x: prod }, { shape: [1, 1, cin, cout] }));
    }
    // Rows/columns of the input no output pixel reads (strided 'valid' leftovers) would give negative padding: crop them.
    const bottom = kh + (ho - 1) * sh - h - top;
    const right = kw + (wo - 1) * sw - w - left;
    if (
      sh === 1 &&
      sw === 1 &&
      bottom >= 0 &&
      right >= 0 &&
      ((ho + kh - 1) * (wo + kw - 1)) / (ho * wo) <= filterGradientPlan.maxTapGemmPadding
    ) {
      scope.dispose();
      return tapGemms(backend as WasmBackendLike, x, dy, [kh, kw], [top, bottom, left, right], stockMatMul);
    }
    let xt = scope.run('Transpose', { x }, { perm: [3, 1, 2, 0] }); // [Cin, H, W, B]
    if (bottom < 0 || right < 0)
      xt = scope.run(
        'Slice',
        { x: xt },
        { begin: [0, 0, 0, 0], size: [cin, h + Math.min(bottom, 0), w + Math.min(right, 0), b] },
      );
    const dyt = scope.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }); // [Ho, Wo, B, Cout]
    const pad = [
      [0, 0],
      [top, Math.max(bottom, 0)],
      [left, Math.max(right, 0)],
      [0, 0],
    ];
    const conv = scope.run(
      'Conv2D',
      { x: xt, filter: dyt },
      { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [sh, sw] },
    ); // [Cin, kh, kw, Cout]
    return scope.release(scope.run('Transpose', { x: conv }, { perm: [1, 2, 0, 3] }));
  } catch (e) {
    scope.dispose();
    throw e;
  }
}

/** Padded-grid positions (B·Hp·Wp) per GEMM: the reduction length XNNPACK's GEMM still runs at full speed (64 GFLOP/s at 37 000, 40 at 74 000). */
const TAP_GEMM_ROWS = 40_000;
/**
 * Largest (Hp·Wp)/(Ho·Wo) for which the tap GEMMs are used instead of the transposed convolution: they also multiply
 * the zero border (32×32 maps: 1.13, 16×16: 1.27, 8×8: 1.56). Mutable so benchmarks can force either route.
 */
export const filterGradientPlan = { maxTapGemmPadding: 1.3 };

/**
 * Stride-1 filter gradient as one GEMM per filter tap, dW[i,j] = Σ_p xpad[p + i·Wp + j]ᵀ · dy_ext[p], over the padded
 * grid p of B·Hp·Wp positions, where dy_ext is dy placed on that grid with zeros outside Ho×Wo. Read from the
 * transposed padded input [Cin, B·Hp·Wp], tap (i, j) is the same matrix shifted by i·Wp + j elements: a view, no copy.
 * The right-hand matrix (dy_ext) is packed by XNNPACK once and shared by all the taps. Each view row runs past its end
 * into the next row by the shift; those products meet dy_ext's zero rows, and an extra zero channel keeps the last
 * row inside the buffer. About 20% faster than the transposed convolution on SAGAN-32's 32×32 layers (1 GEMM pass,
 * 64 GFLOP/s, against an igemm with a 32×32 kernel at 51), and it holds one packed copy of dy rather than two.
 */
function tapGemms(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  [kh, kw]: [number, number],
  [top, bottom, left, right]: number[],
  stockMatMul: tf.KernelFunc,
): tf.TensorInfo {
  const [b, , , cin] = x.shape as [number, number, number, number];
  const [, ho, wo, cout] = dy.shape as [number, number, number, number];
  const [hp, wp] = [ho + kh - 1, wo + kw - 1];
  const extra = (kh - 1) * wp + (kw - 1);
  const perGemm = Math.max(1, Math.floor(TAP_GEMM_ROWS / (hp * wp)));
  const sums = new Float32Array(kh * kw * cin * cout);
  const scope = new KernelScope(backend);
  try {
    const xpad = scope.run(
      'PadV2',
      { x },
      {
        paddings: [
          [0, 0],
          [top, bottom!],
          [left, right!],
          [0, 1],
        ],
        constantValue: 0,
      },
    ); // [B, Hp, Wp, Cin + 1]
    const dypad = scope.run(
      'PadV2',
      { x: dy },
      {
        paddings: [
          [0, 0],
          [0, hp - ho],
          [0, wp - wo],
          [0, 0],
        ],
        constantValue: 0,
      },
    ); // [B, Hp, Wp, Cout]
    for (let b0 = 0; b0 < b; b0 += perGemm) {
      const rows = Math.min(perGemm, b - b0) * hp * wp;
      const len = rows + extra;
      const step = new KernelScope(backend);
      try {
        const xRows = viewOf(backend, xpad, b0 * hp * wp * (cin + 1), [rows, cin + 1]);
        const xLong = step.run(
          'PadV2',
          { x: xRows },
          {
            paddings: [
              [0, extra],
              [0, 0],
            ],
            constantValue: 0,
          },
        );
        releaseView(backend, xRows);
        const xT = step.run('Transpose', { x: xLong }, { perm: [1, 0] }); // [Cin + 1, len]
        const dyRows = viewOf(backend, dypad, b0 * hp * wp * cout, [rows, cout]);
        const dyLong = step.run(
          'PadV2',
          { x: dyRows },
          {
            paddings: [
              [0, extra],
              [0, 0],
            ],
            constantValue: 0,
          },
        );
        releaseView(backend, dyRows);
        const right3 = step.run('Reshape', { x: dyLong }, { shape: [1, len, cout] });
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            const shifted = viewOf(backend, xT, i * wp + j, [1, cin, len]);
            let product: tf.TensorInfo;
            try {
              // Untransposed, batch 1: XNNPACK's fully-connected operator, cached on (and packing) right3 once.
              product = stockMatMul({
                inputs: { a: shifted, b: right3 },
                backend,
                attrs: { transposeA: false, transposeB: false },
              } as never) as tf.TensorInfo;
            } finally {
              releaseView(backend, shifted);
            }
            const pv = backend.typedArrayFromHeap(product) as Float32Array;
            const base = (i * kw + j) * cin * cout;
            for (let k = 0; k < cin * cout; k++) sums[base + k]! += pv[k]!;
            backend.disposeData(product.dataId);
          }
        }
      } finally {
        step.dispose();
      }
    }
  } finally {
    scope.dispose();
  }
  return backend.makeOutput([kh, kw, cin, cout], 'float32', undefined, sums);
}
