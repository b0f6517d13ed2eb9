import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNorm } from './batch-norm';
import { ConditionalBatchNorm } from './conditional-batch-norm';
import { ProjectionHead } from './projection-head';
import { SelfAttention } from './self-attention';
import { SNConv2D } from './sn-conv2d';
import { SNDense } from './sn-dense';
import { SNEmbedding } from './sn-embedding';
import { maxAbsDiff, seededTensor, weightOf } from './testkit';
import { fromTorchLayout, torchSpectralV, torchWeightsOf, toTorchLayout } from './torch-mapping';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const built = <T extends tf.layers.Layer>(layer: T, input: tf.Tensor | tf.Tensor[]): T => {
  tf.dispose(layer.apply(input) as tf.Tensor);
  return layer;
};
const pairs = (layer: tf.layers.Layer) => torchWeightsOf(layer).map((m) => `${m.weight}→${m.torch}:${m.layout}`);

describe('PyTorch weight mapping', () => {
  it('names every weight of every layer with its state_dict counterpart', () => {
    const conv = built(new SNConv2D({ name: 'c', filters: 2, kernelSize: 3 }), tf.zeros([1, 3, 3, 2]));
    expect(pairs(conv)).toEqual(['kernel→weight_orig:conv-kernel', 'bias→bias:same', 'u→weight_u:same']);
    const plain = built(new SNDense({ name: 'd', units: 2, spectralNorm: false }), tf.zeros([1, 3]));
    expect(pairs(plain)).toEqual(['kernel→weight:linear-kernel', 'bias→bias:same']);
    const emb = built(new SNEmbedding({ name: 'e', numClasses: 3, dim: 2 }), tf.zeros([1, 1], 'int32'));
    expect(pairs(emb)).toEqual(['embeddings→weight_orig:same', 'u→weight_u:same']);
    const att = built(new SelfAttention({ name: 'a', useBias: false }), tf.zeros([1, 2, 2, 8]));
    expect(pairs(att)).toEqual([
      'query/kernel→f.weight_orig:conv-kernel',
      'query/u→f.weight_u:same',
      'key/kernel→g.weight_orig:conv-kernel',
      'key/u→g.weight_u:same',
      'value/kernel→h.weight_orig:conv-kernel',
      'value/u→h.weight_u:same',
      'out/kernel→o.weight_orig:conv-kernel',
      'out/u→o.weight_u:same',
      'gamma→gamma:same',
    ]);
    const bn = built(new BatchNorm({ name: 'bn' }), tf.zeros([1, 1, 1, 2]));
    expect(pairs(bn)).toEqual([
      'gamma→weight:same',
      'beta→bias:same',
      'running_mean→running_mean:same',
      'running_var→running_var:same',
    ]);
    const cbn = built(new ConditionalBatchNorm({ name: 'cbn', numClasses: 2 }), [
      tf.zeros([1, 1, 1, 2]),
      tf.zeros([1, 1], 'int32'),
    ]);
    expect(pairs(cbn)).toEqual([
      'gamma_embedding→gamma.weight:same',
      'beta_embedding→beta.weight:same',
      'running_mean→bn.running_mean:same',
      'running_var→bn.running_var:same',
    ]);
    const head = built(new ProjectionHead({ name: 'h', numClasses: 2 }), [tf.zeros([1, 4]), tf.zeros([1, 1], 'int32')]);
    expect(pairs(head)).toEqual([
      'linear/kernel→lin.weight_orig:linear-kernel',
      'linear/bias→lin.bias:same',
      'linear/u→lin.weight_u:same',
      'embedding/embeddings→emb.weight_orig:same',
      'embedding/u→emb.weight_u:same',
    ]);
    // Every weight is covered exactly once.
    for (const layer of [conv, plain, emb, att, bn, cbn, head]) {
      expect(
        torchWeightsOf(layer)
          .map((m) => `${layer.name}/${m.weight}`)
          .sort(),
      ).toEqual(layer.weights.map((w) => w.originalName).sort());
    }
    expect(() => torchWeightsOf(built(tf.layers.dense({ name: 'keras', units: 1 }), tf.zeros([1, 2])))).toThrow(
      /No PyTorch mapping/,
    );
  });

  it('converts conv [kh,kw,in,out] ↔ [out,in,kh,kw] and linear [in,out] ↔ [out,in]', () => {
    const kernel = tf.range(0, 3 * 3 * 2 * 4).reshape([3, 3, 2, 4]);
    const torch = toTorchLayout(kernel, 'conv-kernel');
    expect(torch.shape).toEqual([4, 2, 3, 3]);
    // ours[kh=1, kw=2, in=1, out=3] is torch[out=3, in=1, kh=1, kw=2]
    expect((torch.arraySync() as number[][][][])[3][1][1][2]).toBe((kernel.arraySync() as number[][][][])[1][2][1][3]);
    expect(maxAbsDiff(fromTorchLayout(torch, 'conv-kernel'), kernel)).toBe(0);
    const dense = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(toTorchLayout(dense, 'linear-kernel').arraySync()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(maxAbsDiff(fromTorchLayout(toTorchLayout(dense, 'linear-kernel'), 'linear-kernel'), dense)).toBe(0);
  });

  it("torchSpectralV gives torch's weight_v: with it, uᵀ W_mat v equals our σ", () => {
    const conv = built(new SNConv2D({ name: 'sv', filters: 3, kernelSize: 3, seed: 1 }), seededTensor([1, 4, 4, 2], 1));
    weightOf(conv, 'kernel').write(seededTensor([3, 3, 2, 3], 2));
    const wTorch = toTorchLayout(weightOf(conv, 'kernel').read(), 'conv-kernel');
    const u = weightOf(conv, 'u').read();
    const v = torchSpectralV(wTorch, u);
    expect(v.shape).toEqual([2 * 3 * 3]);
    expect(tf.norm(v).dataSync()[0]).toBeCloseTo(1, 6);
    const sigmaTorch = tf
      .sum(tf.mul(u, tf.matMul(wTorch.reshape([3, -1]), v.reshape([-1, 1])).reshape([-1])))
      .dataSync()[0];
    expect(sigmaTorch).toBeCloseTo(conv.sigma().dataSync()[0], 5);
  });
});
