import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

export interface StudioServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts the real `sagan-studio serve` on a free port with the given documents and state folders; resolves with its address. */
export function startStudioServer(docsDir: string, stateDir: string): Promise<StudioServer> {
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'sagan-studio.js'), 'serve', '--port', '0', '--dir', docsDir],
    {
      cwd: root,
      env: { ...process.env, SAGAN_STATE_DIR: stateDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const stop = async () => {
    child.removeAllListeners('exit');
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`sagan-studio serve printed no address within 30 s:\n${output}`)),
      30_000,
    );
    const fail = (e: Error) => {
      clearTimeout(timer);
      void stop();
      reject(e);
    };
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, stop });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => fail(new Error(`sagan-studio serve exited with code ${code}:\n${output}`)));
  });
}
