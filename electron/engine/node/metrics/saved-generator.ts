import type * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GraphDocument } from '../../../../graph-schemas';
import type { ImageGenerator } from '../../core/metrics/generate';
import { GanModel } from '../../core/model/gan-model';
import { generatorInputs } from '../../core/model/inputs';
import type { NamedArray } from '../../core/model/weights';
import type { ExportManifest } from '../export/export-run';
import { loadModelFiles } from '../export/model-files';
import { readTensorBundle } from '../tensor-bundle';
import { checkpointName, completeCheckpoints, readRunInfo, runPaths } from '../run/run-folder';
import type { RunInfo } from '../run/run-folder';

/** A generator read from a run's checkpoint or an export folder, ready to draw from. */
export interface SavedGenerator {
  kind: 'run' | 'export';
  doc: GraphDocument;
  step: number;
  /** The run's record (runs only): its data source and dataset. */
  info: RunInfo | null;
  usesEma: boolean;
  /** Runs `fn` with G drawing from its sampling weights (EMA when the run keeps one). */
  use<T>(fn: (g: ImageGenerator) => Promise<T>): Promise<T>;
  dispose(): void;
}

/** An ImageGenerator over a model's G as it is (call inside its sampling weights). */
export function modelGenerator(model: GanModel): ImageGenerator {
  const gan = model.gan;
  return {
    zDim: gan.zDim,
    classes: gan.generatorTakesLabel ? gan.classes : 0,
    generate: (z, labels) => gan.generator.predict(generatorInputs(gan, z, labels)) as tf.Tensor4D,
  };
}

/** Opens a run folder (newest checkpoint, or the one at `step`) or an export folder (its saved G). */
export async function openSavedGenerator(dir: string, step?: number): Promise<SavedGenerator> {
  const manifest = await readFile(join(dir, 'export.json'), 'utf8').then(
    (t) => JSON.parse(t) as ExportManifest,
    () => null,
  );
  if (manifest) {
    if (step !== undefined)
      throw new Error(`${dir} is an export (step ${manifest.step}); it has no other checkpoints.`);
    const doc = JSON.parse(await readFile(join(dir, 'graph.sagan.json'), 'utf8')) as GraphDocument;
    const G = await loadModelFiles(join(dir, 'generator'));
    const conditional = manifest.generatorInputs.includes('label');
    const g: ImageGenerator = {
      zDim: manifest.zDim,
      classes: conditional ? manifest.classes : 0,
      generate: (z, labels) => G.predict(conditional && labels ? [z, labels] : [z]) as tf.Tensor4D,
    };
    return {
      kind: 'export',
      doc,
      step: manifest.step,
      info: null,
      usesEma: manifest.emaWeights,
      use: (fn) => fn(g),
      dispose: () => G.dispose(),
    };
  }
  const info = await readRunInfo(dir);
  const steps = await completeCheckpoints(dir);
  const chosen = step ?? steps[steps.length - 1];
  if (chosen === undefined) throw new Error(`${dir} has no checkpoint yet, so there are no weights to measure.`);
  if (!steps.includes(chosen))
    throw new Error(`${dir} has no checkpoint at step ${chosen}; it keeps steps ${steps.join(', ') || 'none'}.`);
  const model = GanModel.compile(info.doc, info.sampleGrid);
  try {
    model.loadWeights(await readCheckpointWeights(dir, chosen));
  } catch (e) {
    model.dispose();
    throw e;
  }
  return {
    kind: 'run',
    doc: info.doc,
    step: chosen,
    info,
    usesEma: model.usesAverage(),
    use: (fn) => model.withSamplingWeights(() => fn(modelGenerator(model))),
    dispose: () => model.dispose(),
  };
}

async function readCheckpointWeights(dir: string, step: number): Promise<Map<string, NamedArray>> {
  const base = join(runPaths(dir).checkpoints, checkpointName(step));
  const bundle = await readTensorBundle(`${base}.weights`);
  if (!bundle.ok) throw new Error(`The checkpoint at step ${step} cannot be read: ${bundle.error}`);
  return new Map(
    [...bundle.value.tensors].map(([name, t]) => [name, { shape: t.shape, data: t.data as Float32Array }]),
  );
}
