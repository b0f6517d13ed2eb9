// `npm start`: builds and starts the desktop app; where Electron cannot run (its binary cannot be fetched, or
// there is no display, or it cannot start: the Linux sandbox, a missing library) it says so and why, and starts the
// web version (`npm run serve`) instead.
// Options: --web (always the web version); SAGAN_ELECTRON_DOWNLOAD=0|1 (never | always try fetching Electron now);
// SAGAN_ELECTRON_DOWNLOAD_TIMEOUT_S (default 300). Other arguments go to the app (e.g. a .sagan.json file to open).
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildElectron, repoRoot } from './build-electron';
import type { ElectronEnd } from './electron-exit';
import { apparmorRestrictsUserns, judgeElectronExit, StderrTail } from './electron-exit';
import {
  electronBinary,
  INSTALL_REMEDY,
  noDisplayReason,
  readDownloadRecord,
  runElectronInstaller,
  shouldTryDownload,
  webFallbackSentence,
  writeDownloadRecord,
} from './electron-binary';

const electronDir = join(repoRoot, 'node_modules', 'electron');
const recordFile = join(repoRoot, 'node_modules', '.cache', 'sagan-studio', 'electron-download.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * Runs a command to its end, passing Ctrl-C on to it; resolves with how it ended. Its stderr is shown as it comes
 * and its tail kept, to tell why it ended.
 */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ElectronEnd> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: repoRoot,
      stdio: ['inherit', 'inherit', 'pipe'],
      env,
      shell: process.platform === 'win32' && command === npm,
    });
    const stderr = new StderrTail();
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderr.push(chunk);
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (e) => {
      console.error(`Could not run ${command}: ${e.message}`);
      resolve({ code: 1, signal: null, stderr: '' });
    });
    child.on('close', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve({ code, signal, stderr: stderr.text() });
    });
  });
}

/** Exit status of a command that is not Electron: a stop by Ctrl-C is success, any other signal is not. */
const exitStatus = (end: ElectronEnd) =>
  end.signal ? (end.signal === 'SIGINT' || end.signal === 'SIGTERM' ? 0 : 1) : (end.code ?? 1);

/** The Electron binary, fetching it first when it is missing and a fetch is worth trying; else why not. */
async function findOrFetchElectron(): Promise<{ binary: string } | { reason: string; remedy: string }> {
  const existing = electronBinary(electronDir);
  if (existing) return { binary: existing };
  const record = readDownloadRecord(recordFile);
  if (!shouldTryDownload(record, Date.now(), process.env)) {
    const last = record
      ? `; fetching it failed ${Math.round((Date.now() - record.failedAt) / 60000)} min ago: ${record.reason}`
      : '';
    return {
      reason: `the Electron binary is not installed (node_modules/electron/dist is missing${last})`,
      remedy: `${INSTALL_REMEDY}; SAGAN_ELECTRON_DOWNLOAD=1 npm start retries at once`,
    };
  }
  const timeoutS = Number(process.env.SAGAN_ELECTRON_DOWNLOAD_TIMEOUT_S ?? 300);
  console.log(`Fetching the Electron binary (once, about 100 MB; at most ${timeoutS} s)…`);
  const result = await runElectronInstaller(electronDir, timeoutS);
  const fetched = electronBinary(electronDir);
  if (result.ok && fetched) return { binary: fetched };
  const reason = result.ok ? 'the installer finished but left no binary' : result.reason;
  writeDownloadRecord(recordFile, { failedAt: Date.now(), reason });
  return { reason: `the Electron binary is not installed and fetching it failed (${reason})`, remedy: INSTALL_REMEDY };
}

async function startWeb(reason: string | null, remedy?: string): Promise<number> {
  if (reason) console.log(webFallbackSentence(reason, remedy));
  return exitStatus(await run(npm, ['run', 'serve']));
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--web')) return startWeb(null);
  const found = await findOrFetchElectron();
  if ('reason' in found) return startWeb(found.reason, found.remedy);
  const noDisplay = noDisplayReason(process.platform, process.env);
  if (noDisplay) return startWeb(noDisplay);

  const built = spawnSync(npm, ['run', '--silent', 'build:renderer'], {
    cwd: repoRoot,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (built.status !== 0) {
    console.error('Building the editor failed (see above); fix that, then run npm start again.');
    return built.status ?? 1;
  }
  await buildElectron();
  // ELECTRON_RUN_AS_NODE from a parent tool would turn the app into plain Node; the app must never inherit it.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const end = await run(found.binary, ['.', ...args], env);
  const verdict = judgeElectronExit(end, {
    platform: process.platform,
    binary: found.binary,
    apparmorRestrictsUserns: process.platform === 'linux' && apparmorRestrictsUserns(),
  });
  if (verdict.kind === 'cannot-start') return startWeb(verdict.reason, verdict.remedy);
  if (verdict.kind === 'failed') console.error(verdict.message);
  return verdict.exitCode;
}

process.exitCode = await main();
