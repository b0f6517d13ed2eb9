import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  downloadFailureReason,
  electronBinary,
  noDisplayReason,
  readDownloadRecord,
  RETRY_AFTER_MS,
  shouldTryDownload,
  webFallbackSentence,
  writeDownloadRecord,
} from './electron-binary';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sagan-electron-bin-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('finding the Electron binary', () => {
  it('is null without path.txt or without the file it names, and the file once it is there', () => {
    expect(electronBinary(dir, {})).toBeNull();
    writeFileSync(join(dir, 'path.txt'), 'electron');
    expect(electronBinary(dir, {})).toBeNull();
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'electron'), '');
    expect(electronBinary(dir, {})).toBe(join(dir, 'dist', 'electron'));
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH like the electron package does', () => {
    writeFileSync(join(dir, 'path.txt'), 'electron');
    mkdirSync(join(dir, 'elsewhere'));
    writeFileSync(join(dir, 'elsewhere', 'electron'), '');
    expect(electronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'elsewhere') })).toBe(
      join(dir, 'elsewhere', 'electron'),
    );
  });
});

describe('fetching it', () => {
  it('tries when never tried, not again within the hour after a failure, and as told by SAGAN_ELECTRON_DOWNLOAD', () => {
    const now = 10 * RETRY_AFTER_MS;
    const failed = { failedAt: now - 60_000, reason: 'getaddrinfo ENOTFOUND github.com' };
    expect(shouldTryDownload(null, now, {})).toBe(true);
    expect(shouldTryDownload(failed, now, {})).toBe(false);
    expect(shouldTryDownload({ ...failed, failedAt: now - RETRY_AFTER_MS - 1 }, now, {})).toBe(true);
    expect(shouldTryDownload(failed, now, { SAGAN_ELECTRON_DOWNLOAD: '1' })).toBe(true);
    expect(shouldTryDownload(null, now, { SAGAN_ELECTRON_DOWNLOAD: '0' })).toBe(false);
    expect(shouldTryDownload(null, now, { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' })).toBe(false);
  });

  it('remembers a failure in a file; a broken file counts as none', () => {
    const file = join(dir, 'cache', 'electron-download.json');
    expect(readDownloadRecord(file)).toBeNull();
    writeDownloadRecord(file, { failedAt: 5, reason: 'offline' });
    expect(readDownloadRecord(file)).toEqual({ failedAt: 5, reason: 'offline' });
    writeFileSync(file, '{"failedAt": "yesterday"}');
    expect(readDownloadRecord(file)).toBeNull();
  });

  it("sums up the installer's failure in a few words", () => {
    const output =
      'RequestError: getaddrinfo ENOTFOUND github.com\n    at ClientRequest.<anonymous> (/x/got/index.js:1:1)\n';
    expect(downloadFailureReason(output, 1, false, 300)).toBe('getaddrinfo ENOTFOUND github.com');
    expect(
      downloadFailureReason('HTTPError: Response code 404 (Not Found) for https://github.com/...', 1, false, 300),
    ).toBe('Response code 404 (Not Found) for https://github.com/...');
    expect(downloadFailureReason('', 1, true, 300)).toBe('no answer within 300 s');
    expect(downloadFailureReason('weird', 3, false, 300)).toBe('the installer exited with code 3');
  });
});

describe('falling back to the web version', () => {
  it('needs a display on Linux only', () => {
    expect(noDisplayReason('linux', {})).toMatch(/no display/);
    expect(noDisplayReason('linux', { DISPLAY: ':0' })).toBeNull();
    expect(noDisplayReason('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBeNull();
    expect(noDisplayReason('darwin', {})).toBeNull();
    expect(noDisplayReason('win32', {})).toBeNull();
  });

  it('says why and what to do in one sentence', () => {
    const sentence = webFallbackSentence(
      'the Electron binary is not installed',
      'run node node_modules/electron/install.js',
    );
    expect(sentence).toBe(
      'SAGAN Studio cannot open as a desktop app because the Electron binary is not installed, so it starts the web version instead: open the address below in your browser (run node node_modules/electron/install.js).',
    );
  });

  it('puts a remedy of several lines (commands to paste) after the sentence, not in brackets', () => {
    expect(webFallbackSentence('the sandbox cannot start', 'run these:\n\nsudo a\nsudo b\n')).toBe(
      'SAGAN Studio cannot open as a desktop app because the sandbox cannot start, so it starts the web version instead: open the address below in your browser.\nTo open it as a desktop app, run these:\n\nsudo a\nsudo b\n',
    );
  });
});
