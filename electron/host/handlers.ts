import { homedir } from 'node:os';
import { sep } from 'node:path';
import type { ApiHandlers, PresetSummary } from '../../graph-schemas';
import { ApiError, findPreset, presets } from '../../graph-schemas';
import { listFolder, readTextFile, writeTextFile } from './files';
import type { HostFs } from './host-fs';
import { fsApiError, nodeHostFs } from './host-fs';
import { resolveUserPath } from './paths';
import { RecentFiles } from './recent-files';
import { RecoveryStore } from './recovery';

export interface HostOptions {
  kind: 'desktop' | 'web';
  appVersion: string;
  /** Where the host keeps its own state: recent files and the recovery snapshot. */
  stateDir: string;
  /** Where relative paths start and new graphs are saved by default. */
  documentsDir: string;
  homeDir?: string;
  /** Tests replace single calls (a rename that fails) to check what a crash leaves behind. */
  fs?: Partial<HostFs>;
  now?: () => Date;
}

/** The API implementation both shells share: the Electron main process and the local web server call these. */
export function createHostHandlers(opts: HostOptions): ApiHandlers {
  const fs: HostFs = { ...nodeHostFs, ...opts.fs };
  const homeDir = opts.homeDir ?? homedir();
  const documentsDir = resolveUserPath(opts.documentsDir, process.cwd(), homeDir);
  const stateDir = resolveUserPath(opts.stateDir, process.cwd(), homeDir);
  const userPath = (path: string) => resolveUserPath(path, documentsDir, homeDir);
  const recent = new RecentFiles(fs, stateDir, opts.now);
  const recovery = new RecoveryStore(fs, stateDir, opts.now);
  /** A failure in the state folder names that folder (an unwritable ~/.local/state is the usual cause). */
  const inStateDir = <T>(work: Promise<T>) =>
    work.catch((e: unknown) => {
      throw fsApiError(e, stateDir, 'use the state folder');
    });

  return {
    'host.info': () => ({
      kind: opts.kind,
      appVersion: opts.appVersion,
      platform: process.platform,
      documentsDir,
      homeDir,
      pathSeparator: sep === '\\' ? '\\' : '/',
    }),
    'presets.list': () => presets.map((p): PresetSummary => ({ name: p.name, title: p.title, summary: p.summary, group: p.group })),
    'presets.get': ({ name }) => {
      const preset = findPreset(name);
      if (!preset) throw new ApiError('not-found', `Unknown preset "${name}". Presets: ${presets.map((p) => p.name).join(', ')}.`);
      return preset.build();
    },
    'files.list': ({ path }) => listFolder(fs, userPath(path)),
    'files.read': ({ path }) => readTextFile(fs, userPath(path)),
    'files.write': ({ path, text, expectedMtimeMs, overwrite }) => writeTextFile(fs, userPath(path), text, { expectedMtimeMs, overwrite }),
    'files.recent': () => inStateDir(recent.list()),
    'files.addRecent': ({ path }) => inStateDir(recent.add(userPath(path))),
    'recovery.save': ({ text, path, name }) => inStateDir(recovery.save({ text, path: path === null ? null : userPath(path), name })),
    'recovery.load': () => inStateDir(recovery.load()),
    'recovery.clear': () => inStateDir(recovery.clear()),
  };
}
