import * as tf from '@tensorflow/tfjs';
import type { GraphDocument } from '../../../../graph-schemas';
import { observeBuffers, observeKernels } from '../tfjs-internals';
import { GanModel } from '../model/gan-model';
import { GanTrainer } from './trainer';
import type { BatchSource, RandomSource } from './rng-source';
import type { IterationTiming, TimingPlan } from './timing';
import { DEFAULT_TIMING, summarizeTimes, timeIterations } from './timing';

export interface MemoryEstimate {
  /** Bytes that do not grow with the batch: weights, Adam moments, the backend's own. */
  fixedBytes: number;
  /** Bytes per sample of the batch at the iteration's peak (forward activations kept for backward, attention). */
  perSampleBytes: number;
  /** Peak bytes of one iteration at the document's batch size. */
  peakBytes: number;
  /**
   * The largest single buffer of the iteration (a kernel's output), fixed part + per sample, and at the document's
   * batch: what a GPU must bind at once (WebGPU refuses a binding over maxStorageBufferBindingSize).
   */
  largestBuffer: { fixedBytes: number; perSampleBytes: number; bytes: number };
  /** Milliseconds of one iteration at the document's batch size: the timing's median. */
  msPerIteration: number;
  /** How the time was found: iterations timed at the document's batch after a warm-up, or extrapolated. */
  timing: IterationTiming;
}

const constant = (shape: [number, number, number]): BatchSource => ({
  next: (b) => ({
    images: new Float32Array(b * shape[0] * shape[1] * shape[2]),
    labels: new Int32Array(b),
    shape: [b, ...shape],
  }),
  getState: () => null,
  setState: () => {},
});

const zeros: RandomSource = {
  normal: (n) => new Float32Array(n),
  ints: (n) => new Int32Array(n),
  getState: () => null,
  setState: () => {},
};

/** The most bytes alive during each kernel tfjs ran in one iteration, in order (the same at any batch size). */
type MemoryTrace = number[];

/**
 * Records, for each kernel tfjs runs while `f` does, the most bytes of distinct buffers alive during it. On backends
 * whose buffers we can observe (wasm, cpu) this counts real buffers, a kernel's scratch included, and a buffer shared
 * by several tensors (reshape, clone) once; elsewhere it falls back to tfjs' per-tensor count, which counts a shared
 * buffer once per tensor.
 */
export async function traceMemory(
  f: () => void | Promise<void>,
): Promise<{ trace: MemoryTrace; peak: number; largestBuffer: number; bufferTrace: MemoryTrace }> {
  const base = tf.memory().numBytes;
  const sizes = new WeakMap<object, number>();
  const trace: MemoryTrace = [];
  let live = base;
  let high = base;
  // The largest buffer made during each kernel, in order (like `trace`, so each point extrapolates on its own).
  const bufferTrace: MemoryTrace = [];
  let kernelLargest = 0;
  const restore = observeBuffers({
    allocated: (dataId, bytes) => {
      kernelLargest = Math.max(kernelLargest, bytes);
      sizes.set(dataId, bytes);
      live += bytes;
      high = Math.max(high, live);
    },
    freed: (dataId) => {
      const bytes = sizes.get(dataId);
      if (bytes === undefined) return;
      live -= bytes;
      sizes.delete(dataId);
    },
  });
  if (!restore) {
    const info = await tf.profile(async () => {
      await f();
    });
    // Kernel outputs are the buffers a GPU backend binds; all of the engine's tensors are 4 bytes an element.
    const outputs = info.kernels.map((k) =>
      largest(
        k.outputShapes.map((s) => 4 * tf.util.sizeFromShape(s)),
        0,
      ),
    );
    return {
      trace: info.kernels.map((k) => k.totalBytesSnapshot),
      peak: info.peakBytes,
      largestBuffer: largest(outputs, 0),
      bufferTrace: outputs,
    };
  }
  try {
    // Sampled per kernel, not per allocation: some kernels allocate per sample (batched matmul), so allocation counts
    // differ between batch sizes while the kernel sequence does not.
    await observeKernels((_call, run) => {
      try {
        return run();
      } finally {
        trace.push(high);
        high = live;
        bufferTrace.push(kernelLargest);
        kernelLargest = 0;
      }
    }, f);
  } finally {
    restore();
  }
  return { trace, peak: largest(trace, base), largestBuffer: largest(bufferTrace, 0), bufferTrace };
}

/**
 * The peak at `batch` from traces at batches b1 < b2: every point of the iteration grows linearly with the batch
 * (activations) on top of a fixed part (weights, optimizer temporaries), so each point is extrapolated on its own and
 * the largest wins. Extrapolating only the two peaks is wrong when, at small batches, the peak sits where the fixed
 * part does (the optimizer update) and, at large ones, where the activations do (the backward pass).
 */
export function extrapolatePeak(
  t1: MemoryTrace,
  b1: number,
  t2: MemoryTrace,
  b2: number,
  batch: number,
): { fixedBytes: number; perSampleBytes: number; peakBytes: number } {
  if (t1.length === 0 || t1.length !== t2.length) {
    // Different allocation sequences (should not happen): fall back to the two peaks.
    const [p1, p2] = [largest(t1, 0), largest(t2, 0)];
    const perSampleBytes = Math.max(0, (p2 - p1) / (b2 - b1));
    const fixedBytes = Math.max(0, p1 - b1 * perSampleBytes);
    return { fixedBytes, perSampleBytes, peakBytes: fixedBytes + batch * perSampleBytes };
  }
  let best = { fixedBytes: 0, perSampleBytes: 0, peakBytes: -Infinity };
  for (let k = 0; k < t1.length; k++) {
    const perSampleBytes = Math.max(0, (t2[k]! - t1[k]!) / (b2 - b1));
    const fixedBytes = Math.max(0, t1[k]! - b1 * perSampleBytes);
    const peakBytes = fixedBytes + batch * perSampleBytes;
    if (peakBytes > best.peakBytes) best = { fixedBytes, perSampleBytes, peakBytes };
  }
  return best;
}

/** A throwaway model and trainer at `batch` on constant data (EMA off): what the probes and timings run. */
function probeTrainer(doc: GraphDocument, batch: number) {
  const shape: [number, number, number] = [doc.dataset.imageSize, doc.dataset.imageSize, doc.dataset.channels];
  const model = GanModel.compile({
    ...doc,
    training: { ...doc.training, batchSize: batch, ema: { ...doc.training.ema, enabled: false } },
  });
  const trainer = new GanTrainer(model, constant(shape), zeros);
  return {
    trainer,
    dispose: () => {
      trainer.dispose();
      model.dispose();
    },
  };
}

export interface EstimateOptions {
  /** Bytes the backend can hold (null: no fixed limit); the run's batch is only timed when it fits. */
  limitBytes?: number | null;
  /** How to time iterations at the run's batch; false to extrapolate the time from the memory probes (seconds less). */
  timing?: TimingPlan | false;
}

/**
 * Measures, rather than guesses, what one training iteration costs. Memory: throwaway iterations at batch 1 and 2,
 * the second at each traced, extrapolated linearly to the document's batch. Time: when the batch fits, a warm-up
 * iteration at the document's batch and then several timed ones (their median, spread and confidence); otherwise
 * (or with `timing: false`) extrapolated from two timed iterations at each probe batch, with low confidence.
 */
export async function estimateIteration(doc: GraphDocument, opts: EstimateOptions = {}): Promise<MemoryEstimate> {
  const probe = async (batch: number) => {
    const { trainer, dispose } = probeTrainer(doc, batch);
    try {
      await trainer.iterate(); // first run pays for kernel setup and creates the optimizer state
      const { trace, bufferTrace } = await traceMemory(() => trainer.iterate().then(() => undefined));
      const times = await timeIterations(() => trainer.iterate(), { warmup: 0, min: 2, max: 2, budgetMs: 0 });
      return { trace, bufferTrace, ms: summarizeTimes(times, batch).medianMs };
    } finally {
      dispose();
    }
  };
  const one = await probe(1);
  const two = await probe(2);
  const b = doc.training.batchSize;
  const memory = extrapolatePeak(one.trace, 1, two.trace, 2, b);
  // Each kernel's largest buffer extrapolated on its own: at batches 1 and 2 a weight may be the largest buffer, at
  // the run's batch an activation.
  const buffers = extrapolatePeak(one.bufferTrace, 1, two.bufferTrace, 2, b);
  const largestBuffer = {
    fixedBytes: buffers.fixedBytes,
    perSampleBytes: buffers.perSampleBytes,
    bytes: buffers.peakBytes,
  };
  const fits = opts.limitBytes === undefined || opts.limitBytes === null || memory.peakBytes <= opts.limitBytes;
  let timing: IterationTiming;
  if (opts.timing !== false && fits) {
    const { trainer, dispose } = probeTrainer(doc, b);
    try {
      timing = summarizeTimes(await timeIterations(() => trainer.iterate(), opts.timing ?? DEFAULT_TIMING), b);
    } finally {
      dispose();
    }
  } else {
    const perSampleMs = Math.max(0, two.ms - one.ms);
    const ms = one.ms - perSampleMs + b * perSampleMs;
    // Two timed iterations at each probe batch; how far a line through them holds at the run's batch is not known.
    timing = {
      medianMs: ms,
      lowMs: ms,
      highMs: ms,
      spread: 0,
      samples: 4,
      batchSize: b,
      extrapolated: true,
      confidence: 'low',
    };
  }
  return { ...memory, largestBuffer, msPerIteration: timing.medianMs, timing };
}

/** The largest value (at least `floor`); a loop, since spreading a long trace into Math.max overflows the stack. */
function largest(values: number[], floor: number): number {
  let m = floor;
  for (const v of values) if (v > m) m = v;
  return m;
}

/** The largest batch whose iteration fits in `limitBytes`, or 0 when not even one sample does. */
export function largestBatchThatFits(
  e: Pick<MemoryEstimate, 'fixedBytes' | 'perSampleBytes'>,
  limitBytes: number,
): number {
  if (e.perSampleBytes === 0) return Number.POSITIVE_INFINITY;
  return Math.max(0, Math.floor((limitBytes - e.fixedBytes) / e.perSampleBytes));
}

export const formatBytes = (bytes: number) =>
  bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
