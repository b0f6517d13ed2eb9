import * as tf from '@tensorflow/tfjs';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../core/data/prng';
import { featureStats, frechetDistance } from '../core/metrics/frechet';
import { fidInceptionFromTorch } from '../core/metrics/inception';
import { kernelDistance } from '../core/metrics/kid';
import { selectBackend } from '../node/backend';
import { readTorchStateDict } from '../node/metrics/torch-checkpoint';
import { readTensorBundle, writeTensorBundle } from '../node/tensor-bundle';
import { fidReferenceAvailability, PARITY_DIR, runPython } from './python';

/**
 * The FID machinery against PyTorch and scipy, without the real Inception weights: pytorch-fid's Inception-v3
 * variant (built in fid_reference.py from torchvision's blocks) with random weights, saved by torch.save in both
 * file formats, read by our loader and run by our tfjs network, gives the same pool3 features (≤ 1e-4); our FD
 * and KID equal scipy/numpy float64 references within 1e-3 relative.
 */
const available = fidReferenceAvailability();
const dir = mkdtempSync(join(tmpdir(), 'sagan-fid-parity-'));
const script = join(PARITY_DIR, 'fid_reference.py');

async function python(args: string[]) {
  const r = await runPython(script, args, { timeoutMs: 300_000, env: { OMP_NUM_THREADS: '2' } });
  if (!r.ok) throw new Error(r.error);
  return JSON.parse(r.value.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

async function features(path: string) {
  const r = await readTensorBundle(path);
  if (!r.ok) throw new Error(r.error);
  return r.value.tensors.get('features')!;
}

/** n rows of d correlated, shifted features (a random linear map of Gaussian noise), written as a bundle. */
async function featureSet(name: string, n: number, d: number, seed: number, shift: number) {
  const rng = new Xoshiro128(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
  const mix = Float64Array.from({ length: d * d }, () => gauss() / Math.sqrt(d));
  const data = new Float32Array(n * d);
  const z = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) z[i] = gauss();
    for (let j = 0; j < d; j++) {
      let s = shift * Math.sin(j);
      for (let i = 0; i < d; i++) s += z[i]! * mix[i * d + j]!;
      data[r * d + j] = Math.max(0, s); // ReLU-like features, as pool3 and the classifier's are
    }
  }
  const path = join(dir, name);
  const w = await writeTensorBundle(path, { features: { dtype: 'float32', shape: [n, d], data } });
  if (!w.ok) throw new Error(w.error);
  return { path, data, n, d };
}

describe.skipIf(!available.available)(
  `FID parity with PyTorch and scipy${available.available ? '' : ` (skipped: ${available.reason})`}`,
  () => {
    beforeAll(async () => {
      await selectBackend({ requested: 'wasm' });
    });

    it('reads the pytorch-fid Inception state dict in both torch.save formats and gives its float64 features within 1e-4 of their scale', async () => {
      const rng = new Xoshiro128(3);
      const shape = [2, 48, 40, 3];
      const images = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.nextFloat());
      await writeTensorBundle(join(dir, 'images'), { images: { dtype: 'float32', shape, data: images } });
      await python(['inception', '--seed', '5', '--images', join(dir, 'images'), '--out', join(dir, 'inception')]);
      const expected = await features(join(dir, 'inception', 'features'));
      const zip = readTorchStateDict(await readFile(join(dir, 'inception', 'weights.pth')), 'weights.pth');
      const legacy = readTorchStateDict(
        await readFile(join(dir, 'inception', 'weights-legacy.pth')),
        'weights-legacy.pth',
      );
      expect([...legacy.keys()]).toEqual([...zip.keys()]);
      const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      const differing = [...zip].filter(([k, v]) => !bytes(legacy.get(k)!.data).equals(bytes(v.data)));
      expect(differing.map(([k]) => k)).toEqual([]); // (byte comparison: toEqual over 24M floats takes minutes)
      const net = fidInceptionFromTorch(zip);
      const before = tf.memory().numTensors;
      const got = net.features(tf.tensor4d(images, shape as [number, number, number, number]));
      const ours = got.dataSync() as Float32Array;
      tf.dispose(got);
      net.dispose();
      expect(got.shape).toEqual([2, 2048]);
      expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 1); // the input tensor
      const reference = expected.data as Float32Array;
      const scale = reference.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(scale).toBeGreaterThan(0.1); // activations neither vanished nor exploded
      expect(scale).toBeLessThan(100);
      // The reference runs in float64. Through 94 float32 layers an absolute 1e-4 is below what float32 itself
      // reaches on this network (PyTorch's own float32 forward is ~5e-4 off its float64 one), so the bound is 1e-4
      // of the largest feature (measured: 7.5e-5).
      const diff = ours.reduce((m, v, i) => Math.max(m, Math.abs(v - reference[i]!)), 0);
      expect(diff / scale).toBeLessThan(1e-4);
    }, 300_000);

    it('computes the Fréchet distance as scipy.linalg.sqrtm does, with more rows than dimensions and fewer', async () => {
      const d = 96;
      const real = await featureSet('real', 400, d, 1, 0);
      for (const [n, shift] of [
        [300, 0.3],
        [60, 0.1],
      ] as const) {
        const fake = await featureSet(`fake-${n}`, n, d, 2 + n, shift);
        const ref = (await python(['frechet', real.path, fake.path])).frechet!;
        const a = featureStats(real.data, real.n, d);
        const b = featureStats(fake.data, n, d);
        const ours = frechetDistance(a, b, { generatedFeatures: fake.data });
        expect(Math.abs(ours - ref) / ref).toBeLessThan(1e-3);
        expect(Math.abs(frechetDistance(a, b) - ref) / ref).toBeLessThan(1e-3); // the d×d route as well
      }
    });

    it('computes KID as the unbiased MMD² with the cubic kernel', async () => {
      const d = 64;
      const real = await featureSet('kid-real', 150, d, 11, 0);
      const fake = await featureSet('kid-fake', 150, d, 12, 0.4);
      const ref = (await python(['kid', real.path, fake.path])).kid!;
      const ours = await kernelDistance(real.data, 150, fake.data, 150, d, { subsets: 1, subsetSize: 150 });
      expect(Math.abs(ours.mean - ref) / Math.abs(ref)).toBeLessThan(1e-3);
    });
  },
);
