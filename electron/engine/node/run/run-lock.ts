import { randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * One writer per run folder. A process that trains a run holds run.lock in it (its pid and host); a second one is
 * refused with who holds it. The app and the CLI can both resume the same run, and a trainer can outlive the
 * window that started it, so this is checked on disk, not in memory. A lock whose process is gone (it was killed,
 * the machine restarted) is taken over. Synchronous: it is taken before the training thread starts.
 */
export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  /** Tells this lock from a later one that took it over. */
  token: string;
}

/** Why a run folder cannot be trained now; `reason` lets the host answer with the right code. */
export class RunFolderError extends Error {
  constructor(
    message: string,
    readonly reason: 'taken' | 'not-empty' | 'not-a-run' | 'locked',
  ) {
    super(message);
  }
}

export interface RunClaim {
  /** Whether the folder was created for this run (and is removed again if the run never wrote its run.json). */
  created: boolean;
  /** The stale lock this claim replaced, if any, to tell the user. */
  tookOver: LockOwner | null;
  /** Removes the lock (and the folder if it was created and holds no run). Safe to call twice. */
  release(): void;
}

const lockPath = (dir: string) => join(dir, 'run.lock');
const runFile = (dir: string) => join(dir, 'run.json');

/**
 * Claims `dir` for training: for a new run the folder must not hold a run (or anything else), for a resume it must
 * hold one; then the lock is taken. Throws a RunFolderError that says what to do.
 */
export function claimRunFolder(dir: string, resume: boolean): RunClaim {
  let created = false;
  if (resume) {
    if (!existsSync(runFile(dir)))
      throw new RunFolderError(`${dir} is not a SAGAN Studio run: it has no run.json.`, 'not-a-run');
  } else if (existsSync(runFile(dir))) {
    throw new RunFolderError(
      `${dir} already holds a run; a new one there would overwrite it. To continue it, resume it (sagan-studio train --resume ${dir}, or Resume in the app's run list); for a new run, choose a fresh folder.`,
      'taken',
    );
  } else if (existsSync(dir)) {
    const others = readdirSync(dir).filter((name) => name !== 'run.lock');
    if (others.length > 0)
      throw new RunFolderError(
        `${dir} already holds other files (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}) but no run; choose a fresh or empty folder for the run.`,
        'not-empty',
      );
  } else {
    mkdirSync(dir, { recursive: true });
    created = true;
  }
  let lock: { owner: LockOwner; tookOver: LockOwner | null };
  try {
    lock = takeLock(dir);
  } catch (e) {
    if (created) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  let released = false;
  return {
    created,
    tookOver: lock.tookOver,
    release() {
      if (released) return;
      released = true;
      if (readOwner(dir)?.token === lock.owner.token) unlinkSync(lockPath(dir));
      // A run refused before it wrote run.json leaves nothing behind: not the folder it made, nor its log.
      if (!existsSync(runFile(dir))) {
        if (created) rmSync(dir, { recursive: true, force: true });
        else rmSync(join(dir, 'run.log'), { force: true });
      }
    },
  };
}

/** Who holds the run's lock now, or null when nobody (no lock, or its process is gone). */
export function runLockHolder(dir: string): LockOwner | null {
  const owner = readOwner(dir);
  return owner && !isStale(owner) ? owner : null;
}

/** "pid 4242 on workstation since 2025-06-01T10:00:00Z" */
export function describeOwner(owner: LockOwner): string {
  return `pid ${owner.pid} on ${owner.host}, since ${owner.startedAt}`;
}

function takeLock(dir: string): { owner: LockOwner; tookOver: LockOwner | null } {
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    token: randomUUID(),
  };
  let tookOver: LockOwner | null = null;
  // Two tries: the second after removing a stale lock (if another process takes it in between, it wins).
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath(dir), 'wx');
      try {
        writeSync(fd, `${JSON.stringify(owner)}\n`);
      } finally {
        closeSync(fd);
      }
      return { owner, tookOver };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readOwner(dir);
    if (holder && !isStale(holder))
      throw new RunFolderError(
        `${dir} is being trained by another process (${describeOwner(holder)}); a run has one writer at a time. Stop that one first (Ctrl-C where it runs, or Stop in the app); if it no longer runs, delete ${lockPath(dir)}.`,
        'locked',
      );
    if (!holder && Date.now() - mtimeMs(lockPath(dir)) < 10_000)
      throw new RunFolderError(
        `${dir} is being claimed by another process right now; try again in a moment.`,
        'locked',
      );
    tookOver = holder;
    rmSync(lockPath(dir), { force: true });
  }
  throw new RunFolderError(`${dir} was claimed by another process at the same moment; try again.`, 'locked');
}

function readOwner(dir: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(lockPath(dir), 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' && typeof owner.token === 'string'
      ? (owner as LockOwner)
      : null;
  } catch {
    return null; // absent, or torn by a crash between creating and writing it
  }
}

/** A lock of this machine whose process has ended. One of another machine cannot be checked, so it is never stale. */
function isStale(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0); // signal 0: only asks whether the process exists
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH'; // EPERM: it exists, under another user
  }
}

function mtimeMs(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
