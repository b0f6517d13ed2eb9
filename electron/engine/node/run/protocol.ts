import type { BackendAvailability, BackendRequest } from '../backend';
import type { ExportManifest } from '../export/export-run';
import type { AttentionMap } from '../../core/model/gan-model';
import type { TrainEvent } from '../../core/train/events';
import type { IterationTiming } from '../../core/train/timing';
import type { DataSource } from '../data/fingerprint';
import type { DataPreview } from '../data/preview-grid';

/** Everything a training worker needs to start; plain data, so it crosses the thread boundary as is. */
export interface TrainJob {
  /** The graph document (validated again in the worker). */
  doc: unknown;
  runDir: string;
  runId: string;
  resume: boolean;
  backend: BackendRequest;
  threads?: number;
  /** Overrides of the document's dataset: 'mnist' or a folder path. */
  data?: string;
  cacheDir?: string;
}

export interface AttentionRequest {
  requestId: number;
  /** Query points in image coordinates 0..1. */
  points: { x: number; y: number }[];
  /** Which cells of the sample grid (row-major) to explain. */
  samples: number[];
}

/** Measures one iteration without starting a run, so the UI can show the cost before the user commits. */
export interface EstimateJob {
  doc: unknown;
  backend: TrainJob['backend'];
  threads?: number;
}

export interface EstimateResult {
  backend: string;
  backendReason: string;
  batchSize: number;
  fixedBytes: number;
  perSampleBytes: number;
  peakBytes: number;
  limitBytes: number | null;
  fits: boolean;
  largestBatch: number | null;
  msPerIteration: number;
  /** How the time was found: the median of iterations timed at the batch, its spread and confidence. */
  timing: IterationTiming;
  message: string;
  available?: BackendAvailability[];
}

/** What a dataset holds for a document, checked before a run (see training-data.ts). */
export interface DataReport {
  source: DataSource;
  name: string;
  /** Images that decoded and are used. */
  images: number;
  classes: number;
  /** Files that could not be read: how many, and the first few with why. */
  skipped: { count: number; examples: { file: string; reason: string }[] };
  /** Class names (empty when unconditional) and images per class (one entry when unconditional). */
  classNames: string[];
  perClass: number[];
  /** The images as trained on: the document's size and channels. */
  imageSize: number;
  channels: number;
  /** A few real images of each class. */
  preview: DataPreview;
}

export type ToWorker =
  | { type: 'start'; job: TrainJob }
  /** Opens the data a document would train on (`data`: "mnist" or a folder, else the document's) and reports it. */
  | { type: 'check-data'; doc: unknown; data?: string; cacheDir?: string }
  | { type: 'estimate'; job: EstimateJob }
  | { type: 'export'; runDir: string; outDir: string }
  /** Attention of a run that is not training, from its newest checkpoint and the run's own sample noise. */
  /** `step`: the sample grid's step to explain, from its nearest checkpoint at or before it (absent: the newest). */
  | ({ type: 'checkpoint-attention'; runDir: string; step?: number } & AttentionRequest)
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'set-sample-every'; every: number }
  | ({ type: 'attention' } & AttentionRequest);

/** Where the chosen query pixels attend, per attention node (the model's own answer, as it crosses threads). */
export type AttentionResult = AttentionMap;

export type FromWorker =
  | { type: 'event'; event: TrainEvent }
  | { type: 'attention-result'; requestId: number; maps: AttentionResult[]; step: number }
  /** A question the running session could not answer (a cell outside the grid); the run goes on. */
  | { type: 'attention-error'; requestId: number; message: string }
  | { type: 'estimate-result'; result: EstimateResult }
  | { type: 'data-report'; report: DataReport }
  | { type: 'export-result'; manifest: ExportManifest }
  | { type: 'fatal'; message: string };
