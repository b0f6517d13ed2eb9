import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../node/backend';

/** Runs `f` on the cpu backend and on wasm (with our kernels) and returns both results as arrays. */
async function onBoth(f: () => tf.Tensor | tf.Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    const out = tf.tidy(() => [f()].flat());
    const data = out.map((t) => Float32Array.from(t.dataSync()));
    tf.dispose(out);
    return data;
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  return [cpu, wasm];
}

function expectClose(a: Float32Array[], b: Float32Array[], tol = 1e-4) {
  expect(b.length).toBe(a.length);
  a.forEach((x, i) => {
    const scale = Math.max(1, ...Array.from(x, Math.abs));
    const diff = x.reduce((m, v, k) => Math.max(m, Math.abs(v - b[i]![k]!)), 0);
    expect(diff / scale).toBeLessThan(tol);
  });
}

const rand = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);

beforeAll(async () => {
  await selectBackend({ requested: 'wasm', threads: 1 });
});

describe('wasm training kernels match the cpu backend', () => {
  const cases: [string, number[], number[], 'same' | 'valid', number][] = [
    ['3×3 same', [2, 6, 5, 3], [3, 3, 3, 4], 'same', 1],
    ['3×3 valid', [3, 7, 6, 2], [3, 3, 2, 5], 'valid', 1],
    ['1×1', [2, 4, 4, 6], [1, 1, 6, 3], 'same', 1],
    ['5×5 same, batch 1', [1, 8, 8, 2], [5, 5, 2, 2], 'same', 1],
    ['3×3 stride 2 (fallback)', [2, 8, 8, 3], [3, 3, 3, 4], 'same', 2],
  ];
  for (const [name, xs, ws, pad, stride] of cases) {
    it(`conv2d gradients: ${name}`, async () => {
      const [cpu, wasm] = await onBoth(() => {
        const x = rand(xs, 1) as tf.Tensor4D;
        const w = rand(ws, 2) as tf.Tensor4D;
        const g = tf.grads((a, b) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad))));
        return g([x, w]);
      });
      expectClose(cpu, wasm);
    });
  }

  it('BatchMatMul through GEMM: transposes, batched left operand, and per-matrix batches', async () => {
    const [cpu, wasm] = await onBoth(() => [
      tf.matMul(rand([7, 5], 1), rand([5, 3], 2)),
      tf.matMul(rand([5, 7], 3), rand([3, 5], 4), true, true),
      tf.matMul(rand([4, 6, 5], 5), rand([5, 2], 6)),
      tf.matMul(rand([3, 6, 5], 7), rand([3, 6, 4], 8), true, false),
      tf.grads((a, b) => tf.sum(tf.square(tf.matMul(a!, b!, false, true))))([rand([9, 4], 9), rand([3, 4], 10)]),
    ].flat());
    expectClose(cpu, wasm);
  });

  it('UnsortedSegmentSum (the gradient of gather)', async () => {
    const [cpu, wasm] = await onBoth(() => {
      const table = rand([5, 3], 3);
      const ids = tf.tensor1d([4, 0, 4, 2, 2, 2], 'int32');
      return tf.grad((t) => tf.sum(tf.square(tf.gather(t, ids))))(table);
    });
    expectClose(cpu, wasm);
    await tf.setBackend('wasm');
    const direct = tf.unsortedSegmentSum(tf.tensor2d([[1, 2], [3, 4], [5, 6]]), tf.tensor1d([1, 1, 3], 'int32'), 4);
    expect(Array.from(direct.dataSync())).toEqual([0, 0, 4, 6, 0, 0, 5, 6]);
  });

  it('keeps the memory of every input it reuses (inputs disposed, outputs still readable)', async () => {
    await tf.setBackend('wasm');
    const x = rand([2, 4, 4, 3], 5) as tf.Tensor4D;
    const dy = rand([2, 4, 4, 2], 6) as tf.Tensor4D;
    const dw = tf.grad((w) => tf.sum(tf.mul(tf.conv2d(x, w as tf.Tensor4D, 1, 'same'), dy)))(tf.zeros([1, 1, 3, 2]));
    const expected = Array.from(dw.dataSync());
    x.dispose();
    dy.dispose();
    const junk = tf.fill([2, 4, 4, 3], 7);
    expect(Array.from(dw.dataSync())).toEqual(expected);
    junk.dispose();
    dw.dispose();
  });

  it('does not leak tensors across repeated gradient steps', async () => {
    await tf.setBackend('wasm');
    const w = tf.variable(rand([3, 3, 2, 2], 9));
    const x = rand([2, 5, 5, 2], 10) as tf.Tensor4D;
    const step = () => tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.conv2d(x, w as unknown as tf.Tensor4D, 1, 'same'))), [w]);
      w.assign(tf.sub(w, tf.mul(grads[w.name]!, 0.01)));
    });
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });
});
