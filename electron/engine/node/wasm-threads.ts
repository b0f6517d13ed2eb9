import * as tf from '@tensorflow/tfjs';
import * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { ThreadedGlue } from '../core/tfjs-internals';
import { bindBackendFunctions, withPthreadPoolSize } from '../core/tfjs-internals';
import { readThreadedGlue } from './wasm-glue';

/** The threaded build was compiled with a pool of 8 pthread workers and caps XNNPACK's thread pool at 8. */
export const MAX_WASM_THREADS = 8;
/** tfjs-backend-wasm registers itself with this priority; we keep it when we swap the factory. */
const WASM_PRIORITY = 2;

type CWrap = (name: string, returnType: string | null, argTypes: string[]) => (...args: number[]) => number;
interface EmscriptenModule {
  cwrap: CWrap;
  tfjs?: Record<string, unknown>;
}
type ModuleFactory = (options: Record<string, unknown>) => Promise<EmscriptenModule>;

const nodeRequire = createRequire(import.meta.url);
let stockFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | null = null;

/** The glue's `require$$N` module aliases; `os` is replaced so the build sees `2·threads` logical cores. */
function aliasPrelude(glue: ThreadedGlue, requireName: string, threads: number): string {
  return Object.entries(glue.requireAliases)
    .map(([alias, mod]) =>
      mod === 'os'
        ? // The C++ side sizes XNNPACK's pool as min(requested, 8, logical cores / 2), assuming two hyper-threads per core;
          // on a 2-vCPU machine that leaves 1 thread whatever we ask for. Reporting 2·threads cores leaves exactly `threads`.
          `var ${alias} = Object.assign({}, ${requireName}('os'), { cpus: function () { return new Array(${2 * threads}).fill({}); } });`
        : `var ${alias} = ${requireName}(${JSON.stringify(mod)});`,
    )
    .join('\n');
}

/** Held (ref'd) while the module loads, so Node does not exit waiting for them; released once it runs. */
interface WorkerPool {
  started: boolean;
  workers: Worker[];
}

/** Node workers for Emscripten's pthreads, started from our source instead of the `blob:` URL Node cannot load. */
function pthreadWorkerClass(glue: ThreadedGlue, threads: number, pool: WorkerPool) {
  const glueScript = `${aliasPrelude(glue, 'require', threads)}\nvar commonjsGlobal = globalThis;\n${glue.factorySource}`;
  // The package's worker script loads the main glue with importScripts(url); ours evaluates the glue it was handed.
  const source = `${glue.workerSource}\nimportScripts = function () { (0, eval)(require("worker_threads").workerData.glue + "\\n//# sourceURL=tfjs-backend-wasm-threaded-simd.js"); };\n`;
  return class PthreadWorker extends Worker {
    constructor(_scriptUrl: string) {
      super(source, { eval: true, workerData: { glue: glueScript } });
      pool.workers.push(this);
      if (pool.started) this.unref();
    }

    // XNNPACK's threads idle between kernels for the life of the backend: once it runs they must not keep the process alive.
    override ref(): void {
      if (!pool.started) super.ref();
    }
  };
}

/** Instantiates the threaded-SIMD build in this process and wraps it in the package's own BackendWasm. */
async function createThreadedBackend(threads: number): Promise<tf.KernelBackend> {
  const glue = readThreadedGlue();
  const pool: WorkerPool = { started: false, workers: [] };
  const PthreadWorker = pthreadWorkerClass(glue, threads, pool);
  // The build starts 8 pthread workers up front (a Node isolate each, ~8 MiB); XNNPACK uses threads − 1 of them.
  const factorySource = withPthreadPoolSize(glue.factorySource, threads - 1);
  const body = `${aliasPrelude(glue, 'require', threads)}\n${factorySource}\nreturn WasmBackendModuleThreadedSimd;`;
  // `commonjsGlobal` is a scratch object, so the glue's `commonjsGlobal.Worker = …` does not replace anything global here.
  const factory = new Function('require', 'Worker', 'commonjsGlobal', '__filename', '__dirname', body)(
    nodeRequire,
    PthreadWorker,
    {},
    `${glue.distDir}tf-backend-wasm.node.js`,
    glue.distDir,
  ) as ModuleFactory;
  let aborted: string | null = null;
  const module = await factory({
    locateFile: (path: string) =>
      glue.distDir + (path.endsWith('.wasm') ? 'tfjs-backend-wasm-threaded-simd.wasm' : path),
    // Any string: our workers evaluate the glue handed to them rather than loading this.
    mainScriptUrlOrBlob: 'tfjs-backend-wasm-threaded-simd.js',
    onAbort: (what: unknown) => {
      aborted = String(what);
    },
  }).catch((e: unknown) => {
    throw new Error(`the threaded wasm module failed to start: ${aborted ?? (e as Error).message ?? String(e)}`);
  });
  pool.started = true;
  for (const worker of pool.workers) worker.unref();
  module.tfjs = bindBackendFunctions(module);
  wasmBackend.setThreadsCount(threads);
  // The constructor creates XNNPACK's pool (threads − 1 pthreads; the calling thread is the last one).
  return new wasmBackend.BackendWasm(module as never);
}

/** Throws if the wasm backend holds tensors: swapping the backend under them would leave them pointing at freed memory. */
export function assertWasmIdle(): void {
  const live = tf.engine().registry['wasm']?.numDataIds() ?? 0;
  if (live > 0)
    throw new Error(
      `The wasm backend already holds ${live} tensors; choose its thread count once, at start, before any model is built.`,
    );
}

function replaceWasmFactory(factory: () => tf.KernelBackend | Promise<tf.KernelBackend>): void {
  if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
  tf.registerBackend('wasm', factory, WASM_PRIORITY);
}

/**
 * Makes 'wasm' the threaded-SIMD build with `threads` XNNPACK threads (2..8) and switches to it; returns the thread
 * count the module reports. Throws (leaving the stock single-threaded backend registered) when it cannot start.
 */
export async function startThreadedWasm(threads: number): Promise<number> {
  if (!Number.isInteger(threads) || threads < 2 || threads > MAX_WASM_THREADS)
    throw new Error(`wasm threads must be an integer from 2 to ${MAX_WASM_THREADS}, got ${threads}.`);
  assertWasmIdle();
  stockFactory ??= tf.findBackendFactory('wasm');
  const backend = await createThreadedBackend(threads);
  replaceWasmFactory(() => backend);
  if (!(await tf.setBackend('wasm'))) {
    useStockWasm();
    throw new Error('the threaded wasm backend was created but tfjs could not switch to it.');
  }
  return wasmBackend.getThreadsCount();
}

/** Puts the package's own (single-threaded in Node) wasm backend back, if we replaced it. */
export function useStockWasm(): void {
  if (!stockFactory) return;
  assertWasmIdle();
  replaceWasmFactory(stockFactory);
}
