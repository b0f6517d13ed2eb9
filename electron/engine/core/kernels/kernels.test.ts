import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../node/backend';
import { registerWasmTrainingKernels } from './register';
import { maxRelativeDiff, onCpuAndWasm, rand, wasmDataIds } from './testkit';

const expectClose = (cpu: Float32Array[], wasm: Float32Array[]) =>
  expect(maxRelativeDiff(cpu, wasm)).toBeLessThan(1e-4);

beforeAll(async () => {
  await selectBackend({ requested: 'wasm', threads: 1 });
});

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
/** [name, x shape, filter shape, padding, stride] */
const convCases: [string, number[], number[], Pad, number][] = [
  ['1×1 same, batch 3, non-square', [3, 5, 7, 4], [1, 1, 4, 6], 'same', 1],
  ['1×1 valid, batch 1', [1, 4, 4, 6], [1, 1, 6, 3], 'valid', 1],
  ['3×3 same, batch 3, non-square', [3, 6, 5, 3], [3, 3, 3, 4], 'same', 1],
  ['3×3 valid, batch 1, non-square', [1, 7, 6, 2], [3, 3, 2, 5], 'valid', 1],
  ['2×2 same (odd padding at the bottom)', [2, 5, 6, 3], [2, 2, 3, 2], 'same', 1],
  [
    '3×3 explicit asymmetric padding',
    [2, 5, 4, 2],
    [3, 3, 2, 3],
    [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
    1,
  ],
  ['5×5 same, batch 1', [1, 8, 8, 2], [5, 5, 2, 2], 'same', 1],
  ['3×3 same on a larger map (filter gradient as tap GEMMs), non-square', [2, 20, 18, 3], [3, 3, 3, 4], 'same', 1],
  ['3×3 valid on a larger map (tap GEMMs)', [1, 24, 22, 2], [3, 3, 2, 5], 'valid', 1],
  ['3×3 same, batch split over several tap GEMMs', [3, 130, 130, 2], [3, 3, 2, 3], 'same', 1],
  ['3×3 stride 2 same (fallback), non-square', [2, 8, 7, 3], [3, 3, 3, 4], 'same', 2],
  ['3×3 stride 2 valid, unread last row (fallback)', [3, 8, 9, 2], [3, 3, 2, 3], 'valid', 2],
  ['1×1 stride 2 valid (fallback)', [2, 5, 5, 3], [1, 1, 3, 2], 'valid', 2],
  ['3×3 stride 2, numeric padding 1 (fallback)', [2, 7, 6, 2], [3, 3, 2, 3], 1, 2],
];

describe('wasm convolution gradients match the cpu backend', () => {
  for (const [name, xs, ws, pad, stride] of convCases) {
    it(name, async () => {
      const [cpu, wasm] = await onCpuAndWasm(() => {
        const x = rand(xs, 1) as tf.Tensor4D;
        const w = rand(ws, 2) as tf.Tensor4D;
        // A non-uniform upstream gradient (y² has gradient 2y), so both kernels see a realistic dy.
        const loss = (a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad)));
        return tf.grads(loss)([x, w]);
      });
      expectClose(cpu, wasm);
    });
  }
});

describe('wasm BatchMatMul matches the cpu backend', () => {
  /** [a shape, b shape, transposeA, transposeB] */
  const cases: [number[], number[], boolean, boolean][] = [
    [[7, 5], [5, 3], false, false],
    [[5, 7], [3, 5], true, true],
    [[4, 6, 5], [5, 2], false, false],
    [[4, 5, 6], [5, 2], true, false],
    [[2, 3, 6, 5], [1, 5, 4], false, false],
    [[3, 6, 5], [3, 6, 4], true, false],
    [[3, 6, 5], [3, 4, 5], false, true],
    [[2, 2, 3, 4], [2, 2, 4, 3], false, false],
    [[1, 3, 4], [3, 4, 5], false, false],
    [[2, 1, 3, 4], [1, 3, 4, 5], false, false],
  ];
  for (const [as, bs, ta, tb] of cases) {
    it(`[${as}]${ta ? 'ᵀ' : ''} · [${bs}]${tb ? 'ᵀ' : ''}`, async () => {
      const [cpu, wasm] = await onCpuAndWasm(() => [tf.matMul(rand(as, 3), rand(bs, 4), ta, tb)]);
      expectClose(cpu, wasm);
    });
  }

  it('gradients of a shared-weight product and of a per-matrix product', async () => {
    const [cpu, wasm] = await onCpuAndWasm(() => [
      ...tf.grads((a, b) => tf.sum(tf.square(tf.matMul(a!, b!, false, true))))([rand([9, 4], 9), rand([3, 4], 10)]),
      ...tf.grads((a, b) => tf.sum(tf.square(tf.matMul(a!, b!))))([rand([3, 5, 4], 11), rand([3, 4, 6], 12)]),
    ]);
    expectClose(cpu, wasm);
  });
});

describe('wasm MaxPoolGrad (the stock one misroutes windows of negative values)', () => {
  const cases: [string, number[], number, number, 'same' | 'valid'][] = [
    ['2×2 stride 2, batch 3', [3, 4, 6, 2], 2, 2, 'valid'],
    ['2×2 stride 2, all negative', [1, 4, 4, 3], 2, 2, 'valid'],
    ['3×3 stride 1 same (overlapping windows, padding)', [2, 5, 4, 2], 3, 1, 'same'],
    ['3×3 stride 2 same, odd size', [2, 7, 5, 1], 3, 2, 'same'],
  ];
  for (const [name, shape, size, stride, pad] of cases) {
    it(`matches cpu: ${name}`, async () => {
      const [cpu, wasm] = await onCpuAndWasm(() => {
        const x = name.includes('negative') ? tf.sub(rand(shape, 5), 1.5) : rand(shape, 5);
        return tf.grad((t) => tf.sum(tf.square(tf.maxPool(t as tf.Tensor4D, size, stride, pad))))(x);
      });
      expectClose(cpu, wasm);
    });
  }
});

describe('wasm AvgPoolGrad', () => {
  const cases: [string, number[], number, number, 'same' | 'valid'][] = [
    ['2×2 stride 2, batch 3 (our upsample)', [3, 4, 6, 2], 2, 2, 'valid'],
    ['3×3 stride 3 (our upsample)', [2, 6, 9, 3], 3, 3, 'valid'],
    ['2×2 stride 2 on an odd size (stock)', [2, 5, 4, 2], 2, 2, 'valid'],
    ['3×3 stride 1 same (stock)', [2, 5, 4, 2], 3, 1, 'same'],
  ];
  for (const [name, shape, size, stride, pad] of cases) {
    it(`matches cpu: ${name}`, async () => {
      const [cpu, wasm] = await onCpuAndWasm(() =>
        tf.grad((t) => tf.sum(tf.square(tf.avgPool(t as tf.Tensor4D, size, stride, pad))))(rand(shape, 7)),
      );
      expectClose(cpu, wasm);
    });
  }
});

describe('wasm Sum and Mean', () => {
  it('over leading axes (our loop) and any other axes (stock) match cpu', async () => {
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const x = rand([3, 5, 4, 6], 6);
      return [
        tf.sum(x, [0, 1, 2]),
        tf.mean(x, [0, 1, 2]),
        tf.sum(x, [0, 1], true),
        tf.mean(x, 0),
        tf.sum(x, [1, 2]),
        tf.mean(x, -1),
        tf.sum(x),
        tf.mean(x, [2, 0]),
      ];
    });
    expectClose(cpu, wasm);
  });

  it('keep shapes and dtypes', async () => {
    await tf.setBackend('wasm');
    const kept = tf.sum(tf.ones([2, 3, 4]), [0, 1], true);
    expect(kept.shape).toEqual([1, 1, 4]);
    expect(Array.from(kept.dataSync())).toEqual([6, 6, 6, 6]);
    const ints = tf.sum(
      tf.tensor2d(
        [
          [1, 2],
          [3, 4],
        ],
        [2, 2],
        'int32',
      ),
      0,
    );
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([4, 6]);
    tf.dispose([kept, ints]);
  });
});

describe('wasm UnsortedSegmentSum', () => {
  it('is the gradient of gather, as on cpu', async () => {
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const table = rand([5, 3], 3);
      const ids = tf.tensor1d([4, 0, 4, 2, 2, 2], 'int32');
      return tf.grad((t) => tf.sum(tf.square(tf.gather(t, ids))))(table);
    });
    expectClose(cpu, wasm);
  });

  it('sums rows into segments, keeps int32 data and drops out-of-range ids', async () => {
    await tf.setBackend('wasm');
    const sum = tf.unsortedSegmentSum(
      tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
        [7, 8],
      ]),
      tf.tensor1d([1, 1, 3, 9], 'int32'),
      4,
    );
    expect(sum.shape).toEqual([4, 2]);
    expect(Array.from(sum.dataSync())).toEqual([0, 0, 4, 6, 0, 0, 5, 6]);
    const ints = tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3], 'int32'), tf.tensor1d([0, 0, 1], 'int32'), 2);
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([3, 3]);
    tf.dispose([sum, ints]);
  });
});

describe('our wasm kernels manage memory', () => {
  const kernelCalls: [string, () => tf.Tensor][] = [
    [
      'filter gradient 1×1',
      () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x: rand([2, 4, 4, 3], 1), dy: rand([2, 4, 4, 2], 2) },
            { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1, filterShape: [1, 1, 3, 2] },
          ) as tf.Tensor,
    ],
    [
      'filter gradient 3×3',
      () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x: rand([2, 5, 4, 3], 1), dy: rand([2, 5, 4, 2], 2) },
            { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1, filterShape: [3, 3, 3, 2] },
          ) as tf.Tensor,
    ],
    [
      'filter gradient 3×3 as tap GEMMs (views onto a padded copy)',
      () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x: rand([2, 20, 18, 3], 1), dy: rand([2, 20, 18, 2], 2) },
            { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1, filterShape: [3, 3, 3, 2] },
          ) as tf.Tensor,
    ],
    [
      'filter gradient stride 2',
      () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x: rand([2, 8, 9, 3], 1), dy: rand([2, 3, 4, 2], 2) },
            { strides: 2, pad: 'valid', dataFormat: 'NHWC', dilations: 1, filterShape: [3, 3, 3, 2] },
          ) as tf.Tensor,
    ],
    [
      'input gradient 3×3',
      () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropInput',
            { dy: rand([2, 5, 4, 2], 1), filter: rand([3, 3, 3, 2], 2) },
            { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1, inputShape: [2, 5, 4, 3] },
          ) as tf.Tensor,
    ],
    ['matmul, one right-hand matrix', () => tf.matMul(rand([3, 4, 5], 1), rand([5, 2], 2))],
    ['matmul, transposed', () => tf.matMul(rand([5, 4], 1), rand([5, 2], 2), true, false)],
    ['matmul, per matrix', () => tf.matMul(rand([3, 4, 5], 1), rand([3, 5, 2], 2))],
    ['segment sum', () => tf.unsortedSegmentSum(rand([4, 3], 1), tf.tensor1d([0, 2, 2, 1], 'int32'), 3)],
    ['per-channel sum', () => tf.sum(rand([2, 3, 4, 5], 1), [0, 1, 2])],
    [
      'avg-pool gradient',
      () =>
        tf
          .engine()
          .runKernel(
            'AvgPoolGrad',
            { dy: rand([2, 2, 3, 2], 1), input: rand([2, 4, 6, 2], 2) },
            { filterSize: 2, strides: 2, pad: 'valid' },
          ) as tf.Tensor,
    ],
    [
      'max-pool gradient',
      () =>
        tf
          .engine()
          .runKernel(
            'MaxPoolGrad',
            { dy: rand([2, 2, 3, 2], 1), input: rand([2, 4, 6, 2], 2) },
            { filterSize: 2, strides: 2, pad: 'valid' },
          ) as tf.Tensor,
    ],
  ];

  for (const [name, call] of kernelCalls) {
    it(`${name}: output outlives its inputs, and no intermediate is left on the heap`, async () => {
      await tf.setBackend('wasm');
      const idsBefore = wasmDataIds();
      const keep: tf.Tensor[] = [];
      // Everything but the result is created inside tidy and disposed when it ends, inputs included.
      const out = tf.tidy(() => call());
      const expected = Float32Array.from(out.dataSync());
      // Reuse the freed memory: a result that wrongly shares an input's storage would now read the fill value.
      keep.push(tf.fill([4096], 7), tf.fill([64, 64], 9));
      expect(Array.from(out.dataSync())).toEqual(Array.from(expected));
      tf.dispose([...keep, out]);
      expect(wasmDataIds()).toBe(idsBefore);
    });
  }

  it('does not leak tensors across repeated gradient steps', async () => {
    await tf.setBackend('wasm');
    const w = tf.variable(rand([3, 3, 2, 2], 9));
    const x = rand([2, 5, 5, 2], 10) as tf.Tensor4D;
    const step = () =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () => tf.sum(tf.square(tf.conv2d(x, w as unknown as tf.Tensor4D, 1, 'same'))),
          [w],
        );
        w.assign(tf.sub(w, tf.mul(grads[w.name]!, 0.01)));
      });
    step();
    const tensors = tf.memory().numTensors;
    const ids = wasmDataIds();
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(wasmDataIds()).toBe(ids);
    tf.dispose([w, x]);
  });

  it('registration is idempotent', () => {
    const before = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
    registerWasmTrainingKernels();
    expect(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc).toBe(before);
  });
});

describe('wasm Identity and same-dtype Cast share their input buffer', () => {
  it('clone and cast keep their values after the original is gone, without a new buffer', async () => {
    await tf.setBackend('wasm');
    const x = rand([64, 64], 21);
    const expected = Array.from(x.dataSync());
    const ids = wasmDataIds();
    const copies = [x.clone(), tf.cast(x, 'float32')];
    expect(wasmDataIds()).toBe(ids);
    x.dispose();
    for (const c of copies) expect(Array.from(c.dataSync())).toEqual(expected);
    tf.dispose(copies);
    expect(wasmDataIds()).toBe(ids - 1);
  });

  it('a real conversion still converts', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([1.7, -2.2, 3]);
    const y = tf.cast(x, 'int32');
    expect(Array.from(y.dataSync())).toEqual([1, -2, 3]);
    tf.dispose([x, y]);
  });
});
