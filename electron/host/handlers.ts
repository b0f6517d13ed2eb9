import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, sep } from 'node:path';
import type { ApiHandlers, EventMessage, PresetSummary } from '../../graph-schemas';
import { ApiError, findPreset, getBlock, presets } from '../../graph-schemas';
import {
  attentionAtCheckpoint,
  checkTrainingData,
  estimateTraining,
  exportRunInWorker,
  startTraining,
} from '../engine/node/run/engine-client';
import { sampleGridPixels } from '../engine/core/model/sample-grid';
import { listFolder, readTextFile, writeTextFile } from './files';
import type { HostFs } from './host-fs';
import { fsApiError, nodeHostFs } from './host-fs';
import { resolveUserPath } from './paths';
import { RecentFiles } from './recent-files';
import { RecoveryStore } from './recovery';
import { metricColumns, RunStore } from './training/run-store';
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
  const recent = new RecentFiles(fs, stateDir, opts.now);
  const recovery = new RecoveryStore(fs, stateDir, opts.now);
  /** A failure in the state folder names that folder (an unwritable ~/.local/state is the usual cause). */
  const inStateDir = <T>(work: Promise<T>) =>
    work.catch((e: unknown) => {
      throw fsApiError(e, stateDir, 'use the state folder');
    });

  const store = new RunStore(opts.runsDir ? userPath(opts.runsDir) : join(documentsDir, 'runs'));
  const training = new TrainingService({
    store,
    engine: opts.engine ?? workerEngine,
    emit: opts.emit ?? (() => {}),
    cacheDir: join(stateDir, 'cache'),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.stopTimeoutMs !== undefined ? { stopTimeoutMs: opts.stopTimeoutMs } : {}),
  });

  const handlers: ApiHandlers = {
    'host.info': () => ({
      kind: opts.kind,
      appVersion: opts.appVersion,
      platform: process.platform,
      documentsDir,
      homeDir,
      pathSeparator: sep === '\\' ? '\\' : '/',
    }),
    'presets.list': () =>
      presets.map((p): PresetSummary => ({ name: p.name, title: p.title, summary: p.summary, group: p.group })),
    'presets.get': ({ name }) => {
      const preset = findPreset(name);
      if (!preset)
        throw new ApiError('not-found', `Unknown preset "${name}". Presets: ${presets.map((p) => p.name).join(', ')}.`);
      return preset.build();
    },
    'files.list': ({ path }) => listFolder(fs, userPath(path)),
    'files.read': ({ path }) => readTextFile(fs, userPath(path)),
    'files.write': ({ path, text, expectedMtimeMs, overwrite }) =>
      writeTextFile(fs, userPath(path), text, { expectedMtimeMs, overwrite }),
    'files.recent': () => inStateDir(recent.list()),
    'files.addRecent': ({ path }) => inStateDir(recent.add(userPath(path))),
    'recovery.save': ({ text, path, name }) =>
      inStateDir(recovery.save({ text, path: path === null ? null : userPath(path), name })),
    'recovery.load': () => inStateDir(recovery.load()),
    'recovery.clear': () => inStateDir(recovery.clear()),
    'training.estimate': (o) => training.estimate(o),
    'training.checkData': ({ doc, data }) => training.checkData(doc, data),
    'training.start': (o) => training.start(o),
    'training.resume': ({ runId, backend }) => training.resume(runId, backend),
    'training.pause': ({ runId }) => training.pause(runId),
    'training.continue': ({ runId }) => training.continue(runId),
    'training.stop': ({ runId }) => training.stop(runId),
    'training.setSampleEvery': ({ runId, every }) => {
      training.setSampleEvery(runId, every);
      return {};
    },
    'training.attention': ({ runId, points, samples }) => training.attention(runId, points, samples),
    'runs.list': ({ docPath }) =>
      training.list(docPath === undefined ? undefined : docPath === null ? null : userPath(docPath)),
    'runs.get': async ({ runId }) => {
      const [summary, info, sampleSteps] = await Promise.all([
        training.summary(runId),
        store.info(runId),
        store.sampleSteps(runId),
      ]);
      const attentionNodes = (['generator', 'discriminator'] as const).flatMap((network) =>
        info.doc[network].nodes.filter((n) => getBlock(n.type)?.attention).map((n) => ({ nodeId: n.id, network })),
      );
      const { source, name, size, skipped } = info.dataset;
      const dataset = source ? { source, name, images: size, skipped: skipped ?? { count: 0, examples: [] } } : null;
      return { summary, doc: info.doc, sampleSteps, attentionNodes, dataset };
    },
    'runs.metrics': async ({ runId, maxPoints }) => metricColumns(await store.metrics(runId), maxPoints),
    'runs.sample': async ({ runId, step }) => {
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
    'runs.delete': async ({ runId }) => ({ deleted: await training.remove(runId) }),
    'runs.export': async ({ runId, outDir }) => {
      const out = userPath(outDir);
      try {
        await store.info(runId);
        await (opts.engine ?? workerEngine).exportRun(store.dir(runId), out);
        return { outDir: out, files: (await readdir(out)).sort() };
      } catch (e) {
        if (e instanceof ApiError) throw e;
        throw new ApiError('bad-request', `Export of run ${runId} failed: ${(e as Error).message}`);
      }
    },
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
  return { handlers, shutdown: () => training.shutdown() };
}
