import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { registerWasmTrainingKernels } from '../core/kernels/register';
import { wasmDistDir } from './wasm-glue';
import { assertWasmIdle, MAX_WASM_THREADS, startThreadedWasm, useStockWasm } from './wasm-threads';
import type { BackendRequestChoice } from '../../../graph-schemas/api/training-contract';
import { BackendRequestSchema } from '../../../graph-schemas/api/training-contract';
import type { AdapterProbe, GpuAdapter } from './webgpu';

export type BackendRequest = BackendRequestChoice;
export const BACKEND_REQUESTS: readonly BackendRequest[] = BackendRequestSchema.options;

export interface BackendReport {
  name: 'tensorflow-gpu' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
  /** Why this backend, in a sentence for logs and the UI. */
  reason: string;
  /** Compute threads: XNNPACK's pool on wasm, 1 on cpu and webgpu, the machine's cores for native TensorFlow. */
  threads: number;
  /** WebAssembly SIMD in use (wasm); native TensorFlow vectorises on its own and reports true. */
  simd: boolean;
  warnings: string[];
  /** On webgpu: the adapter it runs on ("NVIDIA GeForce RTX 4090, Vulkan"), software or not, and its limits. */
  adapter?: GpuAdapter;
}

export interface SelectBackendOptions {
  requested?: BackendRequest;
  /** wasm threads (default: the cores this process may use, see usableCores; at most 8). */
  threads?: number;
  log?: (msg: string) => void;
}

/** How an optional package import went: loaded, not installed, or installed but broken. */
export type OptionalImport = { status: 'loaded' } | { status: 'missing' } | { status: 'failed'; message: string };

/** Seams for tests: how optional native packages are imported, and how a backend's speed is measured. */
export interface BackendDeps {
  importOptional: (pkg: string) => Promise<OptionalImport>;
  /** Milliseconds of one probe step on the active backend (default: measureProbeStep). */
  measure?: () => Promise<number>;
  /** How a WebGPU adapter is found and tfjs' webgpu backend started on it (default: ./webgpu, Dawn). */
  webgpu?: WebGpuDeps;
}

export interface WebGpuDeps {
  find(): Promise<AdapterProbe>;
  /** Starts tfjs' webgpu backend on the found adapter and switches to it. */
  start(): Promise<GpuAdapter>;
}

/** Dawn through npm `webgpu`, loaded only when a webgpu backend is considered. */
const dawnWebGpu: WebGpuDeps = {
  find: async () => (await import('./webgpu')).findAdapter(),
  start: async () => (await import('./webgpu')).startWebGpu(),
};

const NATIVE_PACKAGES = [
  ['@tensorflow/tfjs-node-gpu', 'tensorflow-gpu'],
  ['@tensorflow/tfjs-node', 'tensorflow'],
] as const;
const CPU_WARNING =
  'The pure-JavaScript cpu backend is far too slow to train anything but tiny models (SAGAN-32 takes over 10 minutes per iteration); install @tensorflow/tfjs-node or let the app use wasm.';

let current: { report: BackendReport; requested: BackendRequest; threads: number } | null = null;

const readText = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

/**
 * The cores this process may really use: os.availableParallelism() (the CPUs it may run on) capped by a cgroup CPU
 * quota, which containers and CI runners often set below the CPUs they show (cgroup v2 cpu.max, or v1
 * cpu.cfs_quota_us / cpu.cfs_period_us). More compute threads than that only make XNNPACK's threads wait on each
 * other. A fractional quota rounds down (at least 1).
 */
export function usableCores(
  read: (path: string) => string | null = readText,
  cpus: number = availableParallelism(),
): number {
  let quota: number | null = null;
  const v2 = read('/sys/fs/cgroup/cpu.max')?.trim().split(/\s+/);
  if (v2 && v2[0] !== 'max' && Number(v2[0]) > 0 && Number(v2[1]) > 0) quota = Number(v2[0]) / Number(v2[1]);
  if (quota === null) {
    const q = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us')?.trim());
    const p = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_period_us')?.trim());
    if (q > 0 && p > 0) quota = q / p;
  }
  return quota === null ? cpus : Math.max(1, Math.min(cpus, Math.floor(quota)));
}

/** Imports a package the user may have installed; the specifier is not a literal, so bundlers and tsc never require it. */
export async function importOptional(pkg: string): Promise<OptionalImport> {
  try {
    await import(/* @vite-ignore */ pkg);
    return { status: 'loaded' };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const notFound = err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND';
    // A missing dependency *of* an installed package is a broken install, not "not installed".
    if (notFound && (err.message ?? '').includes(`'${pkg}'`)) return { status: 'missing' };
    return { status: 'failed', message: err.message ?? String(e) };
  }
}

/**
 * Picks and starts the compute backend, once, at start: when the user installed native TensorFlow (tfjs-node-gpu,
 * then tfjs-node) and wasm also runs, whichever of the two measures faster on a probe step; else whichever of them
 * runs (wasm with our training kernels and `threads` threads), and the pure-JS cpu backend only as a last resort. An explicit request that cannot be met fails with what to install.
 */
export async function selectBackend(opts: SelectBackendOptions = {}): Promise<BackendReport> {
  const requested = opts.requested ?? 'auto';
  const sameBackend =
    current && (requested === 'auto' || current.requested === requested || current.report.name.startsWith(requested));
  const sameThreads =
    current && (opts.threads === undefined || current.threads === opts.threads || current.report.name !== 'wasm');
  if (current && sameBackend && sameThreads) return current.report;
  const report = await selectBackendWith(opts, { importOptional, measure: measureProbeStep, webgpu: dawnWebGpu });
  current = { report, requested, threads: report.name === 'wasm' ? (opts.threads ?? usableCores()) : report.threads };
  return report;
}

/** Whether a backend can run here, with the GPU adapter's name or what is missing (the Train dialog lists these). */
export interface BackendAvailability {
  backend: 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';
  available: boolean;
  /** "SwiftShader driver 5.0.0, Vulkan (software)", "@tensorflow/tfjs-node-gpu", or why it cannot run. */
  detail: string;
}

/** The backends that can run here: looks for a WebGPU adapter and an installed tfjs-node, starting neither. */
export async function availableBackends(
  deps: Pick<BackendDeps, 'importOptional' | 'webgpu'> = { importOptional, webgpu: dawnWebGpu },
): Promise<BackendAvailability[]> {
  const probe = await (deps.webgpu ?? dawnWebGpu).find();
  let native: string | null = null;
  for (const [pkg] of NATIVE_PACKAGES)
    if (!native && (await deps.importOptional(pkg)).status === 'loaded') native = pkg;
  return [
    probe.ok
      ? {
          backend: 'webgpu',
          available: true,
          detail: `${probe.adapter.name}${probe.adapter.software ? ' (software, slow)' : ''}`,
        }
      : { backend: 'webgpu', available: false, detail: probe.reason },
    native
      ? { backend: 'tensorflow', available: true, detail: native }
      : { backend: 'tensorflow', available: false, detail: 'tfjs-node is not installed' },
    { backend: 'wasm', available: true, detail: 'SIMD and threads' },
    { backend: 'cpu', available: true, detail: 'slow, for checks' },
  ];
}

/** selectBackend without its once-per-process memory, with the optional imports injectable (tests). */
export async function selectBackendWith(opts: SelectBackendOptions, deps: BackendDeps): Promise<BackendReport> {
  const requested = opts.requested ?? 'auto';
  if (!BACKEND_REQUESTS.includes(requested))
    throw new Error(`Unknown backend "${String(requested)}": choose one of ${BACKEND_REQUESTS.join(', ')}.`);
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1))
    throw new Error(`threads must be a whole number of at least 1, got ${opts.threads}.`);
  const report = await choose(
    requested,
    { count: opts.threads ?? usableCores(), explicit: opts.threads !== undefined },
    deps,
  );
  opts.log?.(`Compute backend: ${report.name} (${report.reason})`);
  for (const w of report.warnings) opts.log?.(`Warning: ${w}`);
  return report;
}

async function choose(requested: BackendRequest, threads: ThreadRequest, deps: BackendDeps): Promise<BackendReport> {
  const warnings: string[] = [];
  let native: BackendReport | null = null;
  if (requested === 'auto' || requested === 'tensorflow') {
    for (const [pkg, name] of NATIVE_PACKAGES) {
      const outcome = await deps.importOptional(pkg);
      if (outcome.status === 'failed') warnings.push(`${pkg} is installed but failed to load: ${outcome.message}`);
      if (outcome.status !== 'loaded') continue;
      if (await switchTo('tensorflow')) {
        native = {
          name,
          reason: `${pkg} is installed: native TensorFlow${name === 'tensorflow-gpu' ? ' with CUDA' : ''}`,
          threads: usableCores(),
          simd: true,
          warnings,
        };
        break;
      }
      warnings.push(
        `${pkg} loaded but registered no "tensorflow" backend with this app's tfjs ${tf.version.tfjs}; install the matching version: npm install ${pkg}@${tf.version.tfjs}`,
      );
    }
    if (requested === 'tensorflow') {
      if (native) return native;
      throw new Error(
        `The tensorflow backend needs @tensorflow/tfjs-node (CPU) or @tensorflow/tfjs-node-gpu (CUDA 11.2 + cuDNN 8.1): run \`npm install @tensorflow/tfjs-node@${tf.version.tfjs}\` in the app folder, or choose the wasm backend.${warnings.length ? ` (${warnings.join('; ')})` : ''}`,
      );
    }
  }
  const gpuDeps = deps.webgpu ?? dawnWebGpu;
  if (requested === 'webgpu') return startGpu(gpuDeps, warnings, 'webgpu requested');
  let gpu: BackendReport | null = null;
  let noGpu = '';
  if (requested === 'auto') {
    const probe = await gpuDeps.find();
    if (!probe.ok) noGpu = 'no WebGPU adapter';
    else if (probe.adapter.software)
      noGpu = `WebGPU offers only a software adapter (${probe.adapter.name}: ${probe.adapter.softwareWhy}), far slower than wasm and used only when asked for by name (--backend webgpu)`;
    else
      try {
        gpu = await startGpu(gpuDeps, warnings, 'a WebGPU adapter is here');
      } catch (e) {
        noGpu = `WebGPU on ${probe.adapter.name} could not start`;
        warnings.push(`WebGPU on ${probe.adapter.name} could not start: ${(e as Error).message}`);
      }
  }
  if (requested === 'auto' || requested === 'wasm') {
    assertWasmIdle(); // outside the try: live tensors are the caller's mistake, not a reason to fall back to cpu
    let wasmReport: BackendReport | null = null;
    try {
      const started = await startWasm(threads, warnings);
      const why =
        requested === 'wasm' ? 'wasm requested' : ['tfjs-node not installed', noGpu].filter(Boolean).join(', ');
      wasmReport = {
        name: 'wasm',
        reason: `${why}; using wasm with ${started.threads} thread${started.threads === 1 ? '' : 's'}${started.simd ? ', SIMD' : ', no SIMD'}`,
        threads: started.threads,
        simd: started.simd,
        warnings,
      };
    } catch (e) {
      const message = (e as Error).message;
      if (requested === 'wasm')
        throw new Error(
          `The wasm backend could not start: ${message} Reinstall the app's dependencies (npm ci restores @tensorflow/tfjs-backend-wasm ${wasm.version_wasm}), or choose the cpu backend.`,
        );
      warnings.push(`wasm could not start: ${message}`);
    }
    if (wasmReport) return native || gpu ? fastest([native, gpu, wasmReport], deps) : wasmReport;
  }
  if (gpu && (await switchTo('webgpu'))) return gpu;
  if (native && (await switchTo('tensorflow'))) return native;
  if (!(await tf.setBackend('cpu'))) throw new Error('Not even the cpu backend could start; reinstall the app.');
  const reason =
    requested === 'cpu'
      ? 'cpu requested'
      : 'neither native TensorFlow nor wasm could start; using the pure-JavaScript cpu backend';
  return { name: 'cpu', reason, threads: 1, simd: false, warnings: [...warnings, CPU_WARNING] };
}

/** tfjs' name for a backend we report under another (tensorflow-gpu is tfjs-node-gpu's 'tensorflow'). */
const tfjsName = (r: BackendReport) => (r.name === 'tensorflow-gpu' ? 'tensorflow' : r.name);

/**
 * Several backends run here (wasm always, with native TensorFlow and/or a hardware WebGPU adapter): times the same
 * probe step on each and keeps the fastest. A GPU is usually faster, but not always (a tfjs-node built without AVX,
 * a weak integrated GPU, a slow driver), so we measure rather than assume. wasm is measured last and is the default.
 */
async function fastest(candidates: (BackendReport | null)[], deps: BackendDeps): Promise<BackendReport> {
  const measure = deps.measure ?? measureProbeStep;
  const wasmReport = candidates[candidates.length - 1]!;
  const timed: { report: BackendReport; ms: number }[] = [];
  const failures: string[] = [];
  for (const report of candidates) {
    if (!report) continue;
    try {
      if (!(await switchTo(tfjsName(report)))) throw new Error('tfjs could not switch to it');
      timed.push({ report, ms: await measure() });
    } catch (e) {
      if (report === wasmReport) throw e;
      const who = report.adapter ? `WebGPU on ${report.adapter.name} started but` : `${report.name} was installed but`;
      failures.push(`${who} failed a probe step (${(e as Error).message}); not using it.`);
    }
  }
  const figures = timed.map((t) => `${t.report.name} ${t.ms.toFixed(1)} ms`).join(', ');
  const best = timed.reduce((a, b) => (b.ms < a.ms ? b : a));
  await tf.setBackend(tfjsName(best.report));
  const warnings = [...wasmReport.warnings, ...failures];
  if (timed.length === 1) return { ...wasmReport, warnings };
  if (best.report !== wasmReport)
    return { ...best.report, warnings, reason: `${best.report.reason}, measured fastest (${figures} per probe step)` };
  const slower = timed
    .filter((t) => t.report !== wasmReport)
    .map((t) => (t.report.adapter ? `WebGPU on ${t.report.adapter.name}` : packageOf(t.report)));
  const be = slower.length === 1 && !timed.some((t) => t.report.adapter) ? 'is installed but ' : '';
  return {
    ...wasmReport,
    warnings,
    reason: `${slower.join(' and ')} ${be}measured slower here (${figures} per probe step); using wasm with ${wasmReport.threads} thread${wasmReport.threads === 1 ? '' : 's'}${wasmReport.simd ? ', SIMD' : ', no SIMD'}`,
  };
}

const packageOf = (r: BackendReport) =>
  r.name === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';

/** Starts tfjs' webgpu backend on the adapter Dawn found; without one, throws the sentence naming what is missing. */
async function startGpu(gpu: WebGpuDeps, warnings: string[], why: string): Promise<BackendReport> {
  const adapter = await gpu.start();
  if (adapter.software)
    warnings.push(
      `${adapter.name} is a software adapter (${adapter.softwareWhy}): it computes correctly but far slower than wasm; use it for testing only.`,
    );
  return {
    name: 'webgpu',
    reason: `${why}; using WebGPU on ${adapter.name}`,
    threads: 1,
    simd: false,
    warnings,
    adapter,
  };
}

/**
 * Milliseconds of one small training-like step (a 3×3 convolution with both gradients, and a matrix product) on the
 * active backend: the best of three after a warm-up, so kernel setup and a busy moment do not decide.
 */
export async function measureProbeStep(): Promise<number> {
  const x = tf.randomUniform([4, 16, 16, 32], -1, 1, 'float32', 1) as tf.Tensor4D;
  const w = tf.randomUniform([3, 3, 32, 32], -1, 1, 'float32', 2) as tf.Tensor4D;
  // Waits for the results (an asynchronous read: GPU backends cannot read synchronously), so the time is real work.
  const step = async () => {
    const out = tf.tidy(() => [
      ...tf.grads((a, b) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'))))([x, w]),
      tf.matMul(x.reshape([-1, 32]), w.reshape([-1, 32]), false, true),
    ]);
    await Promise.all(out.map((t) => t.data()));
    tf.dispose(out);
  };
  try {
    await step();
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await step();
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  } finally {
    tf.dispose([x, w]);
  }
}

/** Threads wanted, and whether the user chose the number (else it is the machine's core count). */
interface ThreadRequest {
  count: number;
  explicit: boolean;
}

/** tf.setBackend, but false (not an exception) for a backend nobody registered. */
async function switchTo(name: string): Promise<boolean> {
  return Boolean(tf.findBackendFactory(name)) && tf.setBackend(name);
}

/** Starts wasm with the threaded-SIMD build when more than one thread is wanted and it runs here, else the stock build. */
async function startWasm(threads: ThreadRequest, warnings: string[]): Promise<{ threads: number; simd: boolean }> {
  registerWasmTrainingKernels();
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  let wanted = Math.min(threads.count, MAX_WASM_THREADS);
  // Only a count the user chose deserves a warning; the default (all cores) is capped silently.
  if (threads.explicit && threads.count > MAX_WASM_THREADS)
    warnings.push(
      `The wasm build supports at most ${MAX_WASM_THREADS} threads; using ${MAX_WASM_THREADS} of the ${threads.count} asked for.`,
    );
  if (wanted > 1 && !simd) {
    warnings.push('This runtime lacks WebAssembly SIMD, which the threaded wasm build needs; using 1 thread.');
    wanted = 1;
  }
  let running = 0;
  if (wanted > 1) {
    try {
      running = await startThreadedWasm(wanted);
    } catch (e) {
      warnings.push(`wasm threads could not start (${(e as Error).message}); using 1 thread.`);
    }
  }
  if (running === 0) {
    useStockWasm();
    wasm.setWasmPaths(wasmDistDir());
    if (!(await tf.setBackend('wasm')))
      throw new Error('tfjs could not initialise the wasm backend (see the warning above).');
    running = wasm.getThreadsCount();
  }
  return { threads: running, simd };
}
