import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron } from '../scripts/build-electron';
import { electronBinary, noDisplayReason } from '../scripts/electron-binary';
import { ElectronApp } from './pages/electron-app';

/** The desktop app itself, driven through Playwright's Electron support; runs where the Electron binary exists. */
const root = join(import.meta.dirname, '..');
const binary = electronBinary(join(root, 'node_modules', 'electron'));
const skipReason = !binary
  ? 'the Electron binary is not installed (node_modules/electron/dist is missing; `node node_modules/electron/install.js` fetches it)'
  : noDisplayReason(process.platform, process.env);
if (skipReason) console.log(`e2e/electron.e2e.ts skipped: ${skipReason}.`);

describe.skipIf(skipReason !== null)('desktop app (Electron)', () => {
  let studio: ElectronApp;

  beforeAll(async () => {
    await buildElectron();
    studio = await ElectronApp.launch(binary!, root);
  }, 180_000);
  afterAll(async () => studio?.close());

  it('opens one sandboxed, isolated window on the app scheme, whose page has the narrow bridge and no Node', async () => {
    expect(await studio.title()).toBe('Untitled GAN — SAGAN Studio');
    const page = await studio.window.evaluate(() => ({
      url: location.href,
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys(window.saganHost ?? {}).sort(),
    }));
    expect(page).toEqual({
      url: expect.stringMatching(/^sagan:\/\/app\/index\.html/),
      require: 'undefined',
      process: 'undefined',
      bridge: ['onEvent', 'request'],
    });
    // The Content-Security-Policy keeps the page off the network.
    expect(
      await studio.window.evaluate(() =>
        fetch('https://example.com/').then(
          () => 'reached',
          () => 'blocked',
        ),
      ),
    ).toBe('blocked');
    expect(await studio.api('host.info', {})).toMatchObject({
      kind: 'desktop',
      documentsDir: studio.folders.documents,
    });
  });

  it('opens a preset, starts and stops a short run, and exports it to a folder chosen in the native dialog', async () => {
    await studio.newFromPreset('sagan-mnist');
    await expect.poll(() => studio.title()).toBe('SAGAN-MNIST — SAGAN Studio');
    await studio.collectEvents();

    // The same calls the training view makes, through the preload bridge and main into the engine process.
    const doc = await studio.api('presets.get', { name: 'sagan-mnist' });
    const run = await studio.api<{ id: string }>('training.start', {
      doc,
      docPath: null,
      data: { kind: 'mnist' },
      steps: 10_000,
      batchSize: 8,
      sampleEvery: 1,
    });
    await studio.waitForTrainingEvent(run.id, 'step');
    const stopped = await studio.api<{ status: string; checkpointStep: number | null }>('training.stop', {
      runId: run.id,
    });
    expect(stopped.status).toBe('stopped');
    expect(stopped.checkpointStep).not.toBeNull();

    const exportsDir = join(studio.folders.root, 'exports');
    mkdirSync(exportsDir);
    await studio.answerFolderDialog(exportsDir);
    const chosen = await studio.api<{ path: string | null }>('dialogs.chooseFolder', {
      title: 'Export the model to a folder',
    });
    expect(chosen.path).toBe(exportsDir);
    const outDir = join(exportsDir, 'sagan-mnist-model');
    const exported = await studio.api<{ outDir: string; files: string[] }>('runs.export', { runId: run.id, outDir });
    expect(exported.files).toContain('export.json');

    // What the export is for: the CLI samples images from it.
    const png = join(studio.folders.root, 'samples.png');
    const sample = spawnSync(
      process.execPath,
      [join(root, 'bin', 'sagan-studio.js'), 'sample', outDir, '--n', '4', '--out', png],
      { cwd: root, encoding: 'utf8' },
    );
    expect(sample.status, sample.stderr).toBe(0);
    expect(existsSync(png)).toBe(true);

    // The Export menu asks for the format (TensorFlow.js or PyTorch package) as a browser's dialog does, the
    // folder in the native dialog, and offers both Open folder and Copy path afterwards.
    await studio.clickMenu('export-model');
    const dialog = studio.window.getByTestId('export-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('export-format').selectOption('pytorch');
    await studio.answerFolderDialog(exportsDir);
    await dialog.getByTestId('export-choose-folder').click();
    await expect.poll(() => dialog.getByTestId('folder-path').inputValue()).toBe(exportsDir);
    await dialog.getByTestId('export-name').fill('sagan-mnist-torch');
    await dialog.getByTestId('export-confirm').click();
    const toast = studio.window.locator('.toast', { hasText: 'Exported the PyTorch package' });
    await toast.waitFor({ timeout: 120_000 });
    expect(await toast.locator('.toast-action').allInnerTexts()).toEqual(['Open folder', 'Copy path']);
    expect(existsSync(join(exportsDir, 'sagan-mnist-torch', 'model.py'))).toBe(true);

    await studio.app.evaluate(({ shell }) => {
      (globalThis as { shownItem?: string }).shownItem = '';
      shell.showItemInFolder = (path: string) => void ((globalThis as { shownItem?: string }).shownItem = path);
    });
    await studio.api('shell.showItem', { path: outDir });
    expect(await studio.app.evaluate(() => (globalThis as { shownItem?: string }).shownItem)).toBe(outDir);
  }, 300_000);

  it('Edit → Paste pastes into the focused text field with Chromium’s own command (no clipboard permission)', async () => {
    await studio.app.evaluate(({ clipboard }) => clipboard.writeText('pasted from the menu'));
    await studio.window.evaluate(() => {
      const field = document.createElement('input');
      field.id = 'paste-probe';
      document.body.append(field);
      field.focus();
    });
    await studio.clickMenu('paste');
    await expect.poll(() => studio.window.inputValue('#paste-probe')).toBe('pasted from the menu');
    await studio.window.evaluate(() => document.getElementById('paste-probe')?.remove());
  });

  it('runs a native menu command in the page (Keyboard Shortcuts opens the shortcuts dialog)', async () => {
    await studio.clickMenu('show-shortcuts');
    await studio.window.getByRole('dialog').first().waitFor();
  });
});
