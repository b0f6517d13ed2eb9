import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimRunFolder, runLockHolder } from './run-lock';

const tmp = mkdtempSync(join(tmpdir(), 'sagan-lock-'));
const lockModule = join(import.meta.dirname, 'run-lock.ts');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Another real process that claims `dir` and holds it until killed; resolves once it holds the lock. */
async function holder(dir: string, resume: boolean): Promise<ChildProcess> {
  const script = `import { claimRunFolder } from ${JSON.stringify(lockModule)};
    claimRunFolder(${JSON.stringify(dir)}, ${resume});
    console.log('claimed');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('claimed') && resolve());
    child.once('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
  });
  return child;
}

const exited = (child: ChildProcess) => new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));

function aRun(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.json'), '{"format":"sagan-studio/run"}');
  return dir;
}

describe('one writer per run folder', () => {
  it('refuses a second process, naming the holder; takes over once the holder is gone', async () => {
    const dir = aRun('shared');
    const first = await holder(dir, true);
    expect(() => claimRunFolder(dir, true)).toThrow(
      new RegExp(
        `^${dir} is being trained by another process \\(pid ${first.pid} on ${hostname()}, since \\d{4}-.*\\); a run has one writer at a time\\. Stop that one first .*if it no longer runs, delete ${join(dir, 'run.lock')}\\.$`,
      ),
    );
    expect(runLockHolder(dir)).toMatchObject({ pid: first.pid, host: hostname() });

    first.kill('SIGKILL'); // as a killed CLI or a crashed app leaves it: the lock file stays
    await exited(first);
    expect(existsSync(join(dir, 'run.lock'))).toBe(true);
    expect(runLockHolder(dir)).toBeNull();
    const claim = claimRunFolder(dir, true);
    expect(claim.tookOver).toMatchObject({ pid: first.pid });
    expect(JSON.parse(readFileSync(join(dir, 'run.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    claim.release();
    expect(readdirSync(dir)).toEqual(['run.json']);
  });

  it('never takes over a lock held on another machine (it cannot tell whether that process still runs)', () => {
    const dir = aRun('remote');
    const lock = { pid: 1, host: 'elsewhere.example', startedAt: '2025-01-01T00:00:00.000Z', token: 'x' };
    writeFileSync(join(dir, 'run.lock'), JSON.stringify(lock));
    expect(() => claimRunFolder(dir, true)).toThrow(/another process \(pid 1 on elsewhere\.example, since 2025-/);
  });
});

describe('claiming a folder', () => {
  it('refuses to start a new run where a run is, naming --resume and a fresh folder', () => {
    const dir = aRun('taken');
    expect(() => claimRunFolder(dir, false)).toThrow(
      `${dir} already holds a run; a new one there would overwrite it. To continue it, resume it (sagan-studio train --resume ${dir}, or Resume in the app's run list); for a new run, choose a fresh folder.`,
    );
    expect(readdirSync(dir)).toEqual(['run.json']);
  });

  it('refuses a folder of other files, and a resume where there is no run', () => {
    const dir = join(tmp, 'holiday');
    mkdirSync(dir);
    writeFileSync(join(dir, 'photo.jpg'), 'mine');
    expect(() => claimRunFolder(dir, false)).toThrow(/already holds other files \(photo\.jpg\) but no run/);
    expect(() => claimRunFolder(join(tmp, 'nothing'), true)).toThrow(/is not a SAGAN Studio run: it has no run\.json/);
  });

  it('removes the folder it made when the run never wrote its run.json, and keeps it when it did', () => {
    const refused = join(tmp, 'new', 'run');
    const claim = claimRunFolder(refused, false);
    expect(claim.created).toBe(true);
    writeFileSync(join(refused, 'run.log'), 'refused: no data\n');
    claim.release();
    expect(existsSync(refused)).toBe(false);

    const started = join(tmp, 'new', 'started');
    const second = claimRunFolder(started, false);
    writeFileSync(join(started, 'run.json'), '{}');
    second.release();
    second.release();
    expect(readdirSync(started)).toEqual(['run.json']);
  });
});
