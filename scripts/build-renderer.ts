// Builds dist/renderer with Vite when the renderer's or graph-schemas' sources are newer than the last build.
// Shared by the e2e setup and the packaging test, which both need a built renderer on a clean clone.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Whether dist/renderer holds React's development build (what a build under NODE_ENV=test made). */
export function isDevelopmentBuild(): boolean {
  const assets = join(root, 'dist', 'renderer', 'assets');
  if (!existsSync(assets)) return false;
  return readdirSync(assets).some((f) => f.endsWith('.js') && readFileSync(join(assets, f), 'utf8').includes('jsxDEV'));
}

export function buildRendererIfStale(): void {
  const index = join(root, 'dist', 'renderer', 'index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = Math.max(newestMtime(join(root, 'renderer')), newestMtime(join(root, 'graph-schemas')));
  if (built > sources && !isDevelopmentBuild()) return;
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
    // Vitest sets NODE_ENV=test, which Vite would pass on to React: a development build, several times slower.
    { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (result.status !== 0) throw new Error('Building the renderer failed (see above); dist/renderer is needed.');
  console.log(`built the renderer in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
