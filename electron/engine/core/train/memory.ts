import * as tf from '@tensorflow/tfjs';
import type { GraphDocument } from '../../../../graph-schemas';
import { now } from './clock';
import { GanTrainer } from './trainer';
import type { BatchSource, RandomSource } from './rng-source';

export interface MemoryEstimate {
  /** Bytes that do not grow with the batch: weights, Adam moments, the backend's own. */
  fixedBytes: number;
  /** Bytes per sample of the batch at the iteration's peak (forward activations kept for backward, attention). */
  perSampleBytes: number;
  /** Peak bytes of one iteration at the document's batch size. */
  peakBytes: number;
  /** Milliseconds of one iteration at the document's batch size, extrapolated from the probe. */
  msPerIteration: number;
}

const constant = (shape: [number, number, number]): BatchSource => ({
  next: (b) => ({ images: new Float32Array(b * shape[0] * shape[1] * shape[2]), labels: new Int32Array(b), shape: [b, ...shape] }),
  getState: () => null,
  setState: () => {},
});

const zeros: RandomSource = { normal: (n) => new Float32Array(n), ints: (n) => new Int32Array(n), getState: () => null, setState: () => {} };

/**
 * Measures, rather than guesses, what one training iteration costs: runs throwaway iterations at batch 1 and 2
 * with tf.profile, and extrapolates peak memory and time linearly to the document's batch size.
 */
export async function estimateIteration(doc: GraphDocument): Promise<MemoryEstimate> {
  const shape: [number, number, number] = [doc.dataset.imageSize, doc.dataset.imageSize, doc.dataset.channels];
  const probe = async (batch: number) => {
    const trainer = new GanTrainer({ ...doc, training: { ...doc.training, batchSize: batch, ema: { ...doc.training.ema, enabled: false } } }, constant(shape), zeros, zeros);
    try {
      trainer.iterate(); // first run pays for kernel setup
      const started = now();
      const info = await tf.profile(() => {
        trainer.iterate();
      });
      return { peak: info.peakBytes, ms: now() - started };
    } finally {
      trainer.dispose();
    }
  };
  const one = await probe(1);
  const two = await probe(2);
  const perSampleBytes = Math.max(0, two.peak - one.peak);
  const fixedBytes = Math.max(0, one.peak - perSampleBytes);
  const perSampleMs = Math.max(0, two.ms - one.ms);
  const b = doc.training.batchSize;
  return { fixedBytes, perSampleBytes, peakBytes: fixedBytes + b * perSampleBytes, msPerIteration: one.ms - perSampleMs + b * perSampleMs };
}

/** The largest batch whose iteration fits in `limitBytes`, or 0 when not even one sample does. */
export function largestBatchThatFits(e: MemoryEstimate, limitBytes: number): number {
  if (e.perSampleBytes === 0) return Number.POSITIVE_INFINITY;
  return Math.max(0, Math.floor((limitBytes - e.fixedBytes) / e.perSampleBytes));
}

export const formatBytes = (bytes: number) => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`);
