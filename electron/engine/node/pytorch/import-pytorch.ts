import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { GraphDocument } from '../../../../graph-schemas';
import { GanModel } from '../../core/model/gan-model';
import { seededRandom } from '../../core/train/random';
import { PARITY_DIR, runPython } from '../../parity/python';
import { encodePng } from '../png';
import { checkpointName, createRunFolder, runPaths, writeCheckpoint } from '../run/run-folder';
import { bundleBase, readTensorBundle } from '../tensor-bundle';
import { PYTHON_DIR } from './package-files';
import { planExport } from './plan';
import { engineWeightsFromTorch } from './state-mapping';

export interface PyTorchImport {
  runDir: string;
  step: number;
  /** The checkpoint read (a bundle's .json, or the .pt). */
  checkpoint: string;
  ema: boolean;
  /** Metric lines taken over from the training's metrics.jsonl. */
  metrics: number;
  /** Sample grids taken over from the training's samples/. */
  samples: number;
  sample: string;
}

const CHECKPOINT_BUNDLE = /^step-(\d+)\.weights\.json$/;

/** The newest step-N.weights.json in a training folder (or its checkpoints/), or null. */
async function newestBundleIn(dir: string): Promise<string | null> {
  for (const folder of [join(dir, 'checkpoints'), dir]) {
    const names = await readdir(folder).catch(() => [] as string[]);
    const steps = names.map((n) => CHECKPOINT_BUNDLE.exec(n)).filter((m): m is RegExpExecArray => m !== null);
    steps.sort((a, b) => Number(a[1]) - Number(b[1]));
    const last = steps.at(-1);
    if (last) return join(folder, last[0]);
  }
  return null;
}

/** A .pt checkpoint → bundle in a temp folder, through Python and PyTorch. */
async function convertPt(file: string): Promise<{ bundle: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sagan-import-'));
  const bundle = join(dir, basename(file).replace(/\.pt$/, '.weights'));
  const env = { PYTHONPATH: [PARITY_DIR, process.env.PYTHONPATH].filter(Boolean).join(':') };
  const r = await runPython(join(PYTHON_DIR, 'checkpoint_to_bundle.py'), [file, bundle], { env, timeoutMs: 600_000 });
  if (!r.ok) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(
      `Could not read ${file} (a .pt file needs Python with PyTorch; set SAGAN_PYTHON to such an interpreter, or import the step-N.weights.json written beside it):\n${r.error}`,
    );
  }
  return { bundle, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

interface LocatedCheckpoint {
  /** The bundle to read (a temp conversion for a .pt). */
  bundle: string;
  /** The checkpoint file itself, for messages and to find metrics.jsonl beside its folder. */
  origin: string;
  cleanup: () => Promise<void>;
}

/** Where the weights are: a bundle (NAME, NAME.json, NAME.bin), a .pt, or a training folder (its newest checkpoint). */
async function locateCheckpoint(path: string): Promise<LocatedCheckpoint> {
  const info = await stat(path).catch(() => null);
  const none = async () => {};
  if (info?.isDirectory()) {
    const found = await newestBundleIn(path);
    if (!found)
      throw new Error(`${path} holds no step-N.weights.json checkpoint (looked in it and in its checkpoints/ folder).`);
    return { bundle: bundleBase(found), origin: found, cleanup: none };
  }
  if (path.endsWith('.pt')) {
    if (!info) throw new Error(`${path} does not exist.`);
    return { ...(await convertPt(path)), origin: path };
  }
  return { bundle: bundleBase(path), origin: `${bundleBase(path)}.json`, cleanup: none };
}

/** The training's output folder: the one holding checkpoints/ (or the checkpoint's own folder). */
function trainingFolder(checkpoint: string): string {
  const folder = dirname(checkpoint);
  return basename(folder) === 'checkpoints' ? dirname(folder) : folder;
}

/** The training's metrics.jsonl lines up to `step`. */
async function trainingMetrics(checkpoint: string, step: number): Promise<string[]> {
  const text = await readFile(join(trainingFolder(checkpoint), 'metrics.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter((line) => {
    try {
      const m = JSON.parse(line) as { step?: unknown };
      return typeof m.step === 'number' && m.step <= step;
    } catch {
      return false; // a torn or empty line
    }
  });
}

/** Copies train.py's sample grids (samples/step-N.png) up to `step` into the run; returns how many. */
async function copyTrainingSamples(checkpoint: string, step: number, samplesDir: string): Promise<number> {
  const from = join(trainingFolder(checkpoint), 'samples');
  const names = (await readdir(from).catch(() => [] as string[])).filter((n) => {
    const m = /^step-(\d+)\.png$/.exec(n);
    return m !== null && Number(m[1]) <= step;
  });
  await mkdir(samplesDir, { recursive: true });
  for (const name of names) await copyFile(join(from, name), join(samplesDir, name));
  return names.length;
}

/**
 * Makes a SAGAN Studio run from a checkpoint trained with the exported PyTorch package: run.json with the
 * document, one checkpoint (weights and EMA; fresh optimizer state), the training's losses, and a sample grid.
 * Built in a temp folder, then renamed to `out`, which must not exist yet or be empty. Needs a tfjs backend.
 */
export async function importPyTorchCheckpoint(opts: {
  checkpoint: string;
  doc: GraphDocument;
  out: string;
}): Promise<PyTorchImport> {
  const out = resolve(opts.out);
  const existing = await readdir(out).catch((e: NodeJS.ErrnoException) =>
    e.code === 'ENOENT' ? [] : Promise.reject(e),
  );
  if (existing.length > 0) throw new Error(`${out} already holds files; choose a new folder for the imported run.`);
  const plan = planExport(opts.doc);
  const located = await locateCheckpoint(resolve(opts.checkpoint));
  const tmp = join(dirname(out), `.${basename(out)}.import-${process.pid}-${Date.now()}`);
  let model: GanModel | null = null;
  try {
    const read = await readTensorBundle(located.bundle);
    if (!read.ok) throw new Error(read.error);
    const meta = read.value.meta as {
      step?: unknown;
      torch?: unknown;
      world_size?: unknown;
      device?: unknown;
      dataset?: { name?: unknown; size?: unknown };
    };
    const step = Number.isSafeInteger(meta.step) && (meta.step as number) >= 0 ? (meta.step as number) : 0;
    const { weights, ema } = engineWeightsFromTorch(plan, read.value.tensors, located.origin);
    model = GanModel.compile(opts.doc);
    model.loadWeights(weights); // checks every weight's presence and shape against the graph
    // A resumed run draws noise from the document's seed and starts a new pass over the data.
    const state = { step, rng: seededRandom(opts.doc.training.seed).getState(), data: { epoch: 0, position: 0 } };

    const world = typeof meta.world_size === 'number' ? meta.world_size : 1;
    const torchVersion = typeof meta.torch === 'string' ? meta.torch : 'unknown';
    await createRunFolder(tmp, {
      format: 'sagan-studio/run',
      version: 1,
      id: basename(out),
      createdAt: new Date().toISOString(),
      doc: opts.doc,
      seed: opts.doc.training.seed,
      backend: {
        name: 'pytorch',
        reason: `Trained with the exported PyTorch package (PyTorch ${torchVersion}, ${world} ${String(meta.device ?? 'cpu')} process${world === 1 ? '' : 'es'}); imported from ${opts.checkpoint}.`,
        threads: world,
      },
      versions: { engine: '1', torch: torchVersion, importedFrom: resolve(opts.checkpoint) },
      dataset: {
        name: typeof meta.dataset?.name === 'string' ? meta.dataset.name : 'unknown',
        size: typeof meta.dataset?.size === 'number' ? meta.dataset.size : 0,
      },
      sampleGrid: model.grid,
    });
    // The trainer's own weights (with the EMA it took over) and fresh optimizer state, with the seeds above.
    await writeCheckpoint(tmp, { ...state, tensors: await model.readWeights() });
    const metrics = await trainingMetrics(located.origin, step);
    if (metrics.length) await writeFile(runPaths(tmp).metrics, `${metrics.join('\n')}\n`);
    const samples = await copyTrainingSamples(located.origin, step, runPaths(tmp).samples);
    // The grid at the imported step is the engine's own (the app's fixed noise), in place of train.py's.
    const sample = join(runPaths(tmp).samples, `${checkpointName(step)}.png`);
    await mkdir(dirname(sample), { recursive: true });
    await writeFile(sample, encodePng(await model.sampleGridImage()));
    await rm(out, { recursive: true, force: true });
    await rename(tmp, out);
    return {
      runDir: out,
      step,
      checkpoint: located.origin,
      ema,
      metrics: metrics.length,
      samples,
      sample: join(runPaths(out).samples, basename(sample)),
    };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    model?.dispose();
    await located.cleanup();
  }
}
