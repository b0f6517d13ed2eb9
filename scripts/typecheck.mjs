// Type-checks each layer with its own tsconfig, so a layer cannot see types it must not use
// (graph-schemas: no DOM, no Node; engine core: no Node; renderer: no Node).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';

const projects = [
  'graph-schemas/tsconfig.json',
  'electron/engine/core/tsconfig.json',
  'electron/engine/tsconfig.json',
  'electron/host/tsconfig.json',
  'cli/tsconfig.json',
  'renderer/tsconfig.json',
  'electron/main/tsconfig.json',
  'electron/preload/tsconfig.json',
  'tsconfig.tests.json',
];

let failed = 0;
/** A layer folder that has no TypeScript yet (its issue is still open) has nothing to check. */
const hasSources = (project) =>
  readdirSync(dirname(project), { recursive: true }).some(
    (f) => /\.tsx?$/.test(String(f)) && !String(f).includes('node_modules'),
  );

for (const project of projects.filter((p) => existsSync(p) && hasSources(p))) {
  const started = Date.now();
  const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], { stdio: 'inherit' });
  const ok = result.status === 0;
  if (!ok) failed++;
  console.log(`typecheck ${ok ? 'ok  ' : 'FAIL'} ${project} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
process.exit(failed ? 1 : 0);
