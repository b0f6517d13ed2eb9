import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * What an ended Electron process means for `npm start`: a normal quit (or Ctrl-C) is success; a crash is a
 * failure; and a few launch failures we can name (the Linux sandbox, a missing system library) come with the fix
 * and send `npm start` to the web version instead.
 */

export interface ElectronEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what Electron wrote to stderr (see StderrTail). */
  stderr: string;
}

export interface LaunchContext {
  platform: NodeJS.Platform;
  /** The Electron executable that ran. */
  binary: string;
  /** Linux: kernel.apparmor_restrict_unprivileged_userns is 1 (Ubuntu 23.10+ by default). */
  apparmorRestrictsUserns: boolean;
}

export type ElectronVerdict =
  | { kind: 'ok'; exitCode: 0 }
  | { kind: 'failed'; exitCode: number; message: string }
  /** Electron could not open at all; the web version can stand in. */
  | { kind: 'cannot-start'; exitCode: number; reason: string; remedy: string };

/** The signals a user stops the app with (Ctrl-C, kill): the app checkpoints its runs and quits, which is success. */
const STOP_SIGNALS: ReadonlySet<NodeJS.Signals> = new Set(['SIGINT', 'SIGTERM']);

/** What Chromium prints when its Linux sandbox cannot start (then it aborts with SIGTRAP). */
const SANDBOX_FAILURE = [
  /The SUID sandbox helper binary was found, but is not configured correctly/,
  /No usable sandbox!/,
  /FATAL:sandbox\/linux\/[^\n]*(Check failed|Permission denied)/,
];
const MISSING_LIBRARY = /error while loading shared libraries: ([^\s:]+)/;

/** The name the AppArmor profile for a development Electron gets (/etc/apparmor.d/NAME). */
export const DEV_APPARMOR_PROFILE = 'sagan-studio-dev';

export function judgeElectronExit(end: ElectronEnd, context: LaunchContext): ElectronVerdict {
  const exitCode = end.signal ? 128 + (constants.signals[end.signal] ?? 0) : (end.code ?? 1);
  if (end.signal ? STOP_SIGNALS.has(end.signal) : end.code === 0) return { kind: 'ok', exitCode: 0 };
  if (context.platform === 'linux' && SANDBOX_FAILURE.some((pattern) => pattern.test(end.stderr)))
    return { kind: 'cannot-start', exitCode, ...sandboxAdvice(context) };
  const library = MISSING_LIBRARY.exec(end.stderr)?.[1];
  if (library)
    return {
      kind: 'cannot-start',
      exitCode,
      reason: `Electron needs the system library ${library}, which is not installed`,
      remedy: `install it with your package manager (on Debian or Ubuntu: apt-cache search ${library.replace(/\.so.*$/, '')}), then npm start again`,
    };
  const how = end.signal ? `Electron crashed (${end.signal})` : `Electron exited with code ${end.code}`;
  return { kind: 'failed', exitCode, message: `${how}; its messages are above.` };
}

function sandboxAdvice(context: LaunchContext): { reason: string; remedy: string } {
  if (context.apparmorRestrictsUserns) {
    // The same profile electron-builder's deb package installs for the packaged app, for this Electron binary.
    const profile = [
      'abi <abi/4.0>,',
      'include <tunables/global>',
      `profile ${DEV_APPARMOR_PROFILE} "${context.binary}" flags=(unconfined) {`,
      '  userns,',
      '}',
    ].join('\n');
    return {
      reason:
        "AppArmor on this system (Ubuntu 23.10 and later) restricts unprivileged user namespaces, so Chromium's sandbox cannot start",
      remedy: `to let this Electron use them, add an AppArmor profile for it once, then npm start again:\n\nsudo tee /etc/apparmor.d/${DEV_APPARMOR_PROFILE} <<'EOF'\n${profile}\nEOF\nsudo apparmor_parser -r /etc/apparmor.d/${DEV_APPARMOR_PROFILE}\n`,
    };
  }
  const helper = join(dirname(context.binary), 'chrome-sandbox');
  return {
    reason:
      "Chromium's sandbox cannot start (this system has no unprivileged user namespaces, and its SUID helper is not set up)",
    remedy: `set up the helper once, then npm start again: sudo chown root:root ${helper} && sudo chmod 4755 ${helper}`,
  };
}

/** Whether the kernel's AppArmor restricts unprivileged user namespaces (false where the setting does not exist). */
export function apparmorRestrictsUserns(
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): boolean {
  try {
    return read('/proc/sys/kernel/apparmor_restrict_unprivileged_userns').trim() === '1';
  } catch {
    return false;
  }
}

/** The last `limit` characters of a stream, for reading why a process ended without keeping all it printed. */
export class StderrTail {
  private tail = '';
  constructor(private readonly limit = 16_384) {}

  push(chunk: Buffer): void {
    this.tail = (this.tail + chunk.toString('utf8')).slice(-this.limit);
  }

  text(): string {
    return this.tail;
  }
}
