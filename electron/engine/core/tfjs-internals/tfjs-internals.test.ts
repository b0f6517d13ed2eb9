import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../node/backend';
import { ADDED_WASM_KERNELS, REPLACED_WASM_KERNELS } from '../kernels/register';
import {
  assertTfjsVersion,
  bindBackendFunctions,
  extractThreadedGlue,
  gradientTape,
  observeBuffers,
  observeKernels,
  stockWasmKernel,
  TFJS_VERSION,
  wasmBackendOf,
  wasmDataIds,
  wasmHeapBytes,
  withPthreadPoolSize,
} from '.';

/*
 * One test per seam where the engine reaches past tfjs' public API. Each asserts what the seam relies on, so that a
 * tfjs upgrade that changes it fails here, by name, rather than somewhere deep in a training run.
 */

beforeAll(async () => {
  await selectBackend({ requested: 'wasm', threads: 1 });
});

describe('tfjs internals', () => {
  it('version: every tfjs package is the pinned release the seams were written for', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../../../package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const name of ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-layers'])
      expect(pkg.dependencies[name], name).toBe(TFJS_VERSION);
    expect(pkg.dependencies['@tensorflow/tfjs-backend-wasm']).toBe(TFJS_VERSION);
    expect(() => assertTfjsVersion({ '@tensorflow/tfjs-backend-wasm': wasm.version_wasm })).not.toThrow();
    expect(() => assertTfjsVersion({ '@tensorflow/tfjs-backend-webgpu': '4.23.0' })).toThrow(
      /relies on internals of tfjs 4\.22\.0 .* this install has @tensorflow\/tfjs-backend-webgpu 4\.23\.0\. Run `npm ci`/,
    );
  });

  it('tape: a kernel run under the tape leaves a node with its id, name, inputs, outputs, saved tensors and gradient', () => {
    const tape = gradientTape();
    expect(tape.state.gradientDepth).toBe(0);
    const x = tf.variable(tf.tensor1d([1, -2, 3]), true, `tape_x_${Math.random()}`);
    const y = tape.scopedRun(
      () => tape.startTape(),
      () => tape.endTape(),
      () => tape.tidy('forward', () => tf.sum(tf.relu(x))),
    );
    const nodes = tape.state.activeTape ?? [];
    tape.state.activeTape = null;
    const relu = nodes.find((n) => n.kernelName === 'Relu')!;
    expect(relu).toBeDefined();
    expect(typeof relu.id).toBe('number');
    expect(relu.inputs.x!.id).toBe(x.id);
    expect(relu.outputs).toHaveLength(1);
    expect(relu.saved?.length).toBeGreaterThan(0);
    const dx = relu.gradient!([tf.onesLike(relu.outputs[0]!)]).x!();
    expect(Array.from(dx.dataSync())).toEqual([1, 0, 1]);
    const mark = tape.nextTensorId();
    expect(tf.scalar(0).id).toBeGreaterThan(mark);
    tf.dispose([x, y, dx, ...nodes.flatMap((n) => n.saved ?? [])]);
  });

  it('kernel calls: every kernel passes through the wrapper with its name, inputs and attributes', async () => {
    const seen: string[] = [];
    const x = tf.ones([1, 4, 4, 2]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 2, 1]) as tf.Tensor4D;
    await observeKernels(
      (call, run) => {
        seen.push(`${call.kernelName}:${Object.keys(call.inputs ?? {}).join(',')}:${String(call.attrs?.pad ?? '')}`);
        return run();
      },
      () => tf.dispose(tf.conv2d(x, w, 1, 'same')),
    );
    expect(seen).toContain('Conv2D:x,filter:same');
    expect(Object.prototype.hasOwnProperty.call(tf.engine(), 'runKernelFunc')).toBe(false);
    tf.dispose([x, w]);
  });

  it('buffers: wasm makes and frees each buffer through move and disposeData, a shared one once', () => {
    const made: number[] = [];
    let freed = 0;
    const restore = observeBuffers({ allocated: (_id, bytes) => made.push(bytes), freed: () => freed++ })!;
    expect(restore).not.toBeNull();
    try {
      const x = tf.zeros([256, 256]); // 256 KiB
      const views = [x.reshape([65536]), x.clone()];
      tf.dispose([x, ...views]);
    } finally {
      restore();
    }
    expect(made).toEqual([256 * 1024]);
    expect(freed).toBe(1);
  });

  it('wasm backend: heap views, memory offsets, the tensor table and the stock kernels we replace or add', () => {
    const backend = wasmBackendOf(tf.backend());
    const x = tf.tensor1d([1, 2, 3, 4]);
    const view = backend.makeOutput([2], 'float32', backend.getMemoryOffset(x.dataId) + 8);
    expect(Array.from(backend.typedArrayFromHeap(view))).toEqual([3, 4]);
    const entry = backend.dataIdMap.get(view.dataId)!;
    backend.wasm.tfjs.disposeData(entry.id);
    backend.dataIdMap.delete(view.dataId);
    expect(wasmDataIds()).toBeGreaterThan(0);
    expect(wasmHeapBytes()).toBeGreaterThan(0);
    x.dispose();
    // 4.22 has each kernel we replace (with the setup our fallbacks rely on) and lacks each we add.
    for (const name of REPLACED_WASM_KERNELS) expect(stockWasmKernel(name), name).not.toBeNull();
    for (const name of ['BatchMatMul', 'Conv2DBackpropInput', 'Sum', 'Mean', 'AvgPoolGrad'])
      expect(stockWasmKernel(name)?.setupFunc, name).toBeTypeOf('function');
    for (const name of ADDED_WASM_KERNELS) {
      expect(stockWasmKernel(name), name).toBeNull();
      expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
    }
  });

  it('wasm glue: the threaded-SIMD factory, its pool size, module aliases and worker script cut out of the bundle', () => {
    const path = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    const glue = extractThreadedGlue(readFileSync(path, 'utf8'), path);
    expect(glue.version).toBe(TFJS_VERSION);
    expect(glue.factorySource).toContain('var WasmBackendModuleThreadedSimd = ');
    expect(withPthreadPoolSize(glue.factorySource, 3)).toContain('var pthreadPoolSize = 3;');
    expect(Object.values(glue.requireAliases)).toEqual(expect.arrayContaining(['os']));
    expect(glue.workerSource).toContain('importScripts');
    const names: string[] = [];
    bindBackendFunctions({ cwrap: (name) => (names.push(name), () => 0) });
    expect(names).toEqual([
      'init',
      'init_with_threads_count',
      'get_threads_count',
      'register_tensor',
      'dispose_data',
      'dispose',
    ]);
    expect(() => extractThreadedGlue('var x = 1;', path)).toThrow(
      /Cannot enable wasm threads: the threaded-SIMD module factory was not found/,
    );
  });
});
