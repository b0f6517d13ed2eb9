import * as tf from '@tensorflow/tfjs';

/*
 * Helpers for this directory's tests (plain module so the test files stay short; no vitest import here).
 */

/** Seeded uniform values in [-1, 1): generated in JS, so identical on every backend. */
export const rand = (shape: number[], seed: number): tf.Tensor => tf.randomUniform(shape, -1, 1, 'float32', seed);

/** Runs `f` on the cpu backend, then on wasm, and returns each run's results as arrays (every tensor disposed). */
export async function onCpuAndWasm(f: () => tf.Tensor | tf.Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  const run = async (backend: string) => {
    if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} did not start`);
    const out = tf.tidy(() => [f()].flat());
    const data = out.map((t) => Float32Array.from(t.dataSync()));
    tf.dispose(out);
    return data;
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  return [cpu, wasm];
}

/**
 * The largest difference between matching arrays, relative to each reference array's largest magnitude (at least 1):
 * float32 sums in a different order differ by a few ulps of the largest terms, not of each element.
 */
export function maxRelativeDiff(expected: Float32Array[], actual: Float32Array[]): number {
  if (expected.length !== actual.length) return Infinity;
  let worst = 0;
  expected.forEach((x, i) => {
    const y = actual[i]!;
    if (y.length !== x.length) worst = Infinity;
    const scale = Math.max(1e-6, ...Array.from(x, Math.abs));
    for (let k = 0; k < x.length; k++) worst = Math.max(worst, Math.abs(x[k]! - y[k]!) / scale);
  });
  return worst;
}

export { wasmDataIds } from '../tfjs-internals';
