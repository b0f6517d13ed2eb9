import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { upsampleNearest } from '../layers/upsample';
import { selectBackend } from '../../node/backend';
import { ADDED_WASM_KERNELS } from './register';
import { maxRelativeDiff, rand, wasmDataIds } from './testkit';

/*
 * One GAN training iteration in miniature, written with the same ops as our SAGAN layers: spectral-normalised 1×1
 * (as matmul) and 3×3 'same' convolutions and dense layers, class embeddings through gather, conditional batch norm
 * from moments, nearest upsampling, 2×2 average and max pooling, softmax attention with batched matmuls, relu, tanh,
 * concat, slicing, sum/max/mean reductions, hinge losses and Adam. Its gradients on wasm must match cpu, and every
 * kernel it runs must exist on wasm.
 */

const B = 3;
const CLASSES = 3;
const SHAPES: Record<string, number[]> = {
  gDense: [8, 4 * 4 * 8],
  gGamma: [CLASSES, 8],
  gBeta: [CLASSES, 8],
  gConv3: [3, 3, 8, 8],
  gConv1: [1, 1, 8, 8],
  gOut: [3, 3, 8, 3],
  dConv: [3, 3, 3, 8],
  dQuery: [8, 2],
  dKey: [8, 2],
  dValue: [8, 4],
  dOut: [4, 8],
  dSigma: [],
  dDense: [16, 1],
  dEmbed: [CLASSES, 16],
};
const G_NAMES = ['gDense', 'gGamma', 'gBeta', 'gConv3', 'gConv1', 'gOut'];
const D_NAMES = Object.keys(SHAPES).filter((n) => !G_NAMES.includes(n));
type Params = Record<string, tf.Variable>;

function makeParams(): Params {
  return Object.fromEntries(
    Object.entries(SHAPES).map(([name, shape], i) => {
      const init = tf.tidy(() =>
        name === 'gGamma'
          ? tf.add(1, tf.mul(0.1, rand(shape, 100 + i)))
          : name === 'dSigma'
            ? tf.scalar(0.5)
            : tf.mul(0.5, rand(shape, 100 + i)),
      );
      return [name, tf.variable(init, true, `${name}_${Math.random()}`)];
    }),
  );
}

/** Spectral norm with u and v held constant (as PyTorch does): W / (vᵀ W u), one power iteration from a fixed start. */
function sn(w: tf.Tensor): tf.Tensor {
  const cols = w.shape[w.shape.length - 1]!;
  const mat = w.reshape([-1, cols]) as tf.Tensor2D;
  const [u, v] = tf.tidy(() => {
    const normalize = (t: tf.Tensor) => tf.div(t, tf.add(tf.norm(t), 1e-12));
    const v0 = normalize(tf.matMul(mat, tf.ones([cols, 1])));
    return [normalize(tf.matMul(mat, v0, true, false)), v0];
  });
  return tf.div(w, tf.sum(tf.mul(v, tf.matMul(mat, u))));
}

function generator(p: Params, z: tf.Tensor, labels: tf.Tensor1D): tf.Tensor4D {
  let h = tf.matMul(z as tf.Tensor2D, sn(p.gDense!) as tf.Tensor2D).reshape([B, 4, 4, 8]);
  const { mean, variance } = tf.moments(h, [0, 1, 2]);
  const normed = tf.mul(tf.sub(h, mean), tf.rsqrt(tf.add(variance, 1e-5)));
  h = tf.add(
    tf.mul(normed, tf.gather(p.gGamma!, labels).reshape([B, 1, 1, 8])),
    tf.gather(p.gBeta!, labels).reshape([B, 1, 1, 8]),
  );
  const up = upsampleNearest(tf.relu(h) as tf.Tensor4D, 2); // the model's own op (tfjs' cpu gradient of resizeNearestNeighbor is wrong for batch > 1)
  const main = tf.conv2d(up, sn(p.gConv3!) as tf.Tensor4D, 1, 'same');
  const shortcut = tf.matMul(up.reshape([-1, 8]), sn(p.gConv1!).reshape([8, 8])).reshape([B, 8, 8, 8]);
  return tf.tanh(tf.conv2d(tf.relu(tf.add(main, shortcut)) as tf.Tensor4D, sn(p.gOut!) as tf.Tensor4D, 1, 'same'));
}

function discriminator(p: Params, x: tf.Tensor4D, labels: tf.Tensor1D): tf.Tensor {
  const n = x.shape[0];
  let h = tf.avgPool(tf.relu(tf.conv2d(x, sn(p.dConv!) as tf.Tensor4D, 1, 'same')) as tf.Tensor4D, 2, 2, 'valid'); // [n,4,4,8]
  const flat = h.reshape([-1, 8]) as tf.Tensor2D;
  const pooled = (w: tf.Tensor, c: number) =>
    tf
      .maxPool(tf.matMul(flat, sn(w) as tf.Tensor2D).reshape([n, 4, 4, c]) as tf.Tensor4D, 2, 2, 'valid')
      .reshape([n, 4, c]) as tf.Tensor3D;
  const query = tf.matMul(flat, sn(p.dQuery!) as tf.Tensor2D).reshape([n, 16, 2]) as tf.Tensor3D;
  const attention = tf.softmax(tf.matMul(query, pooled(p.dKey!, 2), false, true)) as tf.Tensor3D; // [n,16,4]
  const attended = tf.matMul(tf.matMul(attention, pooled(p.dValue!, 4)).reshape([-1, 4]), sn(p.dOut!) as tf.Tensor2D);
  h = tf.add(h, tf.mul(p.dSigma!, attended.reshape([n, 4, 4, 8])));
  const corner = tf.mean(tf.slice(h, [0, 0, 0, 0], [-1, 2, 2, -1]), [1, 2]);
  const features = tf.concat([tf.sum(tf.relu(h), [1, 2]), tf.add(tf.max(h, [1, 2]), corner)], 1); // [n,16]
  const projection = tf.sum(tf.mul(features, tf.gather(sn(p.dEmbed!), labels)), 1, true);
  return tf.add(tf.matMul(features, sn(p.dDense!) as tf.Tensor2D), projection);
}

const hinge = (t: tf.Tensor, sign: number) => tf.mean(tf.relu(tf.add(1, tf.mul(sign, t))));
const batch = () => ({
  real: tf.tanh(rand([B, 8, 8, 3], 7)) as tf.Tensor4D,
  z: rand([B, 8], 8),
  labels: tf.tensor1d([2, 0, 1], 'int32'),
});

/** The gradients of one D step (hinge on real and fake) and one G step, w.r.t. D's and G's variables. */
function stepGradients(p: Params): tf.Tensor[] {
  return tf.tidy(() => {
    const { real, z, labels } = batch();
    const dVars = D_NAMES.map((n) => p[n]!);
    const gVars = G_NAMES.map((n) => p[n]!);
    const d = tf.variableGrads(
      () =>
        tf.add(
          hinge(discriminator(p, real, labels), -1),
          hinge(discriminator(p, generator(p, z, labels), labels), 1),
        ) as tf.Scalar,
      dVars,
    );
    const g = tf.variableGrads(
      () => tf.neg(tf.mean(discriminator(p, generator(p, z, labels), labels))) as tf.Scalar,
      gVars,
    );
    return [...dVars.map((v) => d.grads[v.name]!), ...gVars.map((v) => g.grads[v.name]!)];
  });
}

beforeAll(async () => {
  await selectBackend({ requested: 'wasm', threads: 1 });
});

describe('a whole training iteration on wasm', () => {
  it('has the same D-step and G-step gradients as on cpu', async () => {
    const gradsOn = async (backend: string) => {
      await tf.setBackend(backend);
      const params = makeParams();
      const grads = stepGradients(params);
      const data = grads.map((g) => Float32Array.from(g.dataSync()));
      tf.dispose([...grads, ...Object.values(params)]);
      return data;
    };
    const cpu = await gradsOn('cpu');
    const wasm = await gradsOn('wasm');
    expect(cpu.every((g) => g.some((v) => v !== 0))).toBe(true); // every variable really gets a gradient
    expect(maxRelativeDiff(cpu, wasm)).toBeLessThan(1e-4);
  });

  it('runs with Adam on wasm kernels only, without leaking tensors or heap buffers', async () => {
    await tf.setBackend('wasm');
    const params = makeParams();
    const adam = tf.train.adam(4e-4, 0, 0.9);
    const step = () =>
      tf.tidy(() => {
        const grads = stepGradients(params);
        adam.applyGradients(
          [...D_NAMES, ...G_NAMES].map((name, i) => ({ name: params[name]!.name, tensor: grads[i]! })),
        );
      });
    const profile = await tf.profile(step); // the first step also creates Adam's moments
    // 'forward' and the like are customGrad bookkeeping, not kernels: only names some backend implements count.
    const missing = profile.kernelNames.filter((name) => tf.getKernel(name, 'cpu') && !tf.getKernel(name, 'wasm'));
    expect(missing).toEqual([]);
    for (const name of [...ADDED_WASM_KERNELS, 'Conv2DBackpropInput', 'BatchMatMul', 'AvgPoolGrad', 'MaxPoolGrad'])
      expect(profile.kernelNames).toContain(name);
    const tensors = tf.memory().numTensors;
    const ids = wasmDataIds();
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(wasmDataIds()).toBe(ids);
    adam.dispose();
    tf.dispose(Object.values(params));
  });
});
