import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import type { ApiHandlers, EventMessage, PresetSummary, TrainingDataChoice } from '../../graph-schemas';
import { ApiError, expandComposites, findPreset, getBlock, presets } from '../../graph-schemas';
import {
  attentionAtCheckpoint,
  checkTrainingData,
  estimateTraining,
  exportRunInWorker,
  startTraining,
} from '../engine/node/run/engine-client';
import { sampleGridPixels } from '../engine/core/model/sample-grid';
import type { LatentEngine } from '../engine/node/latent/latent-client';
import { LatentWorkerClient } from '../engine/node/latent/latent-client';
import { exportPyTorch, readRunForExport } from '../engine/node/pytorch/export-pytorch';
import { listFolder, readTextFile, writeTextFile } from './files';
import type { FolderAccess } from './folder-access';
import { fullAccess } from './folder-access';
import { latentHandlers } from './latent-handlers';
import type { HostFs } from './host-fs';
import { fsApiError, nodeHostFs } from './host-fs';
import { resolveUserPath } from './paths';
import { RecentFiles } from './recent-files';
import { RecoveryStore } from './recovery';
import { metricColumns, RunStore, runClassNames } from './training/run-store';
import { SweepService } from './training/sweep-service';
import type { TrainingEngine } from './training/training-service';
import { TrainingService } from './training/training-service';
import { sampleGrid } from './training/wire';

export interface HostOptions {
  kind: 'desktop' | 'web';
  appVersion: string;
  /** Where the host keeps its own state: recent files and the recovery snapshot. */
  stateDir: string;
  /** Where relative paths start and new graphs are saved by default. */
  documentsDir: string;
  homeDir?: string;
  /** Tests replace single calls (a rename that fails) to check what a crash leaves behind. */
  fs?: Partial<HostFs>;
  now?: () => Date;
  /** Where training runs are kept; default: `runs` in the documents folder (where `sagan-studio train` puts them too). */
  runsDir?: string;
  /** Pushes an event to every page of the UI (training progress, run list changes). */
  emit?: (message: EventMessage) => void;
  /** The training engine; default: worker threads of this process. Tests pass a scripted one. */
  engine?: TrainingEngine;
  /** How long a run may take to stop when asked before its thread is ended (see TrainingService). */
  stopTimeoutMs?: number;
  /**
   * Which paths file operations (files, runs, exports, datasets) may touch: the web host confines them to its folders;
   * default: full access, as in the desktop shell where the user picks paths in native dialogs.
   */
  access?: FolderAccess;
  /** The latent explorer's engine; default: its own worker thread, started on first use. */
  latent?: LatentEngine;
}

/** A host: the API both shells serve, and what must happen before the process ends. */
export interface Host {
  handlers: ApiHandlers;
  /** Stops every training run with a checkpoint, so closing the app loses nothing. */
  shutdown(): Promise<void>;
}

const workerEngine: TrainingEngine = {
  start: startTraining,
  checkData: checkTrainingData,
  estimate: estimateTraining,
  exportRun: exportRunInWorker,
  attentionAtCheckpoint,
};

const DESKTOP_ONLY = 'is a desktop feature; the browser version uses its own dialogs.';

/** The API implementation both shells share: the Electron shell and the local web server call these. */
export function createHostHandlers(opts: HostOptions): ApiHandlers {
  return createHost(opts).handlers;
}

export function createHost(opts: HostOptions): Host {
  const fs: HostFs = { ...nodeHostFs, ...opts.fs };
  const homeDir = opts.homeDir ?? homedir();
  const documentsDir = resolveUserPath(opts.documentsDir, process.cwd(), homeDir);
  const stateDir = resolveUserPath(opts.stateDir, process.cwd(), homeDir);
  const userPath = (path: string) => resolveUserPath(path, documentsDir, homeDir);
  const access = opts.access ?? fullAccess;
  /** A path from the UI, resolved and checked against the host's folders. */
  const allowed = (path: string, action: string) => access.check(userPath(path), action);
  /** A dataset folder, relative paths taken from the documents folder (as files are), checked like a file. */
  const dataChoice = async (data: TrainingDataChoice): Promise<TrainingDataChoice> =>
    data.kind === 'mnist' ? data : { kind: 'folder', path: await allowed(data.path, 'read the dataset') };
  const recent = new RecentFiles(fs, stateDir, opts.now);
  const recovery = new RecoveryStore(fs, stateDir, opts.now);
  /** A failure in the state folder names that folder (an unwritable ~/.local/state is the usual cause). */
  const inStateDir = <T>(work: Promise<T>) =>
    work.catch((e: unknown) => {
      throw fsApiError(e, stateDir, 'use the state folder');
    });

  const store = new RunStore(opts.runsDir ? userPath(opts.runsDir) : join(documentsDir, 'runs'));
  /** A run's folder must lie in the host's folders too (a run folder that is a link elsewhere is refused). */
  const runAllowed = async (runId: string) => {
    await access.check(store.dir(runId), 'open the run');
  };
  const training = new TrainingService({
    store,
    engine: opts.engine ?? workerEngine,
    emit: opts.emit ?? (() => {}),
    cacheDir: join(stateDir, 'cache'),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.stopTimeoutMs !== undefined ? { stopTimeoutMs: opts.stopTimeoutMs } : {}),
  });

  const latent = opts.latent ?? new LatentWorkerClient();

  const sweepsDir = join(dirname(store.runsDir), 'sweeps');
  const sweeps = new SweepService({
    dir: sweepsDir,
    engine: opts.engine ?? workerEngine,
    emit: opts.emit ?? (() => {}),
    cacheDir: join(stateDir, 'cache'),
    ...(opts.now ? { now: opts.now } : {}),
  });

  const handlers: ApiHandlers = {
    'host.info': () => ({
      kind: opts.kind,
      appVersion: opts.appVersion,
      platform: process.platform,
      documentsDir,
      homeDir,
      pathSeparator: sep === '\\' ? '\\' : '/',
      ...(access.roots ? { folders: [...access.roots] } : {}),
    }),
    'presets.list': () =>
      presets.map((p): PresetSummary => ({ name: p.name, title: p.title, summary: p.summary, group: p.group })),
    'presets.get': ({ name }) => {
      const preset = findPreset(name);
      if (!preset)
        throw new ApiError('not-found', `Unknown preset "${name}". Presets: ${presets.map((p) => p.name).join(', ')}.`);
      return preset.build();
    },
    'files.list': async ({ path }) => {
      const listing = await listFolder(fs, await allowed(path, 'list'));
      if (!access.roots) return listing;
      // Entries that lead out of the host's folders (links) are left out, and there is no way up from a root.
      const shown = await Promise.all(listing.entries.map((e) => access.allows(e.path)));
      const parent = listing.parent !== null && (await access.allows(listing.parent)) ? listing.parent : null;
      return { ...listing, parent, entries: listing.entries.filter((_, i) => shown[i]) };
    },
    'files.read': async ({ path }) => readTextFile(fs, await allowed(path, 'read')),
    'files.write': async ({ path, text, expectedMtimeMs, overwrite }) =>
      writeTextFile(fs, await allowed(path, 'write'), text, { expectedMtimeMs, overwrite }),
    'files.recent': async () => {
      const files = await inStateDir(recent.list());
      if (!access.roots) return files;
      const shown = await Promise.all(files.map((f) => access.allows(f.path)));
      return files.filter((_, i) => shown[i]);
    },
    'files.addRecent': async ({ path }) => inStateDir(recent.add(await allowed(path, 'open'))),
    'recovery.save': ({ text, path, name }) =>
      inStateDir(recovery.save({ text, path: path === null ? null : userPath(path), name })),
    'recovery.load': () => inStateDir(recovery.load()),
    'recovery.clear': () => inStateDir(recovery.clear()),
    'training.estimate': async (o) => training.estimate({ ...o, data: await dataChoice(o.data) }),
    'training.checkData': async ({ doc, data }) => training.checkData(doc, await dataChoice(data)),
    'training.start': async (o) => {
      await access.check(store.runsDir, 'keep runs in');
      return training.start({ ...o, data: await dataChoice(o.data) });
    },
    'training.resume': async ({ runId, backend }) => {
      await runAllowed(runId);
      // The data it resumes on: the resolved source run.json keeps, else (older runs) the document's, as the engine does.
      const info = await store.info(runId);
      const source = info.dataset.source ?? info.doc.dataset.source;
      if (source.kind === 'folder') await access.check(source.path, 'read the dataset');
      return training.resume(runId, backend);
    },
    'training.pause': ({ runId }) => training.pause(runId),
    'training.continue': ({ runId }) => training.continue(runId),
    'training.stop': ({ runId }) => training.stop(runId),
    'training.setSampleEvery': ({ runId, every }) => {
      training.setSampleEvery(runId, every);
      return {};
    },
    'training.attention': async ({ runId, points, samples, step }) => {
      await runAllowed(runId);
      return training.attention(runId, points, samples, step);
    },
    'runs.list': async ({ docPath }) => {
      await access.check(store.runsDir, 'list the runs in');
      return training.list(docPath === undefined ? undefined : docPath === null ? null : userPath(docPath));
    },
    'runs.get': async ({ runId }) => {
      await runAllowed(runId);
      const [summary, info, sampleSteps] = await Promise.all([
        training.summary(runId),
        store.info(runId),
        store.sampleSteps(runId),
      ]);
      // Attention inside composite blocks too ("g_block/attention"), as the engine compiles and probes it.
      const expanded = expandComposites(info.doc);
      const attentionNodes = (['generator', 'discriminator'] as const).flatMap((network) =>
        expanded[network].nodes.filter((n) => getBlock(n.type)?.attention).map((n) => ({ nodeId: n.id, network })),
      );
      const { source, name, size, skipped } = info.dataset;
      const dataset = source ? { source, name, images: size, skipped: skipped ?? { count: 0, examples: [] } } : null;
      return { summary, doc: info.doc, sampleSteps, attentionNodes, dataset, classNames: runClassNames(info) };
    },
    'runs.metrics': async ({ runId, maxPoints }) => {
      await runAllowed(runId);
      return metricColumns(await store.metrics(runId), maxPoints);
    },
    'runs.sample': async ({ runId, step }) => {
      await runAllowed(runId);
      const [info, steps] = await Promise.all([store.info(runId), store.sampleSteps(runId)]);
      const chosen = step === undefined ? steps[steps.length - 1] : steps.includes(step) ? step : undefined;
      if (chosen === undefined)
        throw new ApiError(
          'not-found',
          steps.length === 0
            ? `Run ${runId} has no sample grids yet.`
            : `Run ${runId} has no sample grid at step ${step}; it has ${steps[0]}–${steps[steps.length - 1]}.`,
        );
      const png = await readFile(store.samplePath(runId, chosen));
      const grid = info.sampleGrid;
      return sampleGrid(chosen, png, {
        ...sampleGridPixels(grid),
        rows: grid.rows,
        cols: grid.cols,
        cellSize: grid.cellSize,
      });
    },
    'runs.delete': async ({ runId }) => {
      await runAllowed(runId);
      return { deleted: await training.remove(runId) };
    },
    'runs.export': async ({ runId, outDir, format }) => {
      await runAllowed(runId);
      const out = await allowed(outDir, 'export to');
      try {
        await store.info(runId);
        if (format === 'pytorch') {
          const run = await readRunForExport(store.dir(runId));
          await exportPyTorch({ doc: run.doc, out, run: { dir: store.dir(runId), state: run.state } });
        } else await (opts.engine ?? workerEngine).exportRun(store.dir(runId), out);
        return { outDir: out, files: (await readdir(out)).sort() };
      } catch (e) {
        if (e instanceof ApiError) throw e;
        throw new ApiError('bad-request', `Export of run ${runId} failed: ${(e as Error).message}`);
      }
    },
    ...latentHandlers({
      latent,
      runDir: async (runId) => {
        await runAllowed(runId);
        await store.info(runId);
        return store.dir(runId);
      },
      allowed,
    }),
    'sweeps.start': async (o) => {
      await access.check(sweepsDir, 'keep attention sweeps in');
      return sweeps.start({ ...o, data: await dataChoice(o.data) });
    },
    'sweeps.list': () => sweeps.list(),
    'sweeps.stop': ({ sweepId }) => sweeps.stop(sweepId),
    'dialogs.openFile': () => {
      throw new ApiError('unavailable', `A native open dialog ${DESKTOP_ONLY}`);
    },
    'dialogs.saveFile': () => {
      throw new ApiError('unavailable', `A native save dialog ${DESKTOP_ONLY}`);
    },
    'dialogs.chooseFolder': () => {
      throw new ApiError('unavailable', `A native folder dialog ${DESKTOP_ONLY}`);
    },
    'shell.showItem': () => {
      throw new ApiError('unavailable', `Showing a file in the file manager ${DESKTOP_ONLY}`);
    },
    // The page sets its own title in a browser; nothing to keep here.
    'app.documentState': () => ({}),
  };
  return {
    handlers,
    shutdown: async () => void (await Promise.all([training.shutdown(), sweeps.shutdown(), latent.dispose()])),
  };
}
