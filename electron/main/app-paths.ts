import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppFiles {
  /** The built renderer (npm run build:renderer). */
  rendererDir: string;
  /** The bundled preload (npm run build:electron). */
  preload: string;
  /** The bundled engine process (npm run build:electron), run as a utilityProcess. */
  engineEntry: string;
  /** The window icon (Linux; macOS and Windows take theirs from the app bundle). */
  icon: string;
}

/** The app's files under its folder (app.getAppPath(): the repository in development, resources/app packaged). */
export function appFiles(appPath: string): AppFiles {
  const at = (...parts: string[]) => join(appPath, ...parts);
  return {
    rendererDir: at('dist', 'renderer'),
    preload: at('dist', 'electron', 'preload.cjs'),
    engineEntry: at('dist', 'engine', 'engine-process.mjs'),
    icon: at('build', 'icons', '512x512.png'),
  };
}

/** Folders the app keeps its things in; each can be moved with an environment variable (tests, portable setups). */
export interface AppFolders {
  stateDir: string;
  documentsDir: string;
  runsDir?: string;
}

export function appFolders(env: NodeJS.ProcessEnv, paths: { userData: string; documents: string }): AppFolders {
  return {
    stateDir: resolve(env.SAGAN_STATE_DIR ?? join(paths.userData, 'state')),
    documentsDir: resolve(env.SAGAN_DOCUMENTS_DIR ?? join(paths.documents, 'SAGAN Studio')),
    ...(env.SAGAN_RUNS_DIR ? { runsDir: resolve(env.SAGAN_RUNS_DIR) } : {}),
  };
}

/**
 * A graph file named on the command line (the OS passes it when a .sagan.json file is opened with the app). Linux
 * file managers run the desktop entry's `Exec=… %U` with `file:///…` URIs (percent-escaped); other URLs are not files.
 */
export function graphFileInArgs(argv: readonly string[], cwd: string): string | null {
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue;
    const path = /^[a-z][a-z0-9+.-]+:\/\//i.test(arg) ? localPathOfUrl(arg) : resolve(cwd, arg);
    if (path && /\.sagan\.json$/i.test(path)) return path;
  }
  return null;
}

/** The local path of a file: URL, or null for other schemes and for files on another host. */
function localPathOfUrl(url: string): string | null {
  try {
    return new URL(url).protocol === 'file:' ? fileURLToPath(url) : null;
  } catch {
    return null;
  }
}
