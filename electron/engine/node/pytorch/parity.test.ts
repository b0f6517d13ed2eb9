import * as tf from '@tensorflow/tfjs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../../../graph-schemas';
import { blockTypes, findPreset } from '../../../../graph-schemas';
import { compileGraph } from '../../core/compile/compile';
import type { CompiledGan } from '../../core/compile/compiled-gan';
import { readModelWeights } from '../../core/model/weights';
import { seededRandom } from '../../core/train/random';
import { discriminatorInputs, generatorInputs, labelTensor } from '../../core/model/inputs';
import { runPython, torchAvailability } from '../../parity/python';
import { selectBackend } from '../backend';
import { loadImageFolder } from '../data/image-folder';
import { encodePng } from '../png';
import { readTensorBundle, writeTensorBundle } from '../tensor-bundle';
import { exportPyTorch } from './export-pytorch';
import { permute } from './layout';
import { planExport } from './plan';
import { torchStateFromEngine } from './state-mapping';
import { compositeDocument, everyBlockDocument, nestedCompositeDocument, perturbNeutralWeights } from './test-fixtures';

/**
 * The generated PyTorch modules, loaded with the engine's weights, compute what the engine computes: G and D in
 * eval mode (sampling) and in training mode (batch statistics, one power iteration), and the same spectral-norm
 * vectors and running statistics afterwards. Max abs diff ≤ 1e-4.
 */
const torch = torchAvailability();
const HARNESS = join(dirname(fileURLToPath(import.meta.url)), 'parity_harness.py');
const B = 3;
const dir = mkdtempSync(join(tmpdir(), 'sagan-pytorch-parity-'));

const graphs: [string, () => GraphDocument][] = [
  ['sagan-32', () => findPreset('sagan-32')!.build()],
  ['sagan-mnist', () => findPreset('sagan-mnist')!.build()],
  ['every-block', everyBlockDocument],
  ['composite', compositeDocument],
  ['nested-composite', nestedCompositeDocument],
];

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

async function bundle(path: string) {
  const r = await readTensorBundle(path);
  if (!r.ok) throw new Error(r.error);
  return r.value.tensors;
}

/** Eval-mode then training-mode outputs of the engine on the same inputs (NHWC images, [B, 1] scores). */
function engineOutputs(gan: CompiledGan, z: Float32Array, y: Int32Array, xNhwc: Float32Array) {
  const [h, w, c] = gan.imageShape;
  return tf.tidy(() => {
    const zt = tf.tensor2d(z, [B, gan.zDim]);
    const labels = labelTensor(y);
    const x = tf.tensor4d(xNhwc, [B, h, w, c]);
    const gEval = (gan.generator.predict(generatorInputs(gan, zt, labels)) as tf.Tensor).dataSync() as Float32Array;
    const dEval = (
      gan.discriminator.predict(discriminatorInputs(gan, x, labels)) as tf.Tensor
    ).dataSync() as Float32Array;
    const gTrain = (
      gan.generator.apply(generatorInputs(gan, zt, labels), { training: true }) as tf.Tensor
    ).dataSync() as Float32Array;
    const dTrain = (
      gan.discriminator.apply(discriminatorInputs(gan, x, labels), { training: true }) as tf.Tensor
    ).dataSync() as Float32Array;
    return { gEval, dEval, gTrain, dTrain };
  });
}

describe('the parity graphs', () => {
  it('use every block type of the catalog between them', () => {
    const used = new Set(
      graphs
        .flatMap(([, build]) => build())
        .flatMap((doc) => [...doc.generator.nodes, ...doc.discriminator.nodes].map((n) => n.type)),
    );
    expect([...blockTypes].filter((t) => !used.has(t))).toEqual([]);
  });
});

describe.skipIf(!torch.available)(
  `exported PyTorch modules match the engine${torch.available ? '' : ` (skipped: ${torch.reason})`}`,
  () => {
    beforeAll(async () => {
      await selectBackend({ requested: 'wasm' });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each(graphs)(
      '%s: same G and D outputs, eval and training mode, and the same state after',
      async (name, build) => {
        const doc = build();
        const plan = planExport(doc);
        const gan = compileGraph(doc);
        perturbNeutralWeights(gan, 11);
        const pkg = join(dir, name);
        await exportPyTorch({ doc, out: pkg });
        const weights = torchStateFromEngine(plan, await readModelWeights(gan)).tensors;
        expect((await writeTensorBundle(join(dir, `${name}-weights`), weights)).ok).toBe(true);

        const rng = seededRandom(5);
        const [h, w, c] = gan.imageShape;
        const z = rng.normal(B * gan.zDim);
        const y = rng.ints(B, Math.max(1, doc.dataset.classes));
        const xNhwc = rng.normal(B * h * w * c).map((v) => Math.tanh(v));
        const xNchw = permute({ shape: [B, h, w, c], data: xNhwc }, [0, 3, 1, 2]);
        const inputs = {
          z: { dtype: 'float32' as const, shape: [B, gan.zDim], data: z },
          x: { dtype: 'float32' as const, shape: xNchw.shape, data: xNchw.data },
          y: { dtype: 'int32' as const, shape: [B], data: y },
        };
        expect((await writeTensorBundle(join(dir, `${name}-inputs`), inputs)).ok).toBe(true);
        const ran = await runPython(
          HARNESS,
          ['models', pkg, join(dir, `${name}-weights`), join(dir, `${name}-inputs`), join(dir, `${name}-out`)],
          { env: { OMP_NUM_THREADS: '1' } },
        );
        if (!ran.ok) throw new Error(ran.error);
        const theirs = await bundle(join(dir, `${name}-out`));

        const ours = engineOutputs(gan, z, y, xNhwc);
        const nhwc = (key: string) =>
          permute({ shape: theirs.get(key)!.shape, data: theirs.get(key)!.data as Float32Array }, [0, 2, 3, 1]).data;
        expect(theirs.get('g_eval')!.shape).toEqual([B, c, h, w]);
        expect(theirs.get('d_eval')!.shape).toEqual([B, 1]);
        expect(maxDiff(ours.gEval, nhwc('g_eval'))).toBeLessThanOrEqual(1e-4);
        expect(maxDiff(ours.dEval, theirs.get('d_eval')!.data)).toBeLessThanOrEqual(1e-4);
        expect(maxDiff(ours.gTrain, nhwc('g_train'))).toBeLessThanOrEqual(1e-4);
        expect(maxDiff(ours.dTrain, theirs.get('d_train')!.data)).toBeLessThanOrEqual(1e-4);
        // Training mode differs from eval mode (batch statistics, updated u), so both checks mean something.
        expect(maxDiff(ours.gEval, ours.gTrain)).toBeGreaterThan(1e-3);

        // Both sides moved u and the running statistics the same way.
        const after = torchStateFromEngine(plan, await readModelWeights(gan)).tensors;
        const report: string[] = [];
        let moved = 0;
        for (const [key, t] of after) {
          if (t.dtype !== 'float32') continue;
          const other = theirs.get(`state.${key}`);
          if (!other) {
            report.push(`${key}: missing on the PyTorch side`);
            continue;
          }
          const d = maxDiff(t.data, other.data);
          if (d > 1e-4) report.push(`${key}: max diff ${d.toExponential(2)}`);
          if (maxDiff(t.data, weights.get(key)!.data) > 1e-6) moved++;
        }
        expect(report).toEqual([]);
        expect(moved).toBeGreaterThan(0);
        gan.dispose();
      },
      120_000,
    );

    it.each([1, 3] as const)(
      'data.py reads an image folder as the engine does (%i channels: alpha, gray, shrink, enlarge, crop)',
      async (channels) => {
        const folder = join(dir, `images-${channels}`);
        const rng = seededRandom(21);
        const sizes: [number, number][] = [
          [40, 30],
          [20, 24],
          [16, 16],
        ];
        for (const cls of ['cats', 'dogs']) {
          mkdirSync(join(folder, cls, 'nested'), { recursive: true });
          sizes.forEach(([width, height], i) => {
            const rgba = Uint8ClampedArray.from(rng.ints(width * height * 4, 256));
            writeFileSync(
              join(folder, cls, i === 2 ? 'nested' : '', `img-${i}.png`),
              encodePng({ width, height, rgba }),
            );
          });
        }
        const engine = await loadImageFolder(folder, { size: 16, channels, expectedClasses: 2 });
        if (!engine.ok) throw new Error(engine.error.message);
        const pkg = join(dir, `data-package-${channels}`);
        await exportPyTorch({ doc: findPreset('sagan-mnist')!.build(), out: pkg });
        const ran = await runPython(HARNESS, [
          'data',
          pkg,
          folder,
          '16',
          String(channels),
          '2',
          join(dir, `data-${channels}`),
        ]);
        if (!ran.ok) throw new Error(ran.error);
        const theirs = await bundle(join(dir, `data-${channels}`));
        const ds = engine.value;
        expect(theirs.get('images')!.shape).toEqual([ds.size, channels, 16, 16]);
        expect(Array.from(theirs.get('labels')!.data)).toEqual(Array.from(ds.labels));
        const ours = new Float32Array(ds.size * 16 * 16 * channels);
        for (let i = 0; i < ds.size; i++) ds.copyImage(i, ours, i * 16 * 16 * channels);
        const nhwc = permute(
          { shape: theirs.get('images')!.shape, data: theirs.get('images')!.data as Float32Array },
          [0, 2, 3, 1],
        ).data;
        // Equal up to rounding the same value to the neighbouring byte (float32 sums in another order).
        expect(maxDiff(ours, nhwc)).toBeLessThanOrEqual(1 / 127.5 + 1e-6);
        expect(ours.filter((v, i) => Math.abs(v - nhwc[i]!) > 1e-6).length).toBeLessThan(ours.length / 100);
      },
      60_000,
    );
  },
);
