import { describe, expect, it } from 'vitest';
import type { LaunchContext } from './electron-exit';
import { judgeElectronExit, StderrTail } from './electron-exit';

const linux: LaunchContext = {
  platform: 'linux',
  binary: '/home/ada/sagan/node_modules/electron/dist/electron',
  apparmorRestrictsUserns: false,
};
const ubuntu2404: LaunchContext = { ...linux, apparmorRestrictsUserns: true };

/** What Electron 40 prints on Ubuntu 24.04 before it aborts (SIGTRAP). */
const SUID_ABORT =
  "[12345:0101/120000.000000:FATAL:sandbox/linux/suid/client/setuid_sandbox_host.cc(163)] The SUID sandbox helper binary was found, but is not configured correctly. Rather than run without sandboxing I'm aborting now. You need to make sure that /home/ada/sagan/node_modules/electron/dist/chrome-sandbox is owned by root and has mode 4755.\n";
const USERNS_DENIED =
  '[9:0101/120000.0:FATAL:sandbox/linux/services/credentials.cc(131)] Check failed: . : Permission denied (13)\n';

describe('what an ended Electron means for npm start', () => {
  it('a normal quit, and Ctrl-C or a polite kill, are success', () => {
    expect(judgeElectronExit({ code: 0, signal: null, stderr: '' }, linux)).toEqual({ kind: 'ok', exitCode: 0 });
    expect(judgeElectronExit({ code: null, signal: 'SIGINT', stderr: '' }, linux)).toEqual({ kind: 'ok', exitCode: 0 });
    expect(judgeElectronExit({ code: null, signal: 'SIGTERM', stderr: '' }, linux)).toEqual({
      kind: 'ok',
      exitCode: 0,
    });
  });

  it('any other signal is a failure with the shell convention 128 + signal number, and says so', () => {
    const crash = judgeElectronExit({ code: null, signal: 'SIGSEGV', stderr: 'something else\n' }, linux);
    expect(crash).toMatchObject({ kind: 'failed', exitCode: 139 });
    expect(crash.kind === 'failed' && crash.message).toMatch(/Electron crashed \(SIGSEGV\)/);
    expect(judgeElectronExit({ code: 3, signal: null, stderr: '' }, linux)).toMatchObject({
      kind: 'failed',
      exitCode: 3,
    });
  });

  it('recognises the Ubuntu 23.10+/24.04 AppArmor user-namespace restriction, names the fix, and falls back to the web', () => {
    for (const stderr of [SUID_ABORT, USERNS_DENIED]) {
      const verdict = judgeElectronExit({ code: null, signal: 'SIGTRAP', stderr }, ubuntu2404);
      expect(verdict).toMatchObject({ kind: 'cannot-start', exitCode: 133 });
      if (verdict.kind !== 'cannot-start') throw new Error('unreachable');
      expect(verdict.reason).toMatch(/AppArmor.*unprivileged user namespaces/);
      // The fix is a profile for this very binary, as electron-builder's deb package installs for the packaged app.
      expect(verdict.remedy).toContain(
        'profile sagan-studio-dev "/home/ada/sagan/node_modules/electron/dist/electron"',
      );
      expect(verdict.remedy).toContain('userns,');
      expect(verdict.remedy).toContain('sudo apparmor_parser -r /etc/apparmor.d/sagan-studio-dev');
      expect(verdict.remedy).not.toMatch(/--no-sandbox/);
    }
  });

  it('without the AppArmor restriction, a broken SUID helper gets the chown/chmod fix', () => {
    const verdict = judgeElectronExit({ code: null, signal: 'SIGTRAP', stderr: SUID_ABORT }, linux);
    expect(verdict).toMatchObject({ kind: 'cannot-start' });
    if (verdict.kind !== 'cannot-start') throw new Error('unreachable');
    expect(verdict.reason).toMatch(/Chromium's sandbox cannot start/);
    expect(verdict.remedy).toContain(
      'sudo chown root:root /home/ada/sagan/node_modules/electron/dist/chrome-sandbox && sudo chmod 4755 /home/ada/sagan/node_modules/electron/dist/chrome-sandbox',
    );
  });

  it('a missing system library is a start failure with the library named', () => {
    const verdict = judgeElectronExit(
      {
        code: 127,
        signal: null,
        stderr:
          '/x/electron: error while loading shared libraries: libnss3.so: cannot open shared object file: No such file or directory\n',
      },
      linux,
    );
    expect(verdict).toMatchObject({ kind: 'cannot-start', exitCode: 127 });
    expect(verdict.kind === 'cannot-start' && verdict.reason).toMatch(/libnss3\.so/);
  });

  it('keeps only the tail of a long stderr, across chunk boundaries', () => {
    const tail = new StderrTail(64);
    tail.push(Buffer.from('x'.repeat(100)));
    tail.push(Buffer.from('The SUID sandbox helper binary was found'));
    expect(tail.text().length).toBeLessThanOrEqual(64);
    expect(tail.text()).toMatch(/The SUID sandbox helper binary was found$/);
  });
});
