// Builds the renderer when its sources are newer than dist/renderer, then starts the real `sagan-studio serve`
// on a free port with temporary documents and state folders, and hands its URL to the specs.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildRendererIfStale } from '../scripts/build-renderer';
import { startStudioServer } from './serve-process';

declare module 'vitest' {
  export interface ProvidedContext {
    saganUrl: string;
    docsDir: string;
    artifactsDir: string;
  }
}

const root = join(import.meta.dirname, '..');

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
