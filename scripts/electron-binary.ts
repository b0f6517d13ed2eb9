import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Finding (and, once, fetching) the Electron binary for `npm start`. The `electron` package's own postinstall
 * is off in package.json (allowScripts): `npm ci` must work offline, and the download is 100 MB that CI never
 * needs. So `npm start` fetches it the first time it is missing, and opens the web version when it cannot.
 */

/** The executable the `electron` package points at (as its index.js does), or null when it is not there. */
export function electronBinary(electronDir: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const pathFile = join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const candidate = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron')
    : relative
      ? join(electronDir, 'dist', relative)
      : null;
  return candidate && existsSync(candidate) ? candidate : null;
}

/** How the last download attempt went, so a machine without access to GitHub does not wait on every start. */
export interface DownloadRecord {
  failedAt: number;
  reason: string;
}

/** Retry a failed download after an hour (or at once with SAGAN_ELECTRON_DOWNLOAD=1). */
export const RETRY_AFTER_MS = 60 * 60 * 1000;

export function shouldTryDownload(record: DownloadRecord | null, now: number, env: NodeJS.ProcessEnv): boolean {
  if (env.SAGAN_ELECTRON_DOWNLOAD === '0' || env.ELECTRON_SKIP_BINARY_DOWNLOAD) return false;
  if (env.SAGAN_ELECTRON_DOWNLOAD === '1') return true;
  return !record || now - record.failedAt > RETRY_AFTER_MS;
}

export function readDownloadRecord(file: string): DownloadRecord | null {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<DownloadRecord>;
    return typeof raw.failedAt === 'number' && typeof raw.reason === 'string'
      ? { failedAt: raw.failedAt, reason: raw.reason }
      : null;
  } catch {
    return null;
  }
}

export function writeDownloadRecord(file: string, record: DownloadRecord): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(record)}\n`);
  } catch {
    // Only costs a retry next time.
  }
}

/** The gist of a failed install.js run: its first error line ("getaddrinfo ENOTFOUND github.com"), short. */
export function downloadFailureReason(
  output: string,
  code: number | null,
  timedOut: boolean,
  timeoutS: number,
): string {
  if (timedOut) return `no answer within ${timeoutS} s`;
  const line = output
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /error|ENOTFOUND|ECONN|ETIMEDOUT|EAI_AGAIN|HTTP|certificate/i.test(l) && !l.startsWith('at '));
  const reason = (line ?? `the installer exited with code ${code}`).replace(/^(Error|RequestError|HTTPError):\s*/, '');
  return reason.length > 160 ? `${reason.slice(0, 157)}…` : reason;
}

/** Runs the `electron` package's installer (downloads the binary into node_modules/electron/dist), with a time limit. */
export function runElectronInstaller(electronDir: string, timeoutS: number): Promise<{ ok: boolean; reason: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(electronDir, 'install.js')], {
      cwd: electronDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill();
    }, timeoutS * 1000);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(
        code === 0 && !timedOut
          ? { ok: true, reason: '' }
          : { ok: false, reason: downloadFailureReason(output, code, timedOut, timeoutS) },
      );
    });
  });
}

/** Why no desktop window can open on this machine right now, or null when one can. */
export function noDisplayReason(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string | null {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return null;
  return env.DISPLAY || env.WAYLAND_DISPLAY ? null : 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
}

/** The one sentence `npm start` prints before it opens the web version instead of the desktop app. */
export function webFallbackSentence(reason: string, remedy?: string): string {
  const sentence = `SAGAN Studio cannot open as a desktop app because ${reason}, so it starts the web version instead: open the address below in your browser`;
  if (remedy?.includes('\n')) return `${sentence}.\nTo open it as a desktop app, ${remedy}`;
  return `${sentence}${remedy ? ` (${remedy})` : ''}.`;
}

export const INSTALL_REMEDY =
  'to get the desktop app, run `node node_modules/electron/install.js` once GitHub can be reached, then `npm start` again';
