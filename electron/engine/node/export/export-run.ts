import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { GanModel } from '../../core/model/gan-model';
import { encodePng } from '../png';
import { readLatestCheckpoint, readRunInfo } from '../run/run-folder';
import { bundleLayersModule } from './layers-module';
import { modelFilesHandler } from './model-files';
import { exportReadme } from './readme';

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
  const model = GanModel.compile(info.doc, info.sampleGrid);
  try {
    model.loadWeights(latest.state.tensors);
    await model.saveGenerator(modelFilesHandler(join(tmp, 'generator')));
    await model.saveDiscriminator(modelFilesHandler(join(tmp, 'discriminator')));
    await writeFile(join(tmp, 'samples.png'), encodePng(await model.sampleGridImage()));
    await writeFile(join(tmp, 'graph.sagan.json'), `${JSON.stringify(info.doc, null, 2)}\n`);
    await writeFile(join(tmp, 'sagan-layers.js'), await bundleLayersModule());
    const manifest: ExportManifest = {
      format: 'sagan-studio/export',
      version: 1,
      name: info.doc.name,
      step: latest.state.step,
      zDim: model.gan.zDim,
      classes: model.gan.classes,
      imageShape: model.gan.imageShape,
      generatorInputs: model.gan.generatorTakesLabel ? ['z', 'label'] : ['z'],
      discriminatorInputs: model.gan.discriminatorTakesLabel ? ['image', 'label'] : ['image'],
      noise: 'normal',
      sampleGrid: 'samples.png',
      emaWeights: model.usesAverage(),
    };
    await writeFile(join(tmp, 'export.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await writeFile(join(tmp, 'README.md'), exportReadme(manifest, info.doc));
    await rm(out, { recursive: true, force: true });
    await rename(tmp, out);
    return manifest;
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    model.dispose();
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
