import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BatchNorm,
  ConditionalBatchNorm,
  GlobalSumPool,
  ProjectionHead,
  SelfAttention,
  SNConv2D,
  SNDense,
  SNEmbedding,
  UpsampleNearest,
} from '../core/layers';
import { attentionDefaults } from '../core/layers/attend';
import { seededValues } from '../core/layers/testkit';
import { GanModel } from '../core/model/gan-model';
import { seededRandom } from '../core/train/random';
import { GanTrainer } from '../core/train/trainer';
import { selectBackend } from './backend';
import { tinyMnistDoc } from './run/test-fixtures';
import { findAdapter } from './webgpu';

/*
 * WebGPU against the cpu backend: every custom layer forward and backward, and one whole D+G iteration of (a narrow)
 * sagan-mnist, agree within 1e-3 relative to max(1, |x|). Without a GPU, Chromium's SwiftShader Vulkan driver gives
 * Dawn a (slow) adapter; where there is no adapter at all the tests report themselves skipped with the reason.
 */
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
process.env.XDG_RUNTIME_DIR ??= tmpdir(); // quiets the Vulkan loader's warning
const probe = await findAdapter();
const skipped = probe.ok ? null : probe.reason;
if (skipped) console.warn(`webgpu parity tests skipped: ${skipped}`);

const TOLERANCE = 1e-3;

/** Largest |a−b| / max(1, |a|) over two lists of arrays; throws on a length mismatch. */
function worstRelative(a: Float32Array[], b: Float32Array[]): number {
  expect(b.map((x) => x.length)).toEqual(a.map((x) => x.length));
  let worst = 0;
  a.forEach((x, i) =>
    x.forEach((v, k) => {
      worst = Math.max(worst, Math.abs(v - b[i]![k]!) / Math.max(1, Math.abs(v)));
    }),
  );
  return worst;
}

async function read(ts: tf.Tensor[]): Promise<Float32Array[]> {
  const data = await Promise.all(ts.map((t) => t.data()));
  tf.dispose(ts);
  return data.map((d) => Float32Array.from(d));
}

interface LayerCase {
  name: string;
  make: () => tf.layers.Layer;
  inputs: { shape: number[]; labels?: number }[];
  /** Changes to the weights as built (e.g. γ away from its initial 0, so the attention branch counts). */
  adjust?: (weights: tf.Tensor[], layer: tf.layers.Layer) => tf.Tensor[];
}

const cases: LayerCase[] = [
  {
    name: 'SNConv2D 3×3',
    make: () => new SNConv2D({ filters: 4, kernelSize: 3, seed: 1 }),
    inputs: [{ shape: [2, 4, 4, 3] }],
  },
  {
    name: 'SNConv2D 1×1',
    make: () => new SNConv2D({ filters: 3, kernelSize: 1, seed: 2 }),
    inputs: [{ shape: [2, 3, 3, 4] }],
  },
  { name: 'SNDense', make: () => new SNDense({ units: 5, seed: 3 }), inputs: [{ shape: [2, 6] }] },
  {
    name: 'SNEmbedding',
    make: () => new SNEmbedding({ numClasses: 4, dim: 3, seed: 4 }),
    inputs: [{ shape: [3, 1], labels: 4 }],
  },
  { name: 'BatchNorm', make: () => new BatchNorm({}), inputs: [{ shape: [3, 2, 2, 4] }] },
  {
    name: 'ConditionalBatchNorm',
    make: () => new ConditionalBatchNorm({ numClasses: 3 }),
    inputs: [{ shape: [3, 2, 2, 4] }, { shape: [3, 1], labels: 3 }],
    adjust: (ws) => ws.map((w, i) => (w.rank === 2 ? tf.add(w, tf.tensor(seededValues(w.size, 10 + i), w.shape)) : w)),
  },
  { name: 'GlobalSumPool', make: () => new GlobalSumPool({}), inputs: [{ shape: [2, 3, 3, 4] }] },
  { name: 'UpsampleNearest', make: () => new UpsampleNearest({ factor: 2 }), inputs: [{ shape: [2, 2, 3, 2] }] },
  {
    name: 'ProjectionHead',
    make: () => new ProjectionHead({ numClasses: 3, seed: 5 }),
    inputs: [{ shape: [3, 6] }, { shape: [3, 1], labels: 3 }],
  },
  {
    name: 'SelfAttention (pooled keys, chunked)',
    make: () => new SelfAttention({ pooledKeys: true, seed: 6 }),
    inputs: [{ shape: [2, 4, 4, 8] }],
    adjust: (ws, layer) => ws.map((w, i) => (layer.weights[i]!.originalName.endsWith('gamma') ? tf.scalar(0.7) : w)),
  },
];

/**
 * One training-mode forward and backward of a layer on the active backend, with `weights` (host arrays from the cpu
 * run) or its own initial weights: the output, the loss, the gradients of the inputs and trainable weights, and every
 * weight after the pass (spectral norm's u and batch norm's running statistics move in training).
 */
async function forwardBackward(c: LayerCase, weights: Float32Array[] | null) {
  const layer = c.make();
  const xs = c.inputs.map((input, i) =>
    input.labels
      ? tf.tensor(
          Array.from({ length: input.shape[0]! }, (_, k) => (k * 7 + i) % input.labels!),
          input.shape,
          'int32',
        )
      : tf.tensor(seededValues(tf.util.sizeFromShape(input.shape), 20 + i), input.shape),
  );
  tf.dispose(layer.apply(xs.length === 1 ? xs[0]! : xs) as tf.Tensor); // builds it
  let initial = layer.getWeights();
  if (weights) layer.setWeights(weights.map((w, i) => tf.tensor(w, initial[i]!.shape)));
  else if (c.adjust) layer.setWeights(c.adjust(initial, layer));
  initial = layer.getWeights().map((w) => w.clone());
  const floats = xs.map((x) => (x.dtype === 'float32' ? tf.variable(x) : null));
  const args = xs.map((x, i) => floats[i] ?? x);
  const { value, grads } = tf.variableGrads(() => {
    const y = layer.apply(args.length === 1 ? args[0]! : args, { training: true }) as tf.Tensor;
    const r = tf.tensor(seededValues(y.size, 99), y.shape);
    return tf.sum(tf.mul(y, r)) as tf.Scalar;
  }, [
    ...floats.filter((v): v is tf.Variable => v !== null),
    ...layer.trainableWeights.map((w) => w.read() as tf.Variable),
  ]);
  const output = layer.apply(args.length === 1 ? args[0]! : args) as tf.Tensor; // inference, after the update
  const out = await read([output, value, ...Object.values(grads), ...layer.getWeights().map((w) => w.clone())]);
  const start = await read(initial);
  tf.dispose([...xs, ...floats.filter((v): v is tf.Variable => v !== null)]);
  layer.dispose();
  return { out, start };
}

const toCpu = () => tf.setBackend('cpu');

describe.skipIf(skipped !== null)(`webgpu parity with cpu${skipped ? ` (skipped: ${skipped})` : ''}`, () => {
  const chunk = attentionDefaults.chunkElements;
  afterAll(async () => {
    attentionDefaults.chunkElements = chunk;
    await toCpu();
  });

  it('every custom layer: forward and backward within 1e-3, on the adapter named here', async () => {
    const report = await selectBackend({ requested: 'webgpu' });
    expect(report.adapter?.name).toBe(probe.ok ? probe.adapter.name : '');
    attentionDefaults.chunkElements = 8; // several chunks even for a 4×4 map: the chunked path is the one checked
    for (const c of cases) {
      await toCpu();
      const cpu = await forwardBackward(c, null);
      await tf.setBackend('webgpu');
      const gpu = await forwardBackward(c, cpu.start);
      expect(gpu.start, c.name).toEqual(cpu.start);
      const worst = worstRelative(cpu.out, gpu.out);
      expect(worst, `${c.name}: worst relative difference ${worst}`).toBeLessThan(TOLERANCE);
    }
  });

  it('one whole D+G iteration of a narrow sagan-mnist (batch 2): losses and every weight after it', async () => {
    attentionDefaults.chunkElements = chunk;
    const doc = tinyMnistDoc({ batchSize: 2 });
    const data = () => {
      const rng = seededRandom(5);
      return {
        next: (b: number) => ({
          images: rng.normal(b * 32 * 32).map(Math.tanh),
          labels: rng.ints(b, 10),
          shape: [b, 32, 32, 1] as [number, number, number, number],
        }),
        getState: () => null,
        setState: () => {},
      };
    };
    const iterate = async (weights: Awaited<ReturnType<GanModel['readWeights']>> | null) => {
      const model = GanModel.compile(doc);
      if (weights) model.loadWeights(weights);
      const before = await model.readWeights();
      const trainer = new GanTrainer(model, data(), seededRandom(1));
      const result = await trainer.iterate(true);
      const after = await model.readWeights();
      trainer.dispose();
      model.dispose();
      return { before, result, after };
    };
    await toCpu();
    const cpu = await iterate(null);
    await tf.setBackend('webgpu');
    const gpu = await iterate(cpu.before);
    const losses = (r: typeof cpu.result) => [r.lossD, r.lossDReal, r.lossDFake, r.lossG];
    expect(
      worstRelative([Float32Array.from(losses(cpu.result))], [Float32Array.from(losses(gpu.result))]),
    ).toBeLessThan(TOLERANCE);
    expect([...gpu.after.keys()]).toEqual([...cpu.after.keys()]);
    const arrays = (m: typeof cpu.after) => [...m.values()].map((t) => Float32Array.from(t.data as ArrayLike<number>));
    const worst = worstRelative(arrays(cpu.after), arrays(gpu.after));
    expect(worst, `worst relative difference over ${cpu.after.size} weights: ${worst}`).toBeLessThan(TOLERANCE);
    // The step moved the weights (a comparison of two untouched models would prove nothing).
    expect(worstRelative(arrays(cpu.before), arrays(cpu.after))).toBeGreaterThan(1e-4);
  }, 180_000); // SwiftShader compiles each of the step's ~200 shaders on the CPU: about 20 s of CPU, minutes under load
});
