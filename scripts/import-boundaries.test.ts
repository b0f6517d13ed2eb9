import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The lint rule that keeps imports flowing one way between layers (see DEVELOPERS.md). */
const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function problems(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals')
    .map((m) => m.message);
}

describe('import direction', () => {
  it('graph-schemas imports no other layer, no tfjs, no Node', async () => {
    expect(
      await problems(
        'graph-schemas/x.ts',
        "import { compileGraph } from '../electron/engine/core/compile/compile';\nexport { compileGraph };",
      ),
    ).toEqual(expect.arrayContaining([expect.stringContaining('graph-schemas imports no other layer.')]));
    expect(
      await problems('graph-schemas/x.ts', "import * as tf from '@tensorflow/tfjs';\nexport { tf };"),
    ).toHaveLength(1);
    expect(
      await problems('graph-schemas/x.ts', "import { readFile } from 'node:fs/promises';\nexport { readFile };"),
    ).toEqual(expect.arrayContaining([expect.stringContaining('graph-schemas must not use Node built-ins.')]));
    expect(await problems('graph-schemas/x.ts', 'export const cwd = process.cwd();')).toHaveLength(1);
  });

  it('the engine never imports Electron, React or the renderer; its core uses no Node built-ins', async () => {
    expect(await problems('electron/engine/node/x.ts', "import { app } from 'electron';\nexport { app };")).toEqual(
      expect.arrayContaining([expect.stringContaining('The engine never imports Electron or React.')]),
    );
    expect(
      await problems('electron/engine/node/x.ts', "import { App } from '../../../renderer/app/App';\nexport { App };"),
    ).toHaveLength(1);
    expect(
      await problems('electron/engine/core/x.ts', "import { join } from 'node:path';\nexport { join };"),
    ).toHaveLength(1);
    expect(
      await problems(
        'electron/engine/core/x.ts',
        "import { selectBackend } from '../node/backend';\nexport { selectBackend };",
      ),
    ).toHaveLength(1);
  });

  it('nothing reaches into the renderer, and the renderer reaches the engine only through graph-schemas', async () => {
    expect(
      await problems(
        'renderer/x.ts',
        "import { startTraining } from '../electron/engine/node/run/engine-client';\nexport { startTraining };",
      ),
    ).toHaveLength(1);
    expect(await problems('cli/x.ts', "import { App } from '../renderer/app/App';\nexport { App };")).toHaveLength(1);
    expect(await problems('cli/x.ts', "import { app } from 'electron';\nexport { app };")).toEqual([
      expect.stringContaining('Only electron/main and electron/preload import Electron.'),
    ]);
    expect(
      await problems('cli/x.ts', "import { createHost } from '../electron/host/handlers';\nexport { createHost };"),
    ).toEqual([]);
    expect(
      await problems(
        'electron/engine/node/x.ts',
        "import { validateGraph } from '../../../graph-schemas';\nexport { validateGraph };",
      ),
    ).toEqual([]);
  });

  it('electron/main imports electron, the host and graph-schemas, never the engine, the preload or the renderer', async () => {
    expect(
      await problems(
        'electron/main/x.ts',
        "import { app } from 'electron';\nimport { createHost } from '../host/handlers';\nimport { desktopIpc } from '../../graph-schemas';\nexport { app, createHost, desktopIpc };",
      ),
    ).toEqual([]);
    expect(
      await problems(
        'electron/main/x.ts',
        "import { startTraining } from '../engine/node/run/engine-client';\nexport { startTraining };",
      ),
    ).toEqual([expect.stringContaining('The main process imports electron, electron/host and graph-schemas only')]);
    expect(
      await problems(
        'electron/main/x.ts',
        "import { createHostBridge } from '../preload/host-bridge';\nexport { createHostBridge };",
      ),
    ).toHaveLength(1);
  });

  it('the sandboxed preload imports electron and graph-schemas only, and no Node built-ins', async () => {
    expect(
      await problems(
        'electron/preload/x.ts',
        "import { contextBridge } from 'electron';\nimport { desktopIpc } from '../../graph-schemas/api/desktop-ipc';\nexport { contextBridge, desktopIpc };",
      ),
    ).toEqual([]);
    expect(
      await problems('electron/preload/x.ts', "import { createHost } from '../host/handlers';\nexport { createHost };"),
    ).toEqual([expect.stringContaining('The preload imports electron and graph-schemas only.')]);
    expect(
      await problems('electron/preload/x.ts', "import { readFile } from 'node:fs';\nexport { readFile };"),
    ).toEqual([expect.stringContaining('no Node built-ins')]);
    expect(await problems('electron/preload/x.ts', 'export const env = process.env;')).toHaveLength(1);
  });

  it('nothing but electron/main and electron/preload imports Electron', async () => {
    const importsElectron = "import { app } from 'electron';\nexport { app };";
    for (const file of [
      'graph-schemas/x.ts',
      'electron/engine/node/x.ts',
      'electron/host/x.ts',
      'cli/x.ts',
      'renderer/x.ts',
    ]) {
      expect((await problems(file, importsElectron)).length, file).toBeGreaterThan(0);
    }
  });
});
