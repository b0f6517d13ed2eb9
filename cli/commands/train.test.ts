import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../electron/engine/node/png';
import { tinyMnistDoc } from '../../electron/engine/node/run/test-fixtures';

// `sagan-studio train` as a user runs it: real processes, real run folders, real image files.
const tmp = mkdtempSync(join(tmpdir(), 'sagan-train-cli-'));
const bin = join(import.meta.dirname, '../../bin/sagan-studio.js');
const docFile = join(tmp, 'tiny.sagan.json');
writeFileSync(docFile, JSON.stringify(tinyMnistDoc()));
const fast = ['--backend', 'wasm', '--threads', '1'];

const train = (...args: string[]) =>
  spawnSync(process.execPath, [bin, 'train', ...args, ...fast], { encoding: 'utf8', timeout: 300_000 });
const printed = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;
const metricSteps = (dir: string) =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { step: number }).step);
const checkpointSteps = (dir: string) =>
  readdirSync(join(dir, 'checkpoints'))
    .map((f) => /^step-(\d+)\.state\.json$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
const snapshot = (dir: string) =>
  Object.fromEntries(
    ['run.json', 'metrics.jsonl', ...readdirSync(join(dir, 'checkpoints')).map((f) => `checkpoints/${f}`)].map((f) => [
      f,
      readFileSync(join(dir, f)).toString('base64'),
    ]),
  );

describe('a run folder has one run and one writer', () => {
  const run = join(tmp, 'run');
  const background: ChildProcess[] = [];
  beforeAll(() => {
    const first = train(docFile, '--out', run); // 8 steps, checkpoints every 3
    expect(first.status, printed(first)).toBe(0);
  }, 300_000);
  afterAll(() => background.forEach((c) => c.kill('SIGKILL')));

  it('refuses to start a new run in a folder that holds one, before measuring anything, and changes nothing', () => {
    const before = snapshot(run);
    const again = train(docFile, '--out', run, '--steps', '3');
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already holds a run; a new one there would overwrite it/);
    expect(again.stderr).toMatch(new RegExp(`sagan-studio train --resume ${run}.*choose a fresh folder`));
    expect(printed(again)).not.toMatch(/One iteration|Run folder/);
    expect(snapshot(run)).toEqual(before);
  });

  it('refuses a second writer naming the first; takes over the lock once the first was killed', async () => {
    const first = spawn(process.execPath, [bin, 'train', '--resume', run, '--steps', '400', ...fast], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    background.push(first);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      first.stdout!.on('data', (d: Buffer) => (out += d.toString()).includes('step 10/400') && resolve());
      first.once('exit', (code) => reject(new Error(`the first trainer exited with ${code}: ${out}`)));
    });
    const second = train('--resume', run, '--steps', '3');
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(`${run} is being trained by another process \\(pid ${first.pid} on .*\\); a run has one writer`),
    );

    first.kill('SIGKILL'); // its lock file stays behind, and metrics past its last checkpoint
    await new Promise((r) => first.once('exit', r));
    expect(existsSync(join(run, 'run.lock'))).toBe(true);
    const third = train('--resume', run, '--steps', '3');
    expect(third.status, printed(third)).toBe(0);
    expect(third.stdout).toMatch(
      new RegExp(`info: Took over the run's lock from pid ${first.pid} on .*, which no longer runs\\.`),
    );
    const steps = metricSteps(run);
    expect(new Set(steps).size).toBe(steps.length); // no step twice
    expect(existsSync(join(run, 'run.lock'))).toBe(false);
  }, 300_000);

  it('resumes from the newest intact checkpoint, saying which it skipped and why; refuses when none is intact', () => {
    const [older, newest] = checkpointSteps(run).slice(-2) as [number, number];
    const state = join(run, 'checkpoints', `step-${String(newest).padStart(8, '0')}.state.json`);
    writeFileSync(state, readFileSync(state, 'utf8').slice(0, 50)); // truncated, as in a damaged copy
    const resumed = train('--resume', run, '--steps', String(newest + 2));
    expect(resumed.status, printed(resumed)).toBe(0);
    expect(resumed.stdout).toMatch(
      new RegExp(
        `warning: Skipped the checkpoint at step ${newest}: step-0*${newest}\\.state\\.json is unreadable or not valid JSON`,
      ),
    );
    expect(resumed.stdout).toMatch(new RegExp(`Resuming run run from step ${older} of`));
    expect(readFileSync(join(run, 'run.log'), 'utf8')).toMatch(`Skipped the checkpoint at step ${newest}`);
    const steps = metricSteps(run);
    expect(steps).toEqual(Array.from({ length: newest + 2 }, (_, i) => i + 1));

    for (const step of checkpointSteps(run))
      writeFileSync(join(run, 'checkpoints', `step-${String(step).padStart(8, '0')}.state.json`), '{"step": ');
    const metricsBefore = readFileSync(join(run, 'metrics.jsonl'), 'utf8');
    const refused = train('--resume', run, '--steps', String(newest + 4));
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(
      /Failed: None of the 3 checkpoints in .* is intact, so the run cannot resume: step /,
    );
    expect(readFileSync(join(run, 'metrics.jsonl'), 'utf8')).toBe(metricsBefore); // no restart from step 0
  }, 300_000);
});

/** 32×32 grayscale PNGs, one folder per digit class, and `broken` files that are not images at all. */
function imageFolder(name: string, perClass: number, broken: number): string {
  const dir = join(tmp, name);
  for (let label = 0; label < 10; label++) {
    mkdirSync(join(dir, String(label)), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const rgba = new Uint8ClampedArray(32 * 32 * 4).map((_, k) =>
        k % 4 === 3 ? 255 : (k * 7 + label * 31 + i) % 256,
      );
      writeFileSync(join(dir, String(label), `img${i}.png`), encodePng({ width: 32, height: 32, rgba }));
    }
  }
  for (let i = 0; i < broken; i++) writeFileSync(join(dir, String(i), `broken${i}.png`), 'not really a PNG');
  return dir;
}

describe('the data of a run', () => {
  it('names image files it cannot read (CLI and run.log), keeps the data source and fingerprint, refuses other data on resume', () => {
    const data = imageFolder('digits', 2, 3);
    const out = join(tmp, 'on-folder');
    const first = train(docFile, '--data', data, '--steps', '2', '--out', out);
    expect(first.status, printed(first)).toBe(0);
    const skipped =
      /warning: 3 of 23 image files in the folder .*digits could not be read and are left out: 0\/broken0\.png \(not a PNG or JPEG image \(unrecognised content\)\); 1\/broken1\.png/;
    expect(first.stdout).toMatch(skipped);
    expect(readFileSync(join(out, 'run.log'), 'utf8')).toMatch(/warning: 3 of 23 image files/);
    const info = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(info.dataset).toMatchObject({
      size: 20,
      source: { kind: 'folder', path: data },
      fingerprint: { count: 23, files: expect.stringMatching(/^[0-9a-f]{64}$/) },
      skipped: {
        count: 3,
        examples: expect.arrayContaining([expect.objectContaining({ file: join(data, '0', 'broken0.png') })]),
      },
    });
    expect(info.doc.dataset.source).toEqual({ kind: 'folder', path: data });

    // The same images under another name are the same data; different images are refused, both named.
    const moved = join(tmp, 'digits-moved');
    cpSync(data, moved, { recursive: true });
    writeFileSync(join(data, '5', 'img0.png'), encodePng({ width: 8, height: 8, rgba: new Uint8ClampedArray(256) }));
    const wrong = train('--resume', out, '--steps', '3');
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toMatch(
      new RegExp(
        `This run was trained on the folder ${data} \\(23 files, .*\\), but the folder ${data} holds 23 files, .*: not the same data`,
      ),
    );
    const right = train('--resume', out, '--steps', '3', '--data', moved);
    expect(right.status, printed(right)).toBe(0);
    expect(right.stdout).toMatch(/Resuming run on-folder from step 2 of 3/);
  }, 300_000);

  it('refuses a folder where no image can be read, before measuring, creating nothing', () => {
    const data = imageFolder('all-broken', 0, 10);
    const out = join(tmp, 'never');
    const refused = train(docFile, '--data', data, '--out', out);
    expect(refused.status).toBe(1);
    expect(printed(refused)).toMatch(/None of the 10 images in .*all-broken could be read \(e\.g\. 0\/broken0\.png: /);
    expect(printed(refused)).not.toMatch(/One iteration|Run folder/);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
