import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { GraphDocument } from '../../../../graph-schemas';
import type { TrainerState } from '../../core/train/trainer';
import { readLatestCheckpoint, readRunInfo } from '../run/run-folder';
import { writeTensorBundle } from '../tensor-bundle';
import { packageFiles } from './package-files';
import { planExport } from './plan';
import { torchStateFromEngine } from './state-mapping';

export const PYTORCH_EXPORT_MANIFEST = 'sagan-pytorch.json';

export interface PyTorchExport {
  format: 'sagan-studio/pytorch-export';
  version: 1;
  name: string;
  /** Where init.json/.bin came from, when exported from a run. */
  init: { run: string; step: number; ema: boolean } | null;
  files: string[];
}

/**
 * Writes the PyTorch package of a document to `out` (built in a temp folder, then renamed into place). With a
 * run's checkpoint, its weights go beside the code as the tensor bundle `init` (torch layout and names).
 */
export async function exportPyTorch(opts: {
  doc: GraphDocument;
  out: string;
  run?: { dir: string; state: TrainerState };
}): Promise<PyTorchExport> {
  const plan = planExport(opts.doc);
  const out = resolve(opts.out);
  const init = opts.run ? torchStateFromEngine(plan, opts.run.state.tensors) : null;
  const initInfo = opts.run && init ? { run: basename(opts.run.dir), step: opts.run.state.step, ema: init.ema } : null;
  const files = packageFiles(plan, {
    init: initInfo && opts.run ? { runDir: opts.run.dir, step: initInfo.step, ema: initInfo.ema } : null,
  });
  await refuseForeignFolder(out);
  const tmp = join(dirname(out), `.${basename(out)}.pytorch-${process.pid}-${Date.now()}`);
  try {
    for (const [path, text] of files) {
      await mkdir(dirname(join(tmp, path)), { recursive: true });
      await writeFile(join(tmp, path), text);
    }
    const written = [...files.keys()];
    if (init && initInfo) {
      const r = await writeTensorBundle(join(tmp, 'init'), init.tensors, {
        format: 'sagan-studio/pytorch-init',
        graph: opts.doc.name,
        run: initInfo.run,
        step: initInfo.step,
      });
      if (!r.ok) throw new Error(r.error);
      written.push('init.json', 'init.bin');
    }
    const manifest: PyTorchExport = {
      format: 'sagan-studio/pytorch-export',
      version: 1,
      name: opts.doc.name,
      init: initInfo,
      files: written.sort(),
    };
    await writeFile(join(tmp, PYTORCH_EXPORT_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    await rm(out, { recursive: true, force: true });
    await rename(tmp, out);
    return manifest;
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** The document and newest checkpoint of a run folder (one with run.json). */
export async function readRunForExport(runDir: string): Promise<{ doc: GraphDocument; state: TrainerState }> {
  const info = await readRunInfo(runDir);
  const latest = await readLatestCheckpoint(runDir);
  if (!latest)
    throw new Error(
      `${runDir} has no checkpoint yet; train until the first checkpoint, or export the graph file instead.`,
    );
  return { doc: info.doc, state: latest.state };
}

/** Whether a path is a run folder (holds run.json). */
export async function isRunFolder(path: string): Promise<boolean> {
  return stat(join(path, 'run.json')).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * Replacing an earlier export is fine; a folder of the user's own files is never replaced, nor an export folder the
 * user added files to (e.g. runs/ from training inside it).
 */
async function refuseForeignFolder(out: string): Promise<void> {
  const entries = await readdir(out).catch((e: NodeJS.ErrnoException): string[] => {
    if (e.code === 'ENOENT') return [];
    if (e.code === 'ENOTDIR')
      throw new Error(`${out} is a file; choose a new or empty folder for the PyTorch package.`);
    throw e;
  });
  if (entries.length === 0) return;
  if (!entries.includes(PYTORCH_EXPORT_MANIFEST)) {
    throw new Error(
      `${out} already holds other files; choose a new or empty folder for the PyTorch package (an earlier export there would be replaced).`,
    );
  }
  const earlier = JSON.parse(
    await readFile(join(out, PYTORCH_EXPORT_MANIFEST), 'utf8').catch(() => '{}'),
  ) as Partial<PyTorchExport>;
  const ours = new Set([PYTORCH_EXPORT_MANIFEST, '__pycache__', ...(earlier.files ?? []).map((f) => f.split('/')[0]!)]);
  const added = entries.filter((e) => !ours.has(e));
  if (added.length)
    throw new Error(
      `${out} holds an earlier export plus files of yours (${added.slice(0, 5).join(', ')}); move them out or choose another folder, so nothing is lost.`,
    );
}
