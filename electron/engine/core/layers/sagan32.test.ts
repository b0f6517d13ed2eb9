import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConditionalBatchNorm } from './conditional-batch-norm';
import { buildSagan32Discriminator, buildSagan32Generator, sagan32TorchPrefix } from './sagan32-testkit';
import type { SelfAttention } from './self-attention';
import { torchStateDictEntries } from './torch-mapping';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const size = (shape: Array<number | null>) => shape.reduce<number>((a, b) => a * (b ?? 1), 1);
/** Parameters as PyTorch counts them: trainable weights only (u and running statistics are buffers). */
const trainableParams = (m: tf.LayersModel) => m.trainableWeights.reduce((s, w) => s + size(w.shape), 0);

describe('SAGAN-32 from our blocks', () => {
  it('has exactly the reference parameter counts: G 4,386,756 and D 1,075,810', () => {
    const g = buildSagan32Generator({ seed: 1 });
    const d = buildSagan32Discriminator({ seed: 2 });
    expect(trainableParams(g)).toBe(4_386_756);
    expect(trainableParams(d)).toBe(1_075_810);
    // u vectors and running statistics exist but are not parameters.
    expect(g.nonTrainableWeights.some((w) => w.originalName === 'b1/conv1/u')).toBe(true);
    expect(g.nonTrainableWeights.some((w) => w.originalName === 'b1/cbn1/running_var')).toBe(true);
    expect(d.nonTrainableWeights.some((w) => w.originalName === 'head/embedding/u')).toBe(true);
    expect(g.outputs[0].shape).toEqual([null, 32, 32, 3]);
    expect(d.outputs[0].shape).toEqual([null, 1]);

    // Every weight maps to a distinct sagan_torch.py state_dict key (weight_v and num_batches_tracked aside).
    const keys = [
      ...torchStateDictEntries(g, (layer) => `G.${sagan32TorchPrefix(layer)}`),
      ...torchStateDictEntries(d, (layer) => `D.${sagan32TorchPrefix(layer)}`),
    ].map((e) => e.torchKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(g.weights.length + d.weights.length);
    expect(keys).toEqual(
      expect.arrayContaining([
        'G.lin.weight_orig',
        'G.b1.c1.weight_u',
        'G.b3.cbn2.gamma.weight',
        'G.att.f.weight_orig',
        'G.att.gamma',
        'G.bn.running_var',
        'G.out.bias',
      ]),
    );
    expect(keys).toEqual(
      expect.arrayContaining([
        'D.b1.sc.weight_orig',
        'D.b2.sc.weight_u',
        'D.att.o.bias',
        'D.emb.weight_orig',
        'D.emb.weight_u',
        'D.lin.weight_u',
      ]),
    );
    expect(keys.filter((k) => k.startsWith('D.b3.sc') || k.startsWith('D.b4.sc'))).toEqual([]);
    g.dispose();
    d.dispose();
  });

  it('model.apply(..., { training: true }) reaches every layer (u, running stats move); predict changes nothing', () => {
    const g = buildSagan32Generator({ gChannels: 8, seed: 3 });
    const d = buildSagan32Discriminator({ dChannels: 8, seed: 4 });
    const state = () =>
      [...g.nonTrainableWeights, ...d.nonTrainableWeights].map((w) => ({
        name: w.originalName,
        values: Array.from(w.read().dataSync()),
      }));
    const z = tf.randomNormal([2, 128], 0, 1, 'float32', 5);
    const y = tf.tensor2d([[1], [7]], [2, 1], 'int32');
    const before = state();
    tf.tidy(() => d.predict([g.predict([z, y]) as tf.Tensor, y]));
    expect(state()).toEqual(before);
    tf.tidy(() => d.apply([g.apply([z, y], { training: true }) as tf.Tensor, y], { training: true }) as tf.Tensor);
    const after = state();
    // Every u and running statistic changed, except u vectors of length 1 (always ±1).
    const unchanged = after
      .filter((w, i) => w.values.join() === before[i].values.join() && w.values.length > 1)
      .map((w) => w.name);
    expect(unchanged).toEqual([]);
    tf.dispose([z, y]);
    g.dispose();
    d.dispose();
  });

  it('repeated training forward + gradient calls leave tf.memory().numTensors unchanged', () => {
    const g = buildSagan32Generator({ gChannels: 8, seed: 6 });
    const d = buildSagan32Discriminator({ dChannels: 8, seed: 7 });
    const att = g.getLayer('att') as SelfAttention;
    att.setAttentionProbe([0, 100]);
    expect(g.getLayer('b1/cbn1')).toBeInstanceOf(ConditionalBatchNorm);
    const z = tf.randomNormal([2, 128], 0, 1, 'float32', 8);
    const y = tf.tensor2d([[3], [3]], [2, 1], 'int32');
    const vars = [...g.trainableWeights, ...d.trainableWeights].map((w) => w.read() as tf.Variable);
    const step = () => {
      const { value, grads } = tf.variableGrads(
        () =>
          tf.mean(
            d.apply([g.apply([z, y], { training: true }) as tf.Tensor, y], { training: true }) as tf.Tensor,
          ) as tf.Scalar,
        vars,
      );
      expect(Object.keys(grads).length).toBe(vars.length);
      tf.dispose([value, grads]);
      att.takeProbedAttention()?.maps.dispose();
    };
    const n0 = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      step();
      expect(tf.memory().numTensors).toBe(n0);
    }
    tf.dispose([z, y]);
    g.dispose();
    d.dispose();
  });
});
