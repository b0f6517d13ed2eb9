// Builds the renderer when its sources are newer than dist/renderer, then starts the real `sagan-studio serve`
// on a free port with temporary documents and state folders, and hands its URL to the specs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startStudioServer } from './serve-process';

declare module 'vitest' {
  export interface ProvidedContext {
    saganUrl: string;
    docsDir: string;
    artifactsDir: string;
  }
}

const root = join(import.meta.dirname, '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function buildRendererIfStale(): void {
  const index = join(root, 'dist', 'renderer', 'index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (built > Math.max(newestMtime(join(root, 'renderer')), newestMtime(join(root, 'graph-schemas')))) return;
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'renderer/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status !== 0)
    throw new Error('Building the renderer failed (see above); the e2e tests need dist/renderer.');
  console.log(`e2e: built the renderer in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export default async function setup(project: TestProject) {
  buildRendererIfStale();
  const temp = mkdtempSync(join(tmpdir(), 'sagan-e2e-'));
  const docsDir = join(temp, 'documents');
  const stateDir = join(temp, 'state');
  mkdirSync(docsDir);
  mkdirSync(stateDir);
  const artifactsDir = join(root, 'e2e', 'artifacts');
  mkdirSync(artifactsDir, { recursive: true });
  const server = await startStudioServer(docsDir, stateDir);
  project.provide('saganUrl', server.url);
  project.provide('docsDir', docsDir);
  project.provide('artifactsDir', artifactsDir);
  return async () => {
    await server.stop();
    rmSync(temp, { recursive: true, force: true });
  };
}
