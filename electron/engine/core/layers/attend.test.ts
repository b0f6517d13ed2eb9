import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../node/backend';
import { attentionMemory } from '../../../../graph-schemas';
import { traceMemory } from '../train/memory';
import { ATTENTION_CHUNK_ELEMENTS, attend, attentionChunks } from './attend';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm', threads: 1 });
});

const seeded = (shape: [number, number, number], seed: number) =>
  tf.randomUniform(shape, -1, 1, 'float32', seed) as tf.Tensor3D;
/** tfjs' own ops and gradients, keeping the whole attention matrix. */
const plain = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => tf.matMul(tf.softmax(tf.matMul(q, k, false, true)), v);

function valueAndGrads(
  f: (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => tf.Tensor,
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  dy: tf.Tensor,
): number[][] {
  return tf.tidy(() => {
    const out = f(q, k, v);
    const grads = tf.grads((a, b, c) => tf.sum(tf.mul(f(a!, b!, c!), dy)))([q, k, v]);
    return [out, ...grads].map((t) => Array.from(t.dataSync()));
  });
}

describe('attend', () => {
  const [b, n, keys, d, dv] = [3, 12, 8, 4, 5];
  let [q, k, v, dy] = [] as tf.Tensor3D[];
  let reference: number[][] = [];
  beforeAll(() => {
    [q, k, v, dy] = [seeded([b, n, d], 1), seeded([b, keys, d], 2), seeded([b, keys, dv], 3), seeded([b, n, dv], 4)];
    reference = valueAndGrads(plain, q!, k!, v!, dy!);
  });

  it("in one chunk, gives exactly tfjs' own values and gradients", () => {
    expect(
      valueAndGrads((x, y, z) => attend(x as tf.Tensor3D, y as tf.Tensor3D, z as tf.Tensor3D), q!, k!, v!, dy!),
    ).toEqual(reference);
  });

  for (const [what, budget] of [
    ['sample chunks', 2 * n * keys],
    ['row chunks within a sample', 5 * keys],
  ] as const) {
    it(`in ${what}, matches them to float rounding`, () => {
      const ours = valueAndGrads(
        (x, y, z) => attend(x as tf.Tensor3D, y as tf.Tensor3D, z as tf.Tensor3D, budget),
        q!,
        k!,
        v!,
        dy!,
      );
      ours.forEach((arr, i) => arr.forEach((x, j) => expect(x).toBeCloseTo(reference[i]![j]!, 5)));
    });
  }

  it('splits into pieces within the budget that cover every sample and row once', () => {
    expect(attentionChunks(5, 10, 10, 250)).toEqual([
      { b0: 0, bc: 2, r0: 0, rc: 10 },
      { b0: 2, bc: 2, r0: 0, rc: 10 },
      { b0: 4, bc: 1, r0: 0, rc: 10 },
    ]);
    const rows = attentionChunks(2, 10, 10, 40);
    expect(rows.map((c) => [c.b0, c.r0, c.rc])).toEqual([
      [0, 0, 4],
      [0, 4, 4],
      [0, 8, 2],
      [1, 0, 4],
      [1, 4, 4],
      [1, 8, 2],
    ]);
  });

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    valueAndGrads((x, y, z) => attend(x as tf.Tensor3D, y as tf.Tensor3D, z as tf.Tensor3D, 5 * keys), q!, k!, v!, dy!);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("attention memory: the engine's peak and graph-schemas' model (the editor's figures) agree", () => {
  // d = dv = 8 keeps q, k, v and their gradients small, so the attention buffers are what the peak measures.
  it.each([
    { case: 'the whole batch in one chunk', b: 8, n: 256, keys: 256, budget: ATTENTION_CHUNK_ELEMENTS },
    { case: 'a few samples per chunk', b: 8, n: 256, keys: 256, budget: 131_072 },
    { case: "a sample's query rows split", b: 2, n: 1024, keys: 1024, budget: 131_072 },
  ])('$case', async ({ b, n, keys, budget }) => {
    const [q, k, v] = [seeded([b, n, 8], 1), seeded([b, keys, 8], 2), seeded([b, keys, 8], 3)];
    const before = tf.memory().numBytes;
    const { peak } = await traceMemory(() => {
      const grads = tf.grads((x, y, z) => attend(x as tf.Tensor3D, y as tf.Tensor3D, z as tf.Tensor3D, budget).sum());
      tf.dispose(grads([q, k, v]));
    });
    tf.dispose([q, k, v]);
    const model = attentionMemory(b, n, keys, budget);
    expect(model.chunkElements).toBe(Math.max(...attentionChunks(b, n, keys, budget).map((c) => c.bc * c.rc * keys)));
    const measured = peak - before;
    expect(measured / model.peakBytes).toBeGreaterThan(0.75);
    expect(measured / model.peakBytes).toBeLessThan(1.35);
  });
});
