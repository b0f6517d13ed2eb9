import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { registerWasmTrainingKernels } from '../core/kernels/register';

export type BackendRequest = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendReport {
  name: 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
  reason: string;
  threads: number;
  simd: boolean;
  warnings: string[];
}

const require = createRequire(import.meta.url);
let current: BackendReport | null = null;

/** Loads a package the user may have installed; the name is not a literal, so bundlers and tsc do not require it. */
async function optional(name: string): Promise<boolean> {
  try {
    await import(/* @vite-ignore */ name);
    return true;
  } catch {
    return false;
  }
}

async function useWasm(threads: number): Promise<BackendReport> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
  wasm.setThreadsCount(threads);
  if (!(await tf.setBackend('wasm'))) throw new Error('The wasm backend failed to start.');
  registerWasmTrainingKernels();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const multi = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return { name: 'wasm', reason: '', threads: multi ? threads : 1, simd: Boolean(simd), warnings: [] };
}

/**
 * Picks and starts the compute backend once per process: native TensorFlow (tfjs-node-gpu, then tfjs-node)
 * when the user installed it, else WebAssembly with our training kernels, and the pure-JS cpu backend only as a
 * last resort. An explicit request that cannot be met fails with what to install.
 */
export async function selectBackend(opts: { requested?: BackendRequest; threads?: number } = {}): Promise<BackendReport> {
  const requested = opts.requested ?? 'auto';
  if (current && (requested === 'auto' || current.name.startsWith(requested))) return current;
  const threads = Math.max(1, opts.threads ?? availableParallelism());
  if (requested === 'auto' || requested === 'tensorflow') {
    for (const [pkg, name] of [['@tensorflow/tfjs-node-gpu', 'tensorflow-gpu'], ['@tensorflow/tfjs-node', 'tensorflow']] as const) {
      if ((await optional(pkg)) && (await tf.setBackend('tensorflow'))) {
        return (current = { name, reason: `${pkg} is installed: native TensorFlow`, threads, simd: true, warnings: [] });
      }
    }
    if (requested === 'tensorflow') {
      throw new Error('The tensorflow backend needs @tensorflow/tfjs-node (CPU) or @tensorflow/tfjs-node-gpu (CUDA 11.2, cuDNN 8.1): run `npm install @tensorflow/tfjs-node` in the app folder, or use --backend wasm.');
    }
  }
  if (requested === 'auto' || requested === 'wasm') {
    try {
      const report = await useWasm(threads);
      report.reason = `${requested === 'wasm' ? 'requested' : 'tfjs-node not installed'}; WebAssembly${report.simd ? ' with SIMD' : ''}, ${report.threads} thread${report.threads === 1 ? '' : 's'}`;
      return (current = report);
    } catch (e) {
      if (requested === 'wasm') throw new Error(`The wasm backend could not start: ${(e as Error).message}`);
    }
  }
  await tf.setBackend('cpu');
  return (current = {
    name: 'cpu',
    reason: requested === 'cpu' ? 'requested' : 'neither native TensorFlow nor WebAssembly could start',
    threads: 1,
    simd: false,
    warnings: ['The pure-JavaScript cpu backend is far too slow to train anything but tiny models; install @tensorflow/tfjs-node or use the wasm backend.'],
  });
}
