import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron, distDir, repoRoot } from './build-electron';
import { buildRendererIfStale } from './build-renderer';
import { readManifest } from './engine-bundle';
import { probeEngine } from './engine-probe';
import { CONFIG_FILE } from './validate-builder-config';

/**
 * `npm run dist -- --dir` for real: electron-builder with our configuration on this repository, after
 * build:electron (dist/electron and dist/engine are rebuilt, as npm run dist does). Electron's binary cannot be
 * downloaded here, so a stub Electron distribution stands in for it: what is checked is the app folder
 * electron-builder makes, not Electron. (electron-builder collects the production dependencies with npm from the
 * project's own node_modules, so the project cannot be a copy with a linked node_modules.)
 */
let stub: string;
/** Outside the repository: nothing above the app folder has a node_modules it could fall back on. */
let output: string;
let app: string;

/** The files electron-builder copies from an unpacked Electron for a Linux app; the executable only prints. */
function stubElectronDist(dir: string): string {
  mkdirSync(join(dir, 'locales'), { recursive: true });
  mkdirSync(join(dir, 'resources'));
  writeFileSync(join(dir, 'electron'), '#!/bin/sh\necho "stub Electron: not the real binary"\n');
  chmodSync(join(dir, 'electron'), 0o755);
  for (const file of [
    'LICENSE',
    'LICENSES.chromium.html',
    'chrome-sandbox',
    'locales/en-US.pak',
    'resources/default_app.asar',
  ])
    writeFileSync(join(dir, file), '');
  writeFileSync(join(dir, 'version'), '40.8.5');
  return dir;
}

beforeAll(async () => {
  stub = stubElectronDist(mkdtempSync(join(tmpdir(), 'sagan-electron-stub-')));
  output = mkdtempSync(join(tmpdir(), 'sagan-dist-out-'));
  buildRendererIfStale(); // npm run dist builds the renderer first; a clean clone has none
  await buildElectron(distDir);
  const builder = spawnSync(
    process.execPath,
    [
      join(repoRoot, 'node_modules', 'electron-builder', 'cli.js'),
      '--projectDir',
      repoRoot,
      '--config',
      join(repoRoot, CONFIG_FILE),
      '--linux',
      '--dir',
      `-c.electronDist=${stub}`,
      `-c.directories.output=${output}`,
    ],
    { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, CI: '1' } },
  );
  if (builder.status !== 0) throw new Error(`electron-builder failed:\n${builder.stdout}\n${builder.stderr}`);
  app = join(output, 'linux-unpacked', 'resources', 'app');
}, 300_000);
afterAll(() => {
  for (const dir of [stub, output]) rmSync(dir, { recursive: true, force: true });
});

describe('npm run dist -- --dir', () => {
  it('makes an app folder with the bundles, the tfjs wasm binaries, its own dawn.node, and no TypeScript or esbuild', () => {
    expect(existsSync(join(output, 'linux-unpacked', 'sagan-studio'))).toBe(true);
    for (const file of [
      'package.json',
      'dist/electron/main.cjs',
      'dist/electron/preload.cjs',
      'dist/renderer/index.html',
    ])
      expect(existsSync(join(app, file)), file).toBe(true);
    for (const bundle of readManifest(join(app, 'dist', 'engine')).bundles)
      expect(existsSync(join(app, 'dist', 'engine', bundle.out)), bundle.out).toBe(true);
    expect(
      existsSync(join(app, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm')),
    ).toBe(true);
    for (const gone of ['tsx', 'esbuild', '@esbuild', 'react', 'zod', 'electron'])
      expect(existsSync(join(app, 'node_modules', gone)), gone).toBe(false);
    // Linux's own Dawn builds only (the afterPack hook removes the other platforms').
    const dawn = join(app, 'node_modules', 'webgpu', 'dist');
    expect(existsSync(join(dawn, 'linux-x64', 'dawn.node'))).toBe(true);
    for (const foreign of ['darwin-universal', 'win32-x64', 'win32-arm64'])
      expect(existsSync(join(dawn, foreign)), foreign).toBe(false);
    // No sources: the app runs JavaScript only.
    for (const source of ['electron', 'graph-schemas', 'renderer'])
      expect(existsSync(join(app, source)), source).toBe(false);
  });

  it("the app folder's engine starts in plain Node, without tsx, and trains one iteration in its worker", async () => {
    const { info, estimate } = await probeEngine(join(app, 'dist', 'engine', 'engine-process.mjs'), { estimate: true });
    expect(info.kind).toBe('desktop');
    expect(estimate).toMatchObject({ backend: 'wasm', fits: true });
  }, 180_000);
});
