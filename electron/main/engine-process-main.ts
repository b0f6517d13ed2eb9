// The engine's utilityProcess (bundled to dist/engine/engine-process.mjs): the shared host, fed by the main process.
import { createHost } from '../host/handlers';
import type { ParentPortLike } from './engine-process';
import { runEngineProcess } from './engine-process';

runEngineProcess(process.parentPort as unknown as ParentPortLike, (config, emit) =>
  createHost({
    kind: 'desktop',
    appVersion: config.appVersion,
    stateDir: config.stateDir,
    documentsDir: config.documentsDir,
    ...(config.runsDir ? { runsDir: config.runsDir } : {}),
    emit,
  }),
);
