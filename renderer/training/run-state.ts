import type {
  AttentionAnswer,
  QualityPoint,
  RunDetail,
  RunStatus,
  RunSummary,
  SampleGrid,
  TrainingEventWire,
} from '../../graph-schemas';
import { MetricLog, nodeKey } from './metric-log';

type Network = 'generator' | 'discriminator';
export type Losses = NonNullable<RunSummary['lastLosses']>;

export interface SigmaTrack {
  nodeId: string;
  network: Network;
  name: string;
  steps: number[];
  values: number[];
}

export interface StoppedInfo {
  reason: 'finished' | 'stopped' | 'diverged' | 'error';
  step: number;
  message: string;
  checkpointStep: number | null;
}

/** What the UI knows about one run: its summary, the streamed and loaded metrics, samples and attention. */
export interface RunView {
  runId: string;
  name: string;
  status: RunStatus | 'starting';
  step: number;
  totalSteps: number;
  backend: string;
  backendReason: string;
  createdAt: string | null;
  itPerSec: number | null;
  etaSec: number | null;
  /** The batch the run trains at (the canvas's memory tags use it while the run is open); null until known. */
  batchSize: number | null;
  /** The Train dialog's time per iteration for this run, checked against its first steps; null when not started here. */
  estimate: { msPerIteration: number; confidence: 'high' | 'medium' | 'low' } | null;
  /** The data check's class names (one per sample-grid row) when the run was started here; null when unknown. */
  classNames: string[] | null;
  /** The step this session of the run started (or resumed) at: steps since then say how far the ETA is measured. */
  sessionStartStep: number | null;
  lastLosses: Losses | null;
  log: MetricLog;
  /** Newest γ per attention node (key from nodeKey). */
  gammas: Record<string, { nodeId: string; network: Network; gamma: number }>;
  /** Largest |γ| so far per attention node (for the "attention unused so far" hint). */
  gammaPeak: Record<string, number>;
  sigmas: Record<string, SigmaTrack>;
  /** D's scores on the last few batches, pooled for the histograms. */
  scores: { step: number; real: number[]; fake: number[] } | null;
  sampleSteps: number[];
  latestGrid: SampleGrid | null;
  /** The engine's own attention probe, streamed with each sample grid. */
  streamedAttention: AttentionAnswer | null;
  attentionNodes: { nodeId: string; network: Network }[];
  notices: { level: 'info' | 'warning'; message: string; step: number }[];
  /** Quality measurements (FD/FID, KID, class accuracy), in step order: streamed and loaded. */
  quality: QualityPoint[];
  stopped: StoppedInfo | null;
  checkpointStep: number | null;
  message: string;
  /** Pause was asked for; the run pauses after the iteration in flight (the 'paused' event confirms it). */
  pauseRequested: boolean;
  /** History loaded from the host (runs.get + runs.metrics). */
  detailLoaded: boolean;
  /** Opened from the run list, not started or resumed here: shown, not steered. */
  readOnly: boolean;
}

/** Steps of D's scores pooled for the histograms. */
export const SCORE_WINDOW = 8;
const SIGMA_HISTORY = 2000;
const NOTICE_LIMIT = 20;

export function emptyRun(runId: string, init: Partial<RunView> = {}): RunView {
  return {
    runId,
    name: runId,
    status: 'starting',
    step: 0,
    totalSteps: 0,
    backend: '',
    backendReason: '',
    createdAt: null,
    itPerSec: null,
    etaSec: null,
    batchSize: null,
    estimate: null,
    classNames: null,
    sessionStartStep: null,
    lastLosses: null,
    log: new MetricLog(),
    gammas: {},
    gammaPeak: {},
    sigmas: {},
    scores: null,
    sampleSteps: [],
    latestGrid: null,
    streamedAttention: null,
    attentionNodes: [],
    notices: [],
    quality: [],
    stopped: null,
    checkpointStep: null,
    message: '',
    pauseRequested: false,
    detailLoaded: false,
    readOnly: false,
    ...init,
  };
}

const live = (status: RunView['status']) => status === 'running' || status === 'paused' || status === 'starting';

/** The run with one training event applied. Returns a new object; the metric log grows in place. */
export function foldEvent(run: RunView, e: TrainingEventWire): RunView {
  switch (e.type) {
    case 'started':
      return {
        ...run,
        status: 'running',
        step: e.step,
        totalSteps: e.totalSteps,
        backend: e.backend,
        backendReason: e.backendReason,
        sessionStartStep: e.step,
        stopped: null,
        readOnly: false,
        message: e.resumed ? `Resumed at step ${e.step} on ${e.backend}.` : `Training on ${e.backend}.`,
      };
    case 'step': {
      run.log.append({
        step: e.step,
        lossDReal: e.lossDReal,
        lossDFake: e.lossDFake,
        lossG: e.lossG,
        itPerSec: e.itPerSec,
        ...(e.wallMs !== undefined ? { wallMs: e.wallMs } : {}),
        gammas: e.gammas,
      });
      const gammas = { ...run.gammas };
      const gammaPeak = { ...run.gammaPeak };
      for (const g of e.gammas) {
        const key = nodeKey(g.network, g.nodeId);
        gammas[key] = g;
        gammaPeak[key] = Math.max(gammaPeak[key] ?? 0, Math.abs(g.gamma));
      }
      const next: RunView = {
        ...run,
        status: run.status === 'starting' ? 'running' : run.status,
        step: e.step,
        totalSteps: e.totalSteps,
        itPerSec: e.itPerSec,
        etaSec: e.etaSec,
        lastLosses: { lossD: e.lossD, lossDReal: e.lossDReal, lossDFake: e.lossDFake, lossG: e.lossG },
        gammas,
        gammaPeak,
      };
      if (e.sigmas?.length) next.sigmas = foldSigmas(run.sigmas, e.step, e.sigmas);
      if (e.realScores?.length || e.fakeScores?.length)
        next.scores = foldScores(run.scores, e.step, e.realScores ?? [], e.fakeScores ?? []);
      if (!run.attentionNodes.length && e.gammas.length)
        next.attentionNodes = e.gammas.map((g) => ({ nodeId: g.nodeId, network: g.network }));
      return next;
    }
    case 'sample':
      return {
        ...run,
        latestGrid: e.grid,
        sampleSteps: run.sampleSteps.includes(e.grid.step)
          ? run.sampleSteps
          : [...run.sampleSteps.filter((s) => s < e.grid.step), e.grid.step],
      };
    case 'attention':
      return { ...run, streamedAttention: e.answer };
    case 'notice':
      return {
        ...run,
        notices: [...run.notices.slice(-(NOTICE_LIMIT - 1)), { level: e.level, message: e.message, step: run.step }],
      };
    case 'quality':
      return { ...run, quality: mergeQuality(run.quality, [e.point]) };
    case 'checkpoint':
      return { ...run, checkpointStep: e.step };
    case 'paused':
      return { ...run, status: 'paused', step: e.step, pauseRequested: false, message: `Paused at step ${e.step}.` };
    case 'resumed':
      return { ...run, status: 'running', step: e.step, message: `Training on ${run.backend}.` };
    case 'stopped':
      return {
        ...run,
        status: e.reason,
        step: e.step,
        etaSec: null,
        pauseRequested: false,
        message: e.message,
        stopped: { reason: e.reason, step: e.step, message: e.message, checkpointStep: e.checkpointStep },
        checkpointStep: e.checkpointStep ?? run.checkpointStep,
      };
  }
}

/** Quality points by step, one per step (a later one replaces an earlier one at the same step). */
export function mergeQuality(a: QualityPoint[], b: QualityPoint[]): QualityPoint[] {
  const byStep = new Map(a.map((p) => [p.step, p]));
  for (const p of b) byStep.set(p.step, p);
  return [...byStep.values()].sort((x, y) => x.step - y.step);
}

function foldSigmas(
  previous: Record<string, SigmaTrack>,
  step: number,
  sigmas: NonNullable<Extract<TrainingEventWire, { type: 'step' }>['sigmas']>,
): Record<string, SigmaTrack> {
  const next = { ...previous };
  for (const s of sigmas) {
    const key = `${nodeKey(s.network, s.nodeId)}/${s.name}`;
    const track = next[key] ?? { nodeId: s.nodeId, network: s.network, name: s.name, steps: [], values: [] };
    // Thin the history by half when it is full: it is drawn as a sparkline.
    const keep =
      track.steps.length >= SIGMA_HISTORY ? (a: number[]) => a.filter((_, i) => i % 2 === 0) : (a: number[]) => a;
    next[key] = { ...track, steps: [...keep(track.steps), step], values: [...keep(track.values), s.sigma] };
  }
  return next;
}

function foldScores(previous: RunView['scores'], step: number, real: number[], fake: number[]): RunView['scores'] {
  // Keeps the scores of the last SCORE_WINDOW steps: each step adds one batch of each.
  const perStep = Math.max(real.length, fake.length, 1);
  const limit = perStep * SCORE_WINDOW;
  return {
    step,
    real: [...(previous?.real ?? []), ...real].slice(-limit),
    fake: [...(previous?.fake ?? []), ...fake].slice(-limit),
  };
}

/**
 * A run summary from the host applied over what streamed in. A listing may be older than the stream, so it does
 * not move a live run backwards; the answer to a command (pause, stop, resume) is `authoritative`.
 */
export function applySummary(run: RunView, s: RunSummary, authoritative = false): RunView {
  const newer = authoritative || s.step >= run.step;
  return {
    ...run,
    name: s.name,
    createdAt: s.createdAt,
    // The host reports "paused" as soon as it is asked; the view waits for the engine's 'paused' event.
    status:
      run.pauseRequested && s.status === 'paused' ? run.status : newer || !live(run.status) ? s.status : run.status,
    step: Math.max(run.step, s.step),
    totalSteps: s.totalSteps || run.totalSteps,
    backend: s.backend || run.backend,
    lastLosses: run.lastLosses ?? s.lastLosses,
    checkpointStep: s.checkpointStep ?? run.checkpointStep,
    message: newer ? s.message : run.message,
  };
}

/** The run's saved detail: its sample steps and attention nodes; γ's newest values and peaks from the (merged) log. */
export function applyDetail(run: RunView, d: RunDetail): RunView {
  const steps = [...new Set([...d.sampleSteps, ...run.sampleSteps])].sort((a, b) => a - b);
  const gammas = { ...run.gammas };
  const gammaPeak = { ...run.gammaPeak };
  for (const [key, col] of run.log.gammas) {
    let peak = gammaPeak[key] ?? 0;
    let last: number | null = null;
    for (const v of col.values) {
      if (v === null) continue;
      peak = Math.max(peak, Math.abs(v));
      last = v;
    }
    gammaPeak[key] = peak;
    if (!gammas[key] && last !== null) gammas[key] = { nodeId: col.nodeId, network: col.network, gamma: last };
  }
  return {
    ...applySummary(run, d.summary),
    sampleSteps: steps,
    gammas,
    gammaPeak,
    attentionNodes: d.attentionNodes.length ? d.attentionNodes : run.attentionNodes,
    batchSize: run.batchSize ?? docBatchSize(d.doc),
    classNames: run.classNames ?? d.classNames ?? null,
    detailLoaded: true,
  };
}

export function isLive(run: Pick<RunView, 'status'> | null | undefined): boolean {
  return !!run && live(run.status);
}

/** A stopped run can continue from its newest checkpoint. */
export function canResume(run: Pick<RunView, 'status' | 'checkpointStep'>): boolean {
  return !live(run.status) && run.status !== 'finished' && run.checkpointStep !== null;
}

/** The training batch of a run's saved graph, or null when it does not say. */
function docBatchSize(doc: unknown): number | null {
  const b = (doc as { training?: { batchSize?: unknown } } | null)?.training?.batchSize;
  return typeof b === 'number' && Number.isInteger(b) && b > 0 ? b : null;
}

/** Steps a session must run before its measured rate is trusted over the estimate (the first is a warm-up). */
export const ETA_CHECK_AFTER = 3;

/**
 * The dialog's estimate against what the run's first steps measured: null before there is either; `pending` until
 * ETA_CHECK_AFTER steps have run in this session.
 */
export function etaCheck(
  run: Pick<RunView, 'estimate' | 'itPerSec' | 'step' | 'sessionStartStep'>,
):
  | null
  | { pending: true; estimatedMs: number }
  | { pending: false; estimatedMs: number; measuredMs: number; off: number } {
  if (!run.estimate) return null;
  const estimatedMs = run.estimate.msPerIteration;
  const ran = run.sessionStartStep === null ? 0 : run.step - run.sessionStartStep;
  if (ran < ETA_CHECK_AFTER || !run.itPerSec) return { pending: true, estimatedMs };
  const measuredMs = 1000 / run.itPerSec;
  return { pending: false, estimatedMs, measuredMs, off: measuredMs / estimatedMs - 1 };
}
