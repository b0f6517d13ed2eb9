import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { composeGrid } from '../../core/image/grid';
import { GanTrainer } from '../../core/train/trainer';
import type { RandomSource } from '../../core/train/rng-source';
import { encodePng } from '../png';
import { readLatestCheckpoint, readRunInfo } from '../run/run-folder';
import { bundleLayersModule } from './layers-module';
import { saveModelFiles } from './model-files';
import { exportReadme } from './readme';
import { seededRandom } from '../../core/train/random';

export interface ExportManifest {
  format: 'sagan-studio/export';
  version: 1;
  name: string;
  step: number;
  zDim: number;
  classes: number;
  imageShape: [number, number, number];
  generatorInputs: string[];
  discriminatorInputs: string[];
  noise: 'normal';
  sampleGrid: string;
  emaWeights: boolean;
}

/**
 * Writes a run's newest checkpoint as a self-contained folder: the document, G and D as tfjs LayersModels,
 * the layers module, a sample grid and a README. Built in a temp folder, then renamed into place.
 */
export async function exportRun(runDir: string, outDir: string): Promise<ExportManifest> {
  const info = await readRunInfo(runDir);
  const latest = await readLatestCheckpoint(runDir);
  if (!latest) throw new Error(`${runDir} has no checkpoint yet; train at least until the first checkpoint.`);
  const out = resolve(outDir);
  await refuseForeignFolder(out);
  const tmp = join(dirname(out), `.${out.split(/[\\/]/).pop()}.export-${process.pid}-${Date.now()}`);
  await mkdir(tmp, { recursive: true });
  const idle: RandomSource = {
    normal: (n) => new Float32Array(n),
    ints: (n) => new Int32Array(n),
    getState: () => null,
    setState: () => {},
  };
  const trainer = new GanTrainer(
    info.doc,
    {
      next: () => {
        throw new Error('no data during export');
      },
      getState: () => null,
      setState: () => {},
    },
    idle,
    seededRandom(info.doc.training.seed + 2),
  );
  try {
    await trainer.importState(latest.state);
    const emaWeights = trainer.usesEma();
    const batch = trainer.sample();
    await trainer.withSamplingWeightsAsync(() => saveModelFiles(trainer.gan.generator, join(tmp, 'generator')));
    await saveModelFiles(trainer.gan.discriminator, join(tmp, 'discriminator'));
    const grid = composeGrid(batch.images, batch.shape, { cols: batch.cols, padding: 2, background: 0 });
    await writeFile(join(tmp, 'samples.png'), encodePng(grid));
    await writeFile(join(tmp, 'graph.sagan.json'), `${JSON.stringify(info.doc, null, 2)}\n`);
    await writeFile(join(tmp, 'sagan-layers.js'), await bundleLayersModule());
    const manifest: ExportManifest = {
      format: 'sagan-studio/export',
      version: 1,
      name: info.doc.name,
      step: latest.state.step,
      zDim: trainer.gan.zDim,
      classes: trainer.gan.classes,
      imageShape: trainer.gan.imageShape,
      generatorInputs: trainer.gan.generatorTakesLabel ? ['z', 'label'] : ['z'],
      discriminatorInputs: trainer.gan.discriminatorTakesLabel ? ['image', 'label'] : ['image'],
      noise: 'normal',
      sampleGrid: 'samples.png',
      emaWeights,
    };
    await writeFile(join(tmp, 'export.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await writeFile(join(tmp, 'README.md'), exportReadme(manifest));
    await rm(out, { recursive: true, force: true });
    await rename(tmp, out);
    return manifest;
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    trainer.dispose();
  }
}

/** Replacing the output folder is right for an earlier export, never for a folder of the user's own files. */
async function refuseForeignFolder(out: string): Promise<void> {
  const entries = await readdir(out).catch((e: NodeJS.ErrnoException): string[] => {
    if (e.code === 'ENOENT') return [];
    if (e.code === 'ENOTDIR') throw new Error(`${out} is a file; choose a new or empty folder for the export.`);
    throw e;
  });
  if (entries.length > 0 && !entries.includes('export.json'))
    throw new Error(
      `${out} already holds other files; choose a new or empty folder for the export (an earlier export there would be replaced).`,
    );
}
