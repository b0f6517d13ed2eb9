import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventMessage, GraphDocument, SweepNetworks, SweepStart, SweepSummary } from '../../../graph-schemas';
import { ApiError, attentionVariant, eventMessage, loadGraph, parseResolution } from '../../../graph-schemas';
import type { TrainingHandle } from '../../engine/node/run/engine-client';
import type { SweepPlan, SweepProgress } from '../../engine/node/sweep/sweep-runner';
import { readSweepRows, runSweep, sweepTitle } from '../../engine/node/sweep/sweep-runner';
import { sweepMarkdown } from '../../engine/node/sweep/sweep-table';
import { newRunId } from './run-store';
import type { TrainingEngine } from './training-service';

interface ActiveSweep {
  summary: SweepSummary;
  handle: TrainingHandle | null;
  stopping: boolean;
  done: Promise<void>;
}

export interface SweepServiceOptions {
  /** Where sweep folders are kept (one per sweep). */
  dir: string;
  engine: Pick<TrainingEngine, 'start'>;
  emit(message: EventMessage): void;
  cacheDir: string;
  now?: () => Date;
}

const short = (network: 'generator' | 'discriminator') => (network === 'generator' ? 'G' : 'D');

/**
 * "Compare attention placements" for the UI: trains the variants of a sweep one after another with the engine's sweep
 * runner (the CLI's `sweep`), in a folder of the host's sweeps folder, and pushes `sweeps.changed` as it goes.
 */
export class SweepService {
  private readonly active = new Map<string, ActiveSweep>();
  private readonly now: () => Date;

  constructor(private readonly o: SweepServiceOptions) {
    this.now = o.now ?? (() => new Date());
  }

  /** Checks the document and every placement, then trains in the background; answers with the sweep at once. */
  async start(p: SweepStart): Promise<SweepSummary> {
    const loaded = loadGraph(p.doc);
    if (!loaded.ok) throw new ApiError('bad-request', `The graph cannot be trained: ${loaded.error.message}`);
    const base = loaded.value.doc;
    const node = base[p.network].nodes.find((n) => n.id === p.nodeId);
    if (!node || node.type !== 'SelfAttention')
      throw new ApiError(
        'bad-request',
        `${p.nodeId} is not a SelfAttention node of the ${p.network}; select the attention node to move.`,
      );
    const network: SweepNetworks = p.moveIn === 'both' ? 'both' : short(p.network);
    const placements = p.placements.map((text) => parseResolution(text)!);
    if (new Set(placements).size !== placements.length)
      throw new ApiError('bad-request', 'A placement is named twice; choose each feature-map size once.');
    const doc: GraphDocument = {
      ...base,
      dataset: {
        ...base.dataset,
        source: p.data.kind === 'mnist' ? { kind: 'mnist' } : { kind: 'folder', path: p.data.path },
      },
      training: {
        ...base.training,
        steps: p.steps,
        batchSize: p.batchSize,
        ...(p.seed !== undefined ? { seed: p.seed } : {}),
        // Each variant measures itself at its last step, in its training thread.
        metricsEvery: p.steps,
        metricsSamples: p.samples,
      },
    };
    const nodeIds = { [p.network]: p.nodeId };
    // Every variant is checked before anything trains: a placement the network has not is the request's answer.
    const refused = placements.flatMap((k) => {
      const made = attentionVariant(doc, k, network, nodeIds);
      return made.ok ? [] : [`feat${k}: ${made.error}`];
    });
    if (refused.length) throw new ApiError('bad-request', refused.join(' '));
    const id = newRunId(`${doc.name} attention`, this.now());
    const out = join(this.o.dir, id);
    const summary: SweepSummary = {
      id,
      name: `${sweepTitle(doc)} (${p.placements.join(', ')})`,
      dir: out,
      status: 'running',
      message: 'Starting…',
      placements: p.placements,
      network,
      current: null,
      rows: [],
      markdown: '',
      createdAt: this.now().toISOString(),
    };
    const sweep: ActiveSweep = { summary, handle: null, stopping: false, done: Promise.resolve() };
    const changed = (patch: Partial<SweepSummary>) => {
      Object.assign(summary, patch);
      this.o.emit(eventMessage('sweeps.changed', { ...summary, rows: [...summary.rows] }));
    };
    const work = runSweep({
      doc,
      placements,
      network,
      nodeIds,
      data: p.data.kind === 'mnist' ? null : p.data.path,
      samples: p.samples,
      out,
      cacheDir: this.o.cacheDir,
      backend: p.backend,
      start: (job, onEvent) => this.o.engine.start(job, onEvent),
      onHandle: (h) => (sweep.handle = h),
      stopRequested: () => sweep.stopping,
      onProgress: (e) => changed(progressPatch(e, summary, doc.training.steps)),
      onTrainEvent: (variant, e) => {
        if (e.type === 'step' && (e.step % 5 === 0 || e.step === e.totalSteps))
          changed({
            current: { variant, phase: 'training', step: e.step, totalSteps: e.totalSteps },
            message: `${variant}: training, step ${e.step} of ${e.totalSteps}`,
          });
      },
    });
    sweep.done = work.then(
      (outcome) => {
        if (outcome.ok) changed({ status: 'finished', current: null, markdown: outcome.markdown, message: 'Done.' });
        else if ('refused' in outcome) changed({ status: 'error', current: null, message: outcome.refused.join(' ') });
        else if ('halted' in outcome)
          changed({ status: 'stopped', current: null, message: `Stopped before training ${outcome.variant}.` });
        else
          changed({
            status: outcome.stopped.reason === 'stopped' ? 'stopped' : 'error',
            current: null,
            message:
              outcome.stopped.reason === 'stopped'
                ? `Stopped while training ${outcome.variant}; its checkpoint is kept in ${out}.`
                : `${outcome.variant} did not finish (${outcome.stopped.reason}): ${outcome.stopped.message}`,
          });
      },
      (e: unknown) =>
        changed({ status: 'error', current: null, message: `The sweep failed: ${(e as Error).message ?? String(e)}` }),
    );
    this.active.set(id, sweep);
    void sweep.done.finally(() => this.active.delete(id));
    return { ...summary };
  }

  /** Sweeps of this session first (live), then those in the sweeps folder; newest first. */
  async list(): Promise<SweepSummary[]> {
    const names = await readdir(this.o.dir).catch(() => [] as string[]);
    const found = await Promise.all(
      names
        .filter((n) => !this.active.has(n) && /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(n))
        .map((n) => this.fromFolder(n)),
    );
    const all = [...[...this.active.values()].map((s) => ({ ...s.summary })), ...found.filter((s) => s !== null)];
    return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async stop(sweepId: string): Promise<SweepSummary> {
    const sweep = this.active.get(sweepId);
    if (!sweep) throw new ApiError('conflict', `Sweep ${sweepId} is not running.`);
    sweep.stopping = true;
    sweep.handle?.stop();
    await sweep.done;
    return { ...sweep.summary };
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.active.keys()].map((id) => this.stop(id).catch(() => undefined)));
  }

  private async fromFolder(id: string): Promise<SweepSummary | null> {
    const dir = join(this.o.dir, id);
    const { plan, rows } = await readSweepRows(dir).catch(() => ({ plan: null as SweepPlan | null, rows: [] }));
    if (!plan) return null;
    const placements = plan.placements.map((k) => `feat${k}`);
    const complete = rows.length === placements.length;
    const stamp = /-(\d{8})-(\d{6})-[0-9a-f]{4}$/.exec(id);
    return {
      id,
      name: `${sweepTitle(plan.doc)} (${placements.join(', ')})`,
      dir,
      status: complete ? 'finished' : 'stopped',
      message: complete ? 'Done.' : `${rows.length} of ${placements.length} variants measured.`,
      placements,
      network: plan.network,
      current: null,
      rows,
      markdown: rows.length ? sweepMarkdown(sweepTitle(plan.doc), '', rows) : '',
      createdAt: stamp
        ? `${stamp[1]!.slice(0, 4)}-${stamp[1]!.slice(4, 6)}-${stamp[1]!.slice(6)}T${stamp[2]!.slice(0, 2)}:${stamp[2]!.slice(2, 4)}:${stamp[2]!.slice(4)}Z`
        : '',
    };
  }
}

function progressPatch(e: SweepProgress, s: SweepSummary, totalSteps: number): Partial<SweepSummary> {
  switch (e.phase) {
    case 'opened':
      return { message: `${e.total} variants to train, one after another.` };
    case 'training':
      return {
        current: { variant: e.variant, phase: 'training', step: 0, totalSteps },
        message: `${e.variant} (${e.index + 1} of ${e.total}): ${e.resumed ? 'resuming' : 'training'}, ${e.placement}`,
      };
    case 'measuring':
      return {
        current: { variant: e.variant, phase: 'measuring', step: totalSteps, totalSteps },
        message: `${e.variant}: measuring`,
      };
    case 'measured':
      return { rows: [...s.rows.filter((r) => r.variant !== e.variant), e.row], message: `${e.variant}: measured.` };
  }
}
