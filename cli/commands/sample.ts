import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import '../../electron/engine/core/layers';
import { composeGrid } from '../../electron/engine/core/image/grid';
import { seededRandom } from '../../electron/engine/core/train/random';
import { loadModelFiles } from '../../electron/engine/node/export/model-files';
import type { ExportManifest } from '../../electron/engine/node/export/export-run';
import { writeFileAtomic } from '../../electron/engine/node/fs-atomic';
import { encodePng } from '../../electron/engine/node/png';
import type { CliIO } from '../io';
import { UsageError } from '../io';
import { selectDefaultBackend } from './export';

export const sampleUsage = 'sagan-studio sample EXPORT_DIR [--n 16] [--class K] [--seed S] --out FILE.png';

/** Generates images from an exported model: noise from --seed, labels --class K or cycling through the classes. */
export async function sampleCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      n: { type: 'string', default: '16' },
      class: { type: 'string' },
      seed: { type: 'string', default: '0' },
      out: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('Give one EXPORT_DIR (a folder made by sagan-studio export).');
  if (!values.out) throw new UsageError('Give --out FILE.png.');
  const n = Number(values.n);
  const seed = Number(values.seed);
  if (!Number.isInteger(n) || n < 1 || n > 1024) throw new UsageError('--n must be a whole number from 1 to 1024.');
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError('--seed must be a whole number ≥ 0.');
  const dir = resolve(positionals[0]!);
  const manifest = JSON.parse(
    await readFile(join(dir, 'export.json'), 'utf8').catch(() => {
      throw new Error(
        `${dir} is not a SAGAN Studio export (no export.json); make one with sagan-studio export RUN_DIR --out DIR.`,
      );
    }),
  ) as ExportManifest;
  const conditional = manifest.generatorInputs.includes('label');
  let cls: number | undefined;
  if (values.class !== undefined) {
    cls = Number(values.class);
    if (!conditional) throw new UsageError(`${manifest.name} is unconditional; it takes no --class.`);
    if (!Number.isInteger(cls) || cls < 0 || cls >= manifest.classes)
      throw new UsageError(`--class must be from 0 to ${manifest.classes - 1}.`);
  }
  await selectDefaultBackend();
  const G = await loadModelFiles(join(dir, 'generator'));
  const images = tf.tidy(() => {
    const z = tf.tensor2d(seededRandom(seed).normal(n * manifest.zDim), [n, manifest.zDim]);
    const labels = tf.tensor2d(
      Int32Array.from({ length: n }, (_, i) => cls ?? i % Math.max(1, manifest.classes)),
      [n, 1],
      'int32',
    );
    return G.predict(conditional ? [z, labels] : [z]) as tf.Tensor4D;
  });
  const cols = Math.min(n, conditional && cls === undefined ? Math.min(manifest.classes, 10) : Math.ceil(Math.sqrt(n)));
  const grid = composeGrid((await images.data()) as Float32Array, images.shape as [number, number, number, number], {
    cols,
    padding: 2,
    background: 0,
  });
  images.dispose();
  await writeFileAtomic(resolve(values.out), encodePng(grid));
  io.out(
    `Wrote ${n} sample${n === 1 ? '' : 's'} of ${manifest.name}${cls !== undefined ? ` (class ${cls})` : ''} to ${resolve(values.out)}.`,
  );
  return 0;
}
