import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { confinedTo } from '../../electron/host/folder-access';
import { createHost } from '../../electron/host/handlers';
import { nodeHostFs } from '../../electron/host/host-fs';
import type { WebServer } from '../../electron/host/web-server';
import { startWebServer } from '../../electron/host/web-server';
import type { CliIO } from '../io';
import { UsageError } from '../io';

export const serveUsage = 'sagan-studio serve [--port N] [--dir PATH] [--data-dir PATH]...';

export const NOT_BUILT = 'The editor is not built yet: run npm run build:renderer (or npm run serve, which builds it).';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where recent files and the recovery snapshot live: $SAGAN_STATE_DIR, else the XDG state folder. */
export function stateDirFor(env: NodeJS.ProcessEnv, home = homedir()): string {
  if (env.SAGAN_STATE_DIR) return resolve(env.SAGAN_STATE_DIR);
  return join(env.XDG_STATE_HOME ? resolve(env.XDG_STATE_HOME) : join(home, '.local', 'state'), 'sagan-studio');
}

export interface ServeDeps {
  env?: NodeJS.ProcessEnv;
  /** Resolves when the server should stop; by default on Ctrl-C (SIGINT) or SIGTERM. */
  waitForStop?: (server: WebServer) => Promise<void>;
}

/** Serves the built renderer (dist/renderer) and the API on 127.0.0.1 until Ctrl-C. */
export async function serveCommand(args: string[], io: CliIO, deps: ServeDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, dir: { type: 'string' }, 'data-dir': { type: 'string', multiple: true } },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a whole number from 0 to 65535, 0 for any free port (got "${values.port}").`);
  const documentsDir = resolve(values.dir ?? process.cwd());
  if (!isFolder(documentsDir)) {
    io.err(`The documents folder ${documentsDir} does not exist or is not a folder; give an existing one with --dir.`);
    return 1;
  }
  const dataDirs = (values['data-dir'] ?? []).map((d) => resolve(d));
  const missing = dataDirs.find((d) => !isFolder(d));
  if (missing) {
    io.err(`The dataset folder ${missing} does not exist or is not a folder; give an existing one with --data-dir.`);
    return 1;
  }
  // SAGAN_RENDERER_DIR serves another build (tests, packaging); normally it is the repository's dist/renderer.
  const staticDir = resolve(env.SAGAN_RENDERER_DIR ?? join(repoRoot, 'dist', 'renderer'));
  if (!existsSync(join(staticDir, 'index.html'))) {
    io.err(NOT_BUILT);
    return 1;
  }
  const stateDir = stateDirFor(env);
  try {
    mkdirSync(stateDir, { recursive: true });
  } catch (e) {
    io.err(
      `Cannot create the state folder ${stateDir} (${(e as Error).message}); set SAGAN_STATE_DIR to a writable folder.`,
    );
    return 1;
  }
  // Events go to every open page; the server exists only after the host, hence the late binding.
  let server: WebServer | undefined;
  const host = createHost({
    kind: 'web',
    appVersion: appVersion(),
    stateDir,
    documentsDir,
    // Any page holding the token drives this host: its file operations stay in the folders named here.
    access: confinedTo([documentsDir, ...dataDirs], nodeHostFs),
    emit: (message) => server?.broadcast(message),
  });
  try {
    server = await startWebServer({ port, staticDir, handlers: host.handlers });
  } catch (e) {
    io.err((e as Error).message);
    return 1;
  }
  io.out(`SAGAN Studio is running at ${server.url}`);
  io.out(`Documents folder: ${documentsDir}`);
  if (dataDirs.length > 0) io.out(`Dataset folders: ${dataDirs.join(', ')}`);
  io.out('Files, runs, exports and datasets outside these folders are refused.');
  io.out(
    `From another machine: ssh -L ${server.port}:127.0.0.1:${server.port} <this host>, then open the same address there.`,
  );
  io.out('Press Ctrl-C to stop.');
  try {
    await (deps.waitForStop ?? untilInterrupted)(server);
  } finally {
    await host.shutdown();
    await server.close();
  }
  io.out('SAGAN Studio stopped.');
  return 0;
}

function untilInterrupted(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function appVersion(): string {
  try {
    return String(
      (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version?: unknown }).version ?? '0.0.0',
    );
  } catch {
    return '0.0.0';
  }
}
