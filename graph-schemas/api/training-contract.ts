import { z } from 'zod';
import { TrainingSchema } from '../document';

/**
 * Training and runs in the UI ↔ host API. Runs live in the host's runs folder, one folder per run
 * (the engine's run format); the UI names a run by its id and never by a path it made up.
 */

const runId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'a run id is letters, digits, ".", "_" or "-"');
const networkName = z.enum(['generator', 'discriminator']);
const point = z.object({ x: z.number().min(0).max(1), y: z.number().min(0).max(1) }).strict();

/** The compute backends a run may ask for; `auto` measures and picks (see electron/engine/node/backend.ts). */
export const BackendRequestSchema = z.enum(['auto', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
export const TrainingDataChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mnist') }).strict(),
  z.object({ kind: z.literal('folder'), path: z.string().min(1).max(4096) }).strict(),
]);

/** The settings a run may override, with the document's own rules for them (one place for each limit). */
export const RunSettingSchemas = {
  steps: TrainingSchema.shape.steps.unwrap(),
  batchSize: TrainingSchema.shape.batchSize.unwrap(),
  seed: TrainingSchema.shape.seed.unwrap(),
  sampleEvery: TrainingSchema.shape.sampleEvery.unwrap(),
};

/** What the Train dialog chooses; anything left out comes from the document's own training settings. */
export const TrainingOptionsSchema = z
  .object({
    /** The open document, as the UI holds it (validated again by the host and the engine). */
    doc: z.unknown(),
    /** Where the document is saved, so its runs can be listed with it; null for an unsaved document. */
    docPath: z.string().max(4096).nullable(),
    data: TrainingDataChoiceSchema,
    steps: RunSettingSchemas.steps.optional(),
    batchSize: RunSettingSchemas.batchSize.optional(),
    seed: RunSettingSchemas.seed.optional(),
    sampleEvery: RunSettingSchemas.sampleEvery.optional(),
    backend: BackendRequestSchema.default('auto'),
  })
  .strict();

/** A time per iteration from repeated measurements: the median, the spread, and how far it can be trusted. */
export const IterationTimingSchema = z.object({
  /** Median milliseconds per iteration (what an ETA should use). */
  medianMs: z.number(),
  /** Fastest and slowest measured iteration. */
  lowMs: z.number(),
  highMs: z.number(),
  /** Half the interquartile range over the median (0.05 = ±5 %); the spread a user should expect. */
  spread: z.number(),
  /** Iterations timed, after the warm-up ones (which are never counted). */
  samples: z.number(),
  /** The batch size the time is for. */
  batchSize: z.number(),
  /** Timed at other batch sizes and extrapolated to this one (the run's batch did not fit, or was not timed). */
  extrapolated: z.boolean(),
  /** How much to trust it: measured repeatedly at the run's batch and steady, or not. */
  confidence: z.enum(['high', 'medium', 'low']),
});
export type IterationTiming = z.output<typeof IterationTimingSchema>;

export const TrainingEstimateSchema = z.object({
  backend: z.string(),
  backendReason: z.string(),
  batchSize: z.number(),
  fixedBytes: z.number(),
  perSampleBytes: z.number(),
  peakBytes: z.number(),
  /** What the backend can hold; null when it has no fixed limit (native TensorFlow). */
  limitBytes: z.number().nullable(),
  fits: z.boolean(),
  largestBatch: z.number().nullable(),
  /** The median of `timing`: what the ETA uses. */
  msPerIteration: z.number(),
  /** Iterations timed at the run's batch after a warm-up (or, when it does not fit, extrapolated from batches 1 and 2). */
  timing: IterationTimingSchema,
  /** One sentence for the user: the estimate, or why the run would be refused and what to do. */
  message: z.string(),
  /** The backends that can run here, with the GPU adapter's name or why one cannot (the Train dialog lists them). */
  available: z
    .array(
      z.object({
        backend: z.enum(['webgpu', 'tensorflow', 'wasm', 'cpu']),
        available: z.boolean(),
        detail: z.string(),
      }),
    )
    .optional(),
});

/** What the data of a run holds, checked before it starts (and kept with the run): the Train dialog shows it. */
export const DataCheckSchema = z.object({
  /** What was opened: MNIST, or the folder (absolute path). */
  source: TrainingDataChoiceSchema,
  /** e.g. "/data/faces (1,200 images, 2 classes)". */
  name: z.string(),
  /** Images that decoded and are trained on. */
  images: z.number(),
  /** 0 = unconditional. */
  classes: z.number(),
  /** Image files that could not be read and are left out: how many, and the first few with why. */
  skipped: z.object({
    count: z.number(),
    examples: z.array(z.object({ file: z.string(), reason: z.string() })),
  }),
  /** Class names (empty when unconditional) and images per class (one entry when unconditional). */
  classNames: z.array(z.string()),
  perClass: z.array(z.number()),
  /** The images as trained on (resized and cropped to the document's size, converted to its channels). */
  imageSize: z.number(),
  channels: z.number(),
  /** A few real images of each class: one row per class (the first 10), base64 PNG. */
  preview: z.object({
    pngBase64: z.string(),
    width: z.number(),
    height: z.number(),
    cellSize: z.number(),
    cols: z.number(),
    rows: z.array(z.object({ name: z.string(), count: z.number() })),
    hiddenClasses: z.number(),
  }),
});

export const RunStatusSchema = z.enum(['running', 'paused', 'finished', 'stopped', 'diverged', 'error']);
export const RunLossesSchema = z.object({
  lossD: z.number(),
  lossDReal: z.number(),
  lossDFake: z.number(),
  lossG: z.number(),
});
/** One quality measurement of a run (FD/FID, KID, class accuracy of generated samples) at a step. */
export const QualityPointSchema = z.object({
  step: z.number(),
  /** Feature network id: digit-classifier-v1, or pt_inception-2015-12-05 for FID. */
  network: z.string(),
  /** What to call the numbers: "FD (digit classifier)", "FID", "KID (digit classifier)", "KID". */
  names: z.object({ fd: z.string(), kid: z.string() }),
  samples: z.number(),
  fd: z.number(),
  kid: z.number(),
  kidStd: z.number(),
  accuracy: z.number().nullable(),
  score: z.number().nullable(),
  ema: z.boolean(),
  seconds: z.number(),
  trainSeconds: z.number(),
});

export const RunSummarySchema = z.object({
  id: runId,
  name: z.string(),
  docPath: z.string().nullable(),
  status: RunStatusSchema,
  step: z.number(),
  totalSteps: z.number(),
  backend: z.string(),
  createdAt: z.string(),
  lastLosses: RunLossesSchema.nullable(),
  /** The newest complete checkpoint's step; a stopped run with one can be resumed. */
  checkpointStep: z.number().nullable(),
  message: z.string(),
  dir: z.string(),
  /** The newest quality measurement and the best (lowest FD/FID); null when the run was never measured. */
  quality: z.object({ latest: QualityPointSchema, best: QualityPointSchema }).nullable().optional(),
});

/** Metrics as columns (one entry per logged step), reduced by the host to at most maxPoints rows; null = not logged. */
const column = z.array(z.number().nullable());
export const RunMetricsSchema = z.object({
  step: z.array(z.number()),
  lossDReal: column,
  lossDFake: column,
  lossG: column,
  itPerSec: column,
  /** Wall-clock time each row was logged (ms since the Unix epoch); null for rows of runs from before it was kept. */
  wallMs: column.optional(),
  gammas: z.array(z.object({ nodeId: z.string(), network: networkName, values: column })),
  /** Every quality measurement, in step order (never thinned: there are few). */
  quality: z.array(QualityPointSchema).optional(),
});

export const SampleGridSchema = z.object({
  step: z.number(),
  /** PNG image of the grid, base64; one row per class, columns share noise across rows. */
  pngBase64: z.string(),
  width: z.number(),
  height: z.number(),
  rows: z.number(),
  cols: z.number(),
  cellSize: z.number(),
});

export const RunDetailSchema = z.object({
  summary: RunSummarySchema,
  /** The graph the run trained (read-only view). */
  doc: z.unknown(),
  sampleSteps: z.array(z.number()),
  /** The run's data and what was left out of it; absent or null for runs from before this was kept. */
  dataset: DataCheckSchema.pick({ source: true, name: true, images: true, skipped: true }).nullable().optional(),
  attentionNodes: z.array(z.object({ nodeId: z.string(), network: networkName })),
  /** The class names, one per sample-grid row; null when unconditional or unknown (folder runs from before they were kept). */
  classNames: z.array(z.string()).nullable().optional(),
});

export const AttentionMapWireSchema = z.object({
  nodeId: z.string(),
  network: networkName,
  keyHeight: z.number(),
  keyWidth: z.number(),
  /** The node's own grid the query pixels fall in (its feature map); absent from hosts before it was sent. */
  queryHeight: z.number().optional(),
  queryWidth: z.number().optional(),
  samples: z.number(),
  queries: z.number(),
  /** [sample][query][key] softmax rows, row-major, rounded to 4 decimals. */
  data: z.array(z.number()),
});

export const AttentionAnswerSchema = z.object({
  /** The step of the weights the maps were computed with. */
  step: z.number(),
  /** Which weights: the training model's, or a checkpoint's (a stopped run, or a sample grid scrubbed back). */
  from: z.enum(['live', 'checkpoint']).optional(),
  points: z.array(point),
  samples: z.array(z.number()),
  maps: z.array(AttentionMapWireSchema),
});

/**
 * Requests that do real work in the engine before they answer (a measured iteration, a checkpoint loaded, a model
 * written, a run checkpointed and stopped): a client waits minutes for these, not the seconds it gives the rest.
 */
export const SLOW_METHODS: ReadonlySet<string> = new Set([
  'training.estimate',
  'training.attention',
  'training.stop',
  'runs.export',
  'sweeps.stop',
  'latent.describe',
  'latent.render',
  'latent.save',
]);

export const trainingMethods = {
  /** Measures one iteration (memory and time) on the chosen backend before a run starts; takes seconds. */
  'training.estimate': { params: TrainingOptionsSchema, result: TrainingEstimateSchema },
  /**
   * Opens the chosen data for the document (decoding a folder once; later loads read the cache) and says what it
   * holds and which files cannot be read. A folder that cannot be trained on is refused with the reason.
   */
  'training.checkData': {
    params: z.object({ doc: z.unknown(), data: TrainingDataChoiceSchema }).strict(),
    result: DataCheckSchema,
  },
  'training.start': { params: TrainingOptionsSchema, result: RunSummarySchema },
  /** Continues a stopped run from its newest checkpoint. */
  'training.resume': {
    params: z.object({ runId, backend: BackendRequestSchema.default('auto') }).strict(),
    result: RunSummarySchema,
  },
  'training.pause': { params: z.object({ runId }).strict(), result: RunSummarySchema },
  'training.continue': { params: z.object({ runId }).strict(), result: RunSummarySchema },
  /** Checkpoints, then stops; resolves once the run has stopped. */
  'training.stop': { params: z.object({ runId }).strict(), result: RunSummarySchema },
  'training.setSampleEvery': {
    params: z.object({ runId, every: RunSettingSchemas.sampleEvery }).strict(),
    result: z.object({}),
  },
  /**
   * Where the chosen query pixels attend, for each SelfAttention node, on the sample grid's noise: from the live
   * model, or from a stopped run's newest checkpoint; with `step` (a sample grid scrubbed back to it), from the
   * checkpoint nearest at or before that step (the oldest kept when none is), the answer's step saying which.
   */
  'training.attention': {
    params: z
      .object({
        runId,
        points: z.array(point).min(1).max(8),
        samples: z.array(z.number().int().min(0)).min(1).max(16),
        step: z.number().int().min(0).optional(),
      })
      .strict(),
    result: AttentionAnswerSchema,
  },
  /** Runs of one document (by path), or all runs when docPath is omitted; newest first. */
  'runs.list': {
    params: z.object({ docPath: z.string().max(4096).nullable().optional() }).strict(),
    result: z.array(RunSummarySchema),
  },
  'runs.get': { params: z.object({ runId }).strict(), result: RunDetailSchema },
  'runs.metrics': {
    params: z.object({ runId, maxPoints: z.number().int().min(10).max(1_000_000).default(5000) }).strict(),
    result: RunMetricsSchema,
  },
  'runs.sample': {
    params: z.object({ runId, step: z.number().int().min(0).optional() }).strict(),
    result: SampleGridSchema,
  },
  'runs.delete': { params: z.object({ runId }).strict(), result: z.object({ deleted: z.boolean() }) },
  /**
   * Writes the run's newest checkpoint as the engine's export folder (tfjs model, layers module, README), or with
   * format "pytorch" as a PyTorch package (model.py, one module per block type of the document, the weights, train.py).
   */
  'runs.export': {
    params: z
      .object({ runId, outDir: z.string().min(1).max(4096), format: z.enum(['tfjs', 'pytorch']).optional() })
      .strict(),
    result: z.object({ outDir: z.string(), files: z.array(z.string()) }),
  },
} as const;

/** A training event as it crosses to the UI: the engine's TrainEvent with images as PNG and maps as arrays. */
export const TrainingEventWireSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('started'),
    backend: z.string(),
    backendReason: z.string(),
    step: z.number(),
    totalSteps: z.number(),
    resumed: z.boolean(),
  }),
  z.object({
    type: z.literal('step'),
    step: z.number(),
    totalSteps: z.number(),
    lossD: z.number(),
    lossDReal: z.number(),
    lossDFake: z.number(),
    lossG: z.number(),
    itPerSec: z.number(),
    etaSec: z.number(),
    /** Wall-clock time the step finished (ms since the Unix epoch); absent from hosts before it was sent. */
    wallMs: z.number().optional(),
    gammas: z.array(z.object({ nodeId: z.string(), network: networkName, gamma: z.number() })),
    sigmas: z
      .array(z.object({ nodeId: z.string(), network: networkName, name: z.string(), sigma: z.number() }))
      .optional(),
    realScores: z.array(z.number()).optional(),
    fakeScores: z.array(z.number()).optional(),
  }),
  z.object({ type: z.literal('sample'), grid: SampleGridSchema }),
  z.object({ type: z.literal('attention'), answer: AttentionAnswerSchema }),
  z.object({ type: z.literal('notice'), level: z.enum(['info', 'warning']), message: z.string() }),
  z.object({ type: z.literal('quality'), point: QualityPointSchema }),
  z.object({ type: z.literal('checkpoint'), step: z.number() }),
  z.object({ type: z.literal('paused'), step: z.number() }),
  z.object({ type: z.literal('resumed'), step: z.number() }),
  z.object({
    type: z.literal('stopped'),
    step: z.number(),
    reason: z.enum(['finished', 'stopped', 'diverged', 'error']),
    message: z.string(),
    /** Step of the last good checkpoint, offered for resuming. */
    checkpointStep: z.number().nullable(),
  }),
]);

export const trainingEvents = {
  'training.event': z.object({ runId, event: TrainingEventWireSchema }),
  /** The run list changed (a run started, stopped or was deleted). */
  'runs.changed': z.object({ runId: z.string() }),
} as const;

export type BackendRequestChoice = z.output<typeof BackendRequestSchema>;
export type TrainingDataChoice = z.output<typeof TrainingDataChoiceSchema>;
export type TrainingOptions = z.output<typeof TrainingOptionsSchema>;
export type TrainingEstimate = z.output<typeof TrainingEstimateSchema>;
export type DataCheck = z.output<typeof DataCheckSchema>;
export type RunStatus = z.output<typeof RunStatusSchema>;
export type RunSummary = z.output<typeof RunSummarySchema>;
export type RunMetrics = z.output<typeof RunMetricsSchema>;
export type QualityPoint = z.output<typeof QualityPointSchema>;
export type RunDetail = z.output<typeof RunDetailSchema>;
export type SampleGrid = z.output<typeof SampleGridSchema>;
export type AttentionMapWire = z.output<typeof AttentionMapWireSchema>;
export type AttentionAnswer = z.output<typeof AttentionAnswerSchema>;
export type TrainingEventWire = z.output<typeof TrainingEventWireSchema>;
