import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRunFolder, readRunInfo } from './run-folder';

const tmp = mkdtempSync(join(tmpdir(), 'sagan-run-folder-'));
const fixture = join(import.meta.dirname, 'fixtures', 'run-v1-without-sample-grid.json');

function runWith(name: string, info: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'run.json'), info);
  return dir;
}

describe('run.json', () => {
  it('a run written before run.json held the sample grid opens with the grid it was drawn with', async () => {
    const dir = join(tmp, 'old');
    mkdirSync(dir);
    copyFileSync(fixture, join(dir, 'run.json'));
    const info = await readRunInfo(dir);
    // Those runs drew 10 rows (one per MNIST class) of 8 cells of 32 px, 2 px apart, noise from seed + 2.
    expect(info.sampleGrid).toEqual({ rows: 10, cols: 8, cellSize: 32, padding: 2, noiseSeed: 9 });
    expect(info.doc.name).toBe('Tiny MNIST test model');
  });

  it('a run that holds its plan opens with that plan, and a damaged plan is named with its file', async () => {
    const old = JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, unknown>;
    const plan = { rows: 4, cols: 6, cellSize: 32, padding: 1, noiseSeed: 1234 };
    const dir = runWith('new', JSON.stringify({ ...old, sampleGrid: plan }));
    expect((await readRunInfo(dir)).sampleGrid).toEqual(plan);
    const bad = runWith('bad', JSON.stringify({ ...old, sampleGrid: { ...plan, cols: 0 } }));
    await expect(readRunInfo(bad)).rejects.toThrow(
      `${join(bad, 'run.json')} has an unusable sampleGrid (cols: Too small`,
    );
  });

  it('knows a run folder by its run.json', async () => {
    expect(await isRunFolder(join(tmp, 'new'))).toBe(true);
    mkdirSync(join(tmp, 'empty'));
    expect(await isRunFolder(join(tmp, 'empty'))).toBe(false);
    expect(await isRunFolder(join(tmp, 'missing'))).toBe(false);
  });
});
