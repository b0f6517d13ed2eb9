import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { assertTfjsVersion } from '../core/tfjs-internals';

const nodeRequire = createRequire(import.meta.url);

/**
 * WebGPU in the engine's own process through Dawn's Node bindings (npm `webgpu`, a prebuilt native dawn.node per
 * platform: Vulkan on Linux, Metal on macOS, D3D12 on Windows) and tfjs-backend-webgpu. Nothing here runs until a
 * caller asks: loading dawn.node and looking for an adapter costs a few milliseconds, creating a device more.
 */

/** A GPU adapter Dawn offers, as the UI and run.json show it. */
export interface GpuAdapter {
  /** What the adapter calls itself and the native API it runs on: "NVIDIA GeForce RTX 4090, Vulkan". */
  name: string;
  vendor: string;
  architecture: string;
  /** A software rasteriser (SwiftShader, llvmpipe, WARP, a fallback or CPU-type adapter): correct, but slow. */
  software: boolean;
  /** Why it counts as software, when it does. */
  softwareWhy: string | null;
  /** The device limits an estimate must respect (bytes). */
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
}

/** An adapter found, or one sentence naming what is missing. */
export type AdapterProbe = { ok: true; adapter: GpuAdapter } | { ok: false; reason: string };

/** The native API Dawn uses by default on each platform. */
const NATIVE_API: Record<string, string> = { linux: 'Vulkan', darwin: 'Metal', win32: 'D3D12' };
/** Drivers that rasterise on the CPU; Dawn reports some of them as ordinary adapters. */
const SOFTWARE_DRIVERS = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

interface DawnAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
  /** Not in the standard; some Dawn builds report 'CPU' / 'discrete GPU' / 'integrated GPU'. */
  adapterType?: string;
  type?: string;
}
interface DawnAdapter {
  info?: DawnAdapterInfo;
  isFallbackAdapter?: boolean;
  features: ReadonlySet<string>;
  limits: Record<string, number>;
  requestDevice(descriptor?: object): Promise<DawnDevice>;
}
interface DawnDevice {
  lost: Promise<{ reason: string; message: string }>;
  destroy(): void;
}
interface Gpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<DawnAdapter | null>;
}

let gpu: Gpu | null = null;
let adapterFound: { adapter: DawnAdapter; report: GpuAdapter } | null = null;
let device: DawnDevice | null = null;
let lost: string | null = null;

/** Loads dawn.node and puts WebGPU's globals and `navigator.gpu` in place (once per process). */
async function loadDawn(): Promise<Gpu> {
  if (gpu) return gpu;
  const dawn = (await import('webgpu')) as unknown as {
    create(flags: string[]): Gpu;
    globals: Record<string, unknown>;
  };
  Object.assign(globalThis, dawn.globals);
  const created = dawn.create([]);
  const nav = (globalThis as { navigator?: object }).navigator;
  // Node 20 has no navigator; Node 21+ (and Electron) define a read-only one, which still takes a new property.
  if (nav) Object.defineProperty(nav, 'gpu', { value: created, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu: created }, configurable: true, writable: true });
  gpu = created;
  return created;
}

/** Why an adapter counts as software, or null for a hardware GPU. */
export function softwareReason(info: DawnAdapterInfo, isFallbackAdapter = false): string | null {
  if (info.isFallbackAdapter || isFallbackAdapter) return 'Dawn marks it as a fallback adapter';
  const type = info.adapterType ?? info.type ?? '';
  if (/^cpu$/i.test(type)) return 'it is a CPU-type adapter';
  const text = `${info.description ?? ''} ${info.device ?? ''} ${info.architecture ?? ''}`;
  const match = SOFTWARE_DRIVERS.exec(text);
  return match ? `${match[0]} renders on the CPU` : null;
}

/** The adapter's name as a person would say it, with the native API: "SwiftShader driver 5.0.0, Vulkan". */
export function adapterName(info: DawnAdapterInfo, platform: string = process.platform): string {
  const own = info.description?.trim() || info.device?.trim() || '';
  const fallback = [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
  return `${own || fallback}, ${NATIVE_API[platform] ?? 'native API'}`;
}

/**
 * Looks for a WebGPU adapter (high-performance preferred), once per process. Never throws: a missing package, a
 * dawn.node that will not load or a machine without a usable driver come back as one sentence.
 */
export async function findAdapter(): Promise<AdapterProbe> {
  if (adapterFound) return { ok: true, adapter: adapterFound.report };
  let g: Gpu;
  try {
    g = await loadDawn();
  } catch (e) {
    return {
      ok: false,
      reason: `WebGPU is unavailable because the webgpu package's native dawn.node for ${process.platform}-${process.arch} did not load (${(e as Error).message.split('\n')[0]}); reinstall the app (npm ci).`,
    };
  }
  let adapter: DawnAdapter | null = null;
  try {
    adapter = await g.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { ok: false, reason: `WebGPU found no adapter: asking Dawn for one failed (${(e as Error).message}).` };
  }
  if (!adapter) {
    const drivers =
      process.platform === 'linux'
        ? 'a Vulkan driver for your GPU (the Vulkan loader libvulkan1 and the vendor’s ICD, e.g. mesa-vulkan-drivers or NVIDIA’s driver)'
        : process.platform === 'darwin'
          ? 'a Metal-capable GPU (macOS 11 or later)'
          : 'a Direct3D 12 GPU driver';
    return {
      ok: false,
      reason: `WebGPU found no adapter: Dawn needs ${drivers}, and none answered on this machine; choose --backend wasm.`,
    };
  }
  const info = adapter.info ?? {};
  const why = softwareReason(info, adapter.isFallbackAdapter);
  const report: GpuAdapter = {
    name: adapterName(info),
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    software: why !== null,
    softwareWhy: why,
    limits: {
      maxBufferSize: adapter.limits.maxBufferSize ?? 0,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize ?? 0,
    },
  };
  adapterFound = { adapter, report };
  return { ok: true, adapter: report };
}

/**
 * Registers tfjs' `webgpu` backend on the found adapter's device (its limits raised to what the adapter allows, as
 * tfjs itself does) and switches to it. Throws one sentence when there is no adapter.
 */
export async function startWebGpu(): Promise<GpuAdapter> {
  const probe = await findAdapter();
  if (!probe.ok) throw new Error(probe.reason);
  if (tf.findBackend('webgpu') && device && !lost) {
    if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not switch to the webgpu backend.');
    return probe.adapter;
  }
  const { adapter } = adapterFound!;
  // After navigator.gpu exists: the package registers its own factory on import, which we replace with ours.
  const pkg = (await import('@tensorflow/tfjs-backend-webgpu')) as unknown as {
    WebGPUBackend: new (device: DawnDevice, info?: DawnAdapterInfo) => tf.KernelBackend;
  };
  const { version } = nodeRequire('@tensorflow/tfjs-backend-webgpu/package.json') as { version: string };
  assertTfjsVersion({ '@tensorflow/tfjs-backend-webgpu': version });
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend(
    'webgpu',
    async () => {
      const l = adapter.limits;
      const wanted = [
        'maxComputeWorkgroupStorageSize',
        'maxComputeWorkgroupsPerDimension',
        'maxStorageBufferBindingSize',
        'maxBufferSize',
        'maxComputeWorkgroupSizeX',
        'maxComputeInvocationsPerWorkgroup',
      ];
      device = await adapter.requestDevice({
        requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
        requiredLimits: Object.fromEntries(wanted.filter((k) => l[k] !== undefined).map((k) => [k, l[k]])),
      });
      lost = null;
      const mine = device;
      void mine.lost.then((info) => {
        if (device !== mine || info.reason === 'destroyed') return;
        lost = `The GPU device was lost (${info.message || info.reason}): the driver reset or the GPU ran out of memory.`;
      });
      return new pkg.WebGPUBackend(device, adapter.info);
    },
    3,
  );
  if (!(await tf.setBackend('webgpu')))
    throw new Error(`tfjs could not start the webgpu backend on ${probe.adapter.name}.`);
  return probe.adapter;
}

/** A sentence when the GPU device was lost since it started (driver reset, out of memory), else null. */
export function deviceLost(): string | null {
  return lost;
}

/** The adapter tfjs' webgpu backend runs on, when it has started. */
export function activeAdapter(): GpuAdapter | null {
  return device && adapterFound ? adapterFound.report : null;
}
