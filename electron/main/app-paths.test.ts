import { describe, expect, it } from 'vitest';
import { appFiles, appFolders, graphFileInArgs } from './app-paths';

describe('app files', () => {
  it('everything comes from the app folder: the built renderer and the bundles (no TypeScript, no esbuild at run time)', () => {
    for (const appPath of ['/work/main', '/opt/SAGAN Studio/resources/app'])
      expect(appFiles(appPath)).toEqual({
        rendererDir: `${appPath}/dist/renderer`,
        preload: `${appPath}/dist/electron/preload.cjs`,
        engineEntry: `${appPath}/dist/engine/engine-process.mjs`,
        icon: `${appPath}/build/icons/512x512.png`,
      });
  });

  it('folders: user data and documents by default, each movable by an environment variable', () => {
    const paths = { userData: '/home/ada/.config/sagan-studio', documents: '/home/ada/Documents' };
    expect(appFolders({}, paths)).toEqual({
      stateDir: '/home/ada/.config/sagan-studio/state',
      documentsDir: '/home/ada/Documents/SAGAN Studio',
    });
    expect(
      appFolders({ SAGAN_STATE_DIR: '/tmp/s', SAGAN_DOCUMENTS_DIR: '/tmp/d', SAGAN_RUNS_DIR: '/tmp/r' }, paths),
    ).toEqual({ stateDir: '/tmp/s', documentsDir: '/tmp/d', runsDir: '/tmp/r' });
  });

  it('finds a graph file the OS passed on the command line', () => {
    expect(graphFileInArgs(['/usr/bin/sagan-studio', '--no-sandbox', 'my gan.sagan.json'], '/home/ada')).toBe(
      '/home/ada/my gan.sagan.json',
    );
    expect(graphFileInArgs(['electron', '.', '/data/x.SAGAN.JSON'], '/w')).toBe('/data/x.SAGAN.JSON');
    expect(graphFileInArgs(['electron', '.'], '/w')).toBeNull();
    expect(graphFileInArgs(['electron', 'notes.json'], '/w')).toBeNull();
  });

  it('accepts the file: URIs a Linux file manager passes for %U, percent-escapes decoded; other URLs are not files', () => {
    expect(graphFileInArgs(['/opt/SAGAN Studio/sagan-studio', 'file:///home/ada/my%20gan.sagan.json'], '/')).toBe(
      '/home/ada/my gan.sagan.json',
    );
    expect(graphFileInArgs(['sagan-studio', 'file://localhost/data/x%C3%A9.sagan.json'], '/')).toBe(
      '/data/xé.sagan.json',
    );
    expect(graphFileInArgs(['sagan-studio', 'sftp://host/data/x.sagan.json'], '/w')).toBeNull();
    expect(graphFileInArgs(['sagan-studio', 'file:///data/notes.json'], '/w')).toBeNull();
    expect(graphFileInArgs(['sagan-studio', 'file://other-host/x.sagan.json'], '/w')).toBeNull();
  });
});
