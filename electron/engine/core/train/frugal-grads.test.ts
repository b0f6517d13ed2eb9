import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../node/backend';
import { frugalVariableGrads } from './frugal-grads';
import { traceMemory } from './memory';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm', threads: 1 });
});

const seeded = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);

/** A small conv net with a residual add, a shared weight used twice, an unused variable and ops whose gradient hands back dy itself. */
function makeModel() {
  const w1 = tf.variable(seeded([3, 3, 4, 8], 1), true, `w1_${Math.random()}`);
  const w2 = tf.variable(seeded([3, 3, 8, 8], 2), true, `w2_${Math.random()}`);
  const bias = tf.variable(seeded([8], 3), true, `b_${Math.random()}`);
  const unused = tf.variable(seeded([5], 4), true, `unused_${Math.random()}`);
  const frozen = tf.variable(seeded([8], 5), false, `frozen_${Math.random()}`);
  const x = seeded([2, 6, 6, 4], 6);
  const loss = () =>
    tf.tidy(() => {
      const h = tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor as tf.Tensor4D, 1, 'same'), bias));
      const r = tf.add(h, tf.conv2d(h as tf.Tensor4D, w2 as tf.Tensor as tf.Tensor4D, 1, 'same'));
      const again = tf.conv2d(tf.relu(r) as tf.Tensor4D, w2 as tf.Tensor as tf.Tensor4D, 1, 'same').clone(); // w2 twice; clone's gradient passes dy on
      return tf.sum(tf.square(tf.mul(tf.add(again, frozen), 0.1))) as tf.Scalar;
    });
  return { vars: [w1, w2, bias, unused, frozen], loss, dispose: () => tf.dispose([w1, w2, bias, unused, frozen, x]) };
}

describe('frugalVariableGrads', () => {
  it('gives exactly what tf.variableGrads gives, for the trainable variables the loss depends on', () => {
    const m = makeModel();
    const ours = frugalVariableGrads(m.loss, m.vars);
    const theirs = tf.variableGrads(m.loss, m.vars);
    expect(ours.value.dataSync()[0]).toBe(theirs.value.dataSync()[0]);
    const names = Object.keys(theirs.grads).filter((n) => theirs.grads[n] !== null);
    expect(Object.keys(ours.grads).sort()).toEqual(names.sort());
    for (const n of names)
      expect(Array.from(ours.grads[n]!.dataSync())).toEqual(Array.from(theirs.grads[n]!.dataSync()));
    tf.dispose([
      ours.value,
      theirs.value,
      ...Object.values(ours.grads),
      ...Object.values(theirs.grads).filter((g): g is tf.Tensor => g !== null),
    ]);
    m.dispose();
  });

  it('leaves no tensor behind but its results', () => {
    const m = makeModel();
    const before = tf.memory().numTensors;
    const { value, grads } = frugalVariableGrads(m.loss, m.vars);
    expect(tf.memory().numTensors).toBe(before + 1 + Object.keys(grads).length);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('needs less memory at its peak than tf.variableGrads on a deep stack', async () => {
    const ws = Array.from({ length: 8 }, (_, i) =>
      tf.variable(tf.mul(seeded([3, 3, 16, 16], 10 + i), 0.2), true, `deep${i}_${Math.random()}`),
    );
    const x = seeded([4, 16, 16, 16], 9);
    const loss = () =>
      tf.tidy(
        () =>
          tf.sum(
            ws.reduce((h, w) => tf.relu(tf.conv2d(h, w as tf.Tensor as tf.Tensor4D, 1, 'same')), x as tf.Tensor4D),
          ) as tf.Scalar,
      );
    const peakOf = async (grad: () => { value: tf.Tensor; grads: tf.NamedTensorMap }) =>
      (
        await traceMemory(() => {
          const { value, grads } = grad();
          tf.dispose([value, ...Object.values(grads)]);
        })
      ).peak;
    const frugal = await peakOf(() => frugalVariableGrads(loss, ws));
    const stock = await peakOf(() => tf.variableGrads(loss, ws) as { value: tf.Tensor; grads: tf.NamedTensorMap });
    expect(frugal).toBeLessThan(0.8 * stock);
    tf.dispose([...ws, x]);
  });

  it('refuses a loss that is not a scalar, and leaves the tape clean for the next call', () => {
    const w = tf.variable(seeded([3], 1), true, `w_${Math.random()}`);
    expect(() => frugalVariableGrads(() => tf.mul(w, 2) as unknown as tf.Scalar, [w])).toThrow(/scalar/);
    const { value, grads } = frugalVariableGrads(() => tf.sum(tf.square(w)) as tf.Scalar, [w]);
    const expected = tf.mul(w, 2);
    expect(Array.from(grads[w.name]!.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([value, ...Object.values(grads), w, expected]);
  });
});
