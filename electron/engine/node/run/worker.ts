import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { GraphDocument } from '../../../../graph-schemas';
import { loadGraph, validateGraph } from '../../../../graph-schemas';
import type { TrainEvent } from '../../core/train/events';
import { estimateIteration, formatBytes, largestBatchThatFits } from '../../core/train/memory';
import { describeTiming } from '../../core/train/timing';
import { availableBackends, selectBackend } from '../backend';
import type { BackendReport } from '../backend';
import type { GpuAdapter } from '../webgpu';
import { exportRun } from '../export/export-run';
import { writeFileAtomic } from '../fs-atomic';
import { encodePng } from '../png';
import type { EstimateJob, EstimateResult, FromWorker, ToWorker, TrainJob } from './protocol';
import { appendRunLog, createRunFolder, readCheckpointNear, readLatestCheckpoint, readRunInfo } from './run-folder';
import { GanModel } from '../../core/model/gan-model';
import { defaultSampleGrid } from '../../core/model/sample-grid';
import { QualityMonitor } from './quality-monitor';
import { runSession, SessionControl } from './session';
import { dataReport, openRunData } from './training-data';

/**
 * The training thread: the UI or CLI thread only sends commands and receives events, so it never freezes.
 * Messages are validated loosely here because only our own engine client posts them.
 */
const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread.');
const post = (m: FromWorker) => port.postMessage(m);
let control: SessionControl | null = null;

port.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'start':
      void start(msg.job).catch((e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        appendRunLog(msg.job.runDir, 'error', message);
        post({ type: 'fatal', message });
      });
      break;
    case 'check-data':
      void Promise.resolve()
        .then(() =>
          openRunData(
            { runDir: '', resume: false, data: msg.data, cacheDir: msg.cacheDir },
            trainableDocument(msg.doc),
          ),
        )
        .then(
          (data) => post({ type: 'data-report', report: dataReport(data) }),
          (e: unknown) => post({ type: 'fatal', message: e instanceof Error ? e.message : String(e) }),
        );
      break;
    case 'estimate':
      void estimate(msg.job).then(
        (result) => post({ type: 'estimate-result', result }),
        (e: unknown) => post({ type: 'fatal', message: e instanceof Error ? e.message : String(e) }),
      );
      break;
    case 'export':
      void selectBackend({ requested: 'auto' })
        .then(() => exportRun(msg.runDir, msg.outDir))
        .then(
          (manifest) => post({ type: 'export-result', manifest }),
          (e: unknown) => post({ type: 'fatal', message: e instanceof Error ? e.message : String(e) }),
        );
      break;
    case 'checkpoint-attention':
      void attentionAtCheckpoint(msg.runDir, msg.points, msg.samples, msg.step).then(
        ({ maps, step }) => post({ type: 'attention-result', requestId: msg.requestId, maps, step }),
        (e: unknown) => post({ type: 'fatal', message: e instanceof Error ? e.message : String(e) }),
      );
      break;
    case 'pause':
      control?.pause();
      break;
    case 'resume':
      control?.resume();
      break;
    case 'stop':
      control?.stop();
      break;
    case 'set-sample-every':
      if (control && Number.isInteger(msg.every) && msg.every > 0) control.sampleEvery = msg.every;
      break;
    case 'attention':
      control?.ask({
        points: msg.points,
        samples: msg.samples,
        respond: (maps, step) => post({ type: 'attention-result', requestId: msg.requestId, maps, step }),
        fail: (message) => post({ type: 'attention-error', requestId: msg.requestId, message }),
      });
      break;
  }
});

function trainableDocument(raw: unknown): GraphDocument {
  const loaded = loadGraph(raw);
  if (!loaded.ok) throw new Error(`The graph cannot be trained: ${loaded.error.message}`);
  const doc = loaded.value.doc;
  const report = validateGraph(doc);
  if (!report.valid)
    throw new Error(
      `The graph has problems: ${report.problems
        .filter((p) => p.severity === 'error')
        .map((p) => p.message)
        .join(' ')}`,
    );
  return doc;
}

/** Measures one iteration on the chosen backend and says, in one sentence, whether the batch fits. */
async function measure(doc: GraphDocument, backend: BackendReport, timeAtBatch = true): Promise<EstimateResult> {
  if (backend.adapter) return measureOnGpu(doc, backend, backend.adapter, timeAtBatch);
  const limit = heapLimit(backend.name);
  const estimate = await estimateIteration(doc, { limitBytes: limit, ...(timeAtBatch ? {} : { timing: false }) });
  const b = doc.training.batchSize;
  const fits = limit === null || estimate.peakBytes <= limit;
  const largest = limit === null ? null : largestBatchThatFits(estimate, limit);
  const cost = `${formatBytes(estimate.peakBytes)} (${formatBytes(estimate.fixedBytes)} + ${formatBytes(estimate.perSampleBytes)} per sample)`;
  const message = fits
    ? `One iteration at batch ${b}: about ${cost} and ${describeTiming(estimate.timing)} on ${backend.name}.`
    : `${doc.name} at batch ${b} needs about ${cost} for one iteration, more than the ${backend.name} backend can hold (${formatBytes(limit)}). ${largest && largest > 0 ? `The largest batch that fits is ${largest}; lower the batch size` : 'Not even one sample fits; make the model smaller'}, or install @tensorflow/tfjs-node to train with native TensorFlow.`;
  return {
    backend: backend.name,
    backendReason: backend.reason,
    batchSize: b,
    ...estimate,
    limitBytes: limit,
    fits,
    largestBatch: largest === null || !Number.isFinite(largest) ? null : largest,
    message,
  };
}

/**
 * On WebGPU: the device's limits decide. Its total memory is not exposed, but no buffer may exceed maxBufferSize
 * and no binding maxStorageBufferBindingSize, so the iteration's largest buffer (measured at batches 1 and 2,
 * linear in the batch) must fit under both. A software adapter's iterations are not timed at the run's batch
 * (minutes there); the time is extrapolated from the probes.
 */
async function measureOnGpu(
  doc: GraphDocument,
  backend: BackendReport,
  adapter: GpuAdapter,
  timeAtBatch: boolean,
): Promise<EstimateResult> {
  const bufferLimit = Math.min(adapter.limits.maxBufferSize, adapter.limits.maxStorageBufferBindingSize);
  const timing = timeAtBatch && !adapter.software;
  const estimate = await estimateIteration(doc, timing ? {} : { timing: false });
  const b = doc.training.batchSize;
  const buffer = estimate.largestBuffer;
  const fits = buffer.bytes <= bufferLimit;
  const largest =
    buffer.perSampleBytes > 0 ? Math.floor((bufferLimit - buffer.fixedBytes) / buffer.perSampleBytes) : null;
  const cost = `${formatBytes(estimate.peakBytes)} (${formatBytes(estimate.fixedBytes)} + ${formatBytes(estimate.perSampleBytes)} per sample)`;
  const message = fits
    ? `One iteration at batch ${b}: about ${cost}, its largest buffer ${formatBytes(buffer.bytes)} of the ${formatBytes(bufferLimit)} ${adapter.name} can bind, and ${describeTiming(estimate.timing)} on webgpu.`
    : `${doc.name} at batch ${b} needs a ${formatBytes(buffer.bytes)} buffer, more than ${adapter.name} can bind at once (${formatBytes(bufferLimit)}). ${largest && largest > 0 ? `The largest batch that fits is ${largest}; lower the batch size` : 'Not even one sample fits; make the model smaller'}.`;
  return {
    backend: backend.name,
    backendReason: backend.reason,
    batchSize: b,
    ...estimate,
    limitBytes: null,
    fits,
    largestBatch: largest !== null && largest > 0 ? largest : null,
    message,
  };
}

async function estimate(job: EstimateJob): Promise<EstimateResult> {
  const doc = trainableDocument(job.doc);
  const backend = await selectBackend({ requested: job.backend, ...(job.threads ? { threads: job.threads } : {}) });
  return { ...(await measure(doc, backend)), available: await availableBackends() };
}

async function start(job: TrainJob) {
  const doc = trainableDocument(job.doc);
  control = new SessionControl(doc.training.sampleEvery);
  const emit = (event: TrainEvent) => {
    post({ type: 'event', event });
    if (event.type === 'notice') appendRunLog(job.runDir, event.level, event.message);
    if (event.type === 'stopped') appendRunLog(job.runDir, event.reason === 'error' ? 'error' : 'info', event.message);
  };
  // The data first: a folder that cannot be trained on is refused before a second is spent measuring.
  const data = await openRunData(job, doc);
  for (const message of data.notices) emit({ type: 'notice', level: 'warning', message });
  const backend = await selectBackend({ requested: job.backend, ...(job.threads ? { threads: job.threads } : {}) });
  for (const message of backend.warnings) emit({ type: 'notice', level: 'warning', message });
  // Memory only, and the time roughly: the dialog timed the batch already, and the run's first steps correct it.
  const cost = await measure(doc, backend, false);
  if (!cost.fits) throw new Error(cost.message);
  emit({ type: 'notice', level: 'info', message: cost.message });
  let sampleGrid = defaultSampleGrid(doc);
  if (!job.resume) {
    await createRunFolder(job.runDir, {
      format: 'sagan-studio/run',
      version: 1,
      id: job.runId,
      createdAt: new Date().toISOString(),
      doc: { ...doc, dataset: { ...doc.dataset, source: data.source } },
      seed: doc.training.seed,
      backend: { name: backend.name, reason: backend.reason, threads: backend.threads },
      versions: { engine: '1', tfjs: tf.version.tfjs, node: process.versions.node },
      dataset: data.record,
      sampleGrid,
      ...(job.data ? { dataSource: job.data } : {}),
    });
  } else {
    sampleGrid = (await readRunInfo(job.runDir)).sampleGrid;
  }
  const quality = new QualityMonitor({
    doc,
    dataset: data.dataset,
    runDir: job.runDir,
    ...(job.cacheDir ? { cacheDir: job.cacheDir } : {}),
    emit,
  });
  try {
    await runSession(
      {
        doc,
        runDir: job.runDir,
        runId: job.runId,
        backend,
        data: data.batches,
        rng: data.rng,
        sampleGrid,
        resume: job.resume,
        ...(backend.name === 'webgpu' ? { deviceLost: (await import('../webgpu')).deviceLost } : {}),
        saveSample: async (step, model) => {
          const grid = await model.sampleGridImage();
          const file = join(job.runDir, 'samples', `step-${String(step).padStart(8, '0')}.png`);
          await writeFileAtomic(file, encodePng(grid));
          return { file, ...grid };
        },
        ...(quality.enabled ? { quality } : {}),
      },
      control,
      emit,
    );
  } finally {
    await quality.dispose();
  }
}

/**
 * Bytes of tensors one iteration may peak at: the wasm32 heap is 4 GiB, less 128 MiB for code, stacks and
 * fragmentation (SAGAN-32 at batch 32 peaks at ~3.7 GiB of tensors and runs).
 */
function heapLimit(backend: string): number | null {
  return backend === 'wasm' ? 4 * 1024 ** 3 - 128 * 1024 ** 2 : null;
}

/**
 * Where a run's generator and discriminator attend, with the weights of a checkpoint: the one nearest at or before
 * `step` (a sample grid scrubbed back to it), else its newest.
 */
async function attentionAtCheckpoint(
  runDir: string,
  points: { x: number; y: number }[],
  samples: number[],
  step?: number,
) {
  await selectBackend({ requested: 'auto' });
  const info = await readRunInfo(runDir);
  const latest = step === undefined ? await readLatestCheckpoint(runDir) : await readCheckpointNear(runDir, step);
  if (!latest) throw new Error(`${runDir} has no checkpoint yet, so there are no weights to ask.`);
  // The run's own sample grid (noise and labels), so a clicked cell is the image shown.
  const model = GanModel.compile(info.doc, info.sampleGrid);
  try {
    model.loadWeights(latest.state.tensors);
    return { maps: await model.attention(points, samples), step: latest.state.step };
  } finally {
    model.dispose();
  }
}
