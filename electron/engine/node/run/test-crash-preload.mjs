// Test fixture, loaded with `node --import` by session.test.ts (never by the app): kills the process in the middle
// of writing a checkpoint, as a power cut would. Node runs --import modules in every worker thread too, so the
// training thread gets it. SAGAN_TEST_KILL_BEFORE_RENAME names the file (e.g. step-00000006.state.json): when a
// temp file is about to be renamed onto it, half of the temp is kept and the process dies by SIGKILL.
import fs from 'node:fs/promises';
import { truncateSync, statSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';

const target = process.env.SAGAN_TEST_KILL_BEFORE_RENAME;
if (target) {
  const rename = fs.rename;
  fs.rename = async (from, to) => {
    if (basename(String(to)) === target) {
      truncateSync(from, Math.floor(statSync(from).size / 2));
      process.kill(process.pid, 'SIGKILL');
    }
    return rename(from, to);
  };
  // ES modules that imported { rename } from 'node:fs/promises' see the replacement too.
  syncBuiltinESMExports();
}
