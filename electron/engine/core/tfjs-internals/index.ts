/*
 * Every place SAGAN Studio reaches past tfjs' public API, in one module, behind one version check (version.ts).
 * Each seam has a test in tfjs-internals.test.ts that fails loudly when an upgrade changes what it relies on:
 * - tape.ts: tfjs-core's gradient tape, driven by frugalVariableGrads to free memory during the backward pass;
 * - kernel-calls.ts: the engine's runKernelFunc, wrapped to count FLOPs and sample memory per kernel;
 * - buffers.ts: the wasm/cpu backends' move and disposeData, wrapped to count real buffers;
 * - wasm-backend.ts: BackendWasm's heap and tensor table, used by our wasm training kernels, and the replacement
 *   of stock wasm kernels (keeping their setup functions);
 * - wasm-glue.ts: the threaded-SIMD Emscripten glue cut out of tfjs-backend-wasm's Node bundle.
 */
export { gradientTape } from './tape';
export type { GradientTape, TapeNode } from './tape';
export { observeKernels } from './kernel-calls';
export type { KernelCall } from './kernel-calls';
export { observeBuffers } from './buffers';
export type { BufferEvents } from './buffers';
export { replaceWasmKernel, stockWasmKernel, wasmBackendOf, wasmDataIds, wasmHeapBytes } from './wasm-backend';
export type { WasmBackendLike } from './wasm-backend';
export { bindBackendFunctions, extractThreadedGlue, withPthreadPoolSize } from './wasm-glue';
export type { ThreadedGlue } from './wasm-glue';
export { assertTfjsVersion, TFJS_VERSION } from './version';
