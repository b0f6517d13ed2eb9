import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../node/backend';
import { countFlops } from './flops';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm', threads: 1 });
});

describe('countFlops', () => {
  it('counts a convolution, both its gradients and transposed matrix products as 2 FLOPs per multiply-add', async () => {
    const x = tf.ones([2, 8, 6, 3]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 3, 4]) as tf.Tensor4D;
    const conv = 2 * (2 * 8 * 6 * 4) * (3 * 3 * 3);
    const { flops, byKernel } = await countFlops(() => {
      const g = tf.grads((a, b) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')))([x, w]);
      const p = tf.matMul(tf.ones([5, 7]), tf.ones([11, 5]), true, true); // [7,5]·[5,11]
      tf.dispose([...g, p]);
    });
    expect(byKernel.get('Conv2D')).toBe(conv);
    expect(byKernel.get('Conv2DBackpropInput')).toBe(conv);
    expect(byKernel.get('Conv2DBackpropFilter')).toBe(conv);
    expect(byKernel.get('BatchMatMul')).toBe(2 * 7 * 11 * 5);
    expect(flops).toBe(3 * conv + 2 * 7 * 11 * 5);
    tf.dispose([x, w]);
  });

  it('stops observing when done, also after an error', async () => {
    await expect(
      countFlops(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(Object.prototype.hasOwnProperty.call(tf.engine(), 'runKernelFunc')).toBe(false);
  });
});
