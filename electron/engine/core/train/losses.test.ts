import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { discriminatorLoss, generatorLoss } from './losses';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('GAN losses', () => {
  const real = tf.tensor1d([2, 0.5, -1]);
  const fake = tf.tensor1d([-2, 0, 1.5]);

  it('hinge: relu(1 − D(x)) on real, relu(1 + D(G(z))) on fake, −D(G(z)) for G', () => {
    const d = discriminatorLoss('hinge', real, fake);
    expect(d.real.dataSync()[0]).toBeCloseTo((0 + 0.5 + 2) / 3, 6);
    expect(d.fake.dataSync()[0]).toBeCloseTo((0 + 1 + 2.5) / 3, 6);
    expect(d.total.dataSync()[0]).toBeCloseTo(2.5 / 3 + 3.5 / 3, 6);
    expect(generatorLoss('hinge', fake).dataSync()[0]).toBeCloseTo(0.5 / 3, 6); // −mean(−2, 0, 1.5)
  });

  it('non-saturating: softplus(−D(x)) + softplus(D(G(z))), softplus(−D(G(z))) for G', () => {
    const sp = (x: number) => Math.log1p(Math.exp(x));
    const d = discriminatorLoss('non-saturating', real, fake);
    expect(d.total.dataSync()[0]).toBeCloseTo((sp(-2) + sp(-0.5) + sp(1)) / 3 + (sp(-2) + sp(0) + sp(1.5)) / 3, 5);
    expect(generatorLoss('non-saturating', fake).dataSync()[0]).toBeCloseTo((sp(2) + sp(0) + sp(-1.5)) / 3, 5);
  });
});
