import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElectronApplication, Page } from 'playwright-core';
import { _electron } from 'playwright-core';
import type { EventMessage, MenuCommand, ResponseMessage } from '../../graph-schemas';

declare global {
  interface Window {
    /** Events the spec collects from window.saganHost (see ElectronApp.collectEvents). */
    __saganEvents?: EventMessage[];
  }
}

/**
 * The desktop app as a person (and the OS) sees it: its one window, its native menu and dialogs. Native dialogs
 * cannot be clicked by a test, so `answerFolderDialog` answers them in the main process, at the OS boundary.
 */
export class ElectronApp {
  private nextId = 1;

  private constructor(
    readonly app: ElectronApplication,
    readonly window: Page,
    readonly folders: { root: string; documents: string; state: string },
  ) {}

  /** Starts the app from the repository (dist/ must be built) with fresh documents and state folders. */
  static async launch(executablePath: string, repoRoot: string): Promise<ElectronApp> {
    const root = mkdtempSync(join(tmpdir(), 'sagan-electron-e2e-'));
    const folders = { root, documents: join(root, 'documents'), state: join(root, 'state') };
    mkdirSync(folders.documents, { recursive: true });
    const app = await _electron.launch({
      executablePath,
      args: ['.'],
      cwd: repoRoot,
      env: {
        ...process.env,
        SAGAN_DOCUMENTS_DIR: folders.documents,
        SAGAN_STATE_DIR: folders.state,
        ELECTRON_ENABLE_LOGGING: '1',
      } as Record<string, string>,
      timeout: 60_000,
    });
    const window = await app.firstWindow();
    await window.getByTestId('preset-gallery').waitFor({ timeout: 60_000 });
    return new ElectronApp(app, window, folders);
  }

  title(): Promise<string> {
    return this.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle() ?? '');
  }

  async newFromPreset(name: string): Promise<void> {
    const gallery = this.window.getByTestId('preset-gallery');
    await gallery.locator(`[data-preset="${name}"]`).click();
    await gallery.waitFor({ state: 'detached' });
    await this.window.locator('.toast', { hasText: 'New graph from the' }).first().waitFor();
  }

  /** Clicks a native menu item (its id is the menu command). */
  async clickMenu(command: MenuCommand): Promise<void> {
    const found = await this.app.evaluate(({ Menu }, id) => {
      const item = Menu.getApplicationMenu()?.getMenuItemById(id);
      item?.click();
      return !!item;
    }, command);
    if (!found) throw new Error(`The native menu has no item for "${command}".`);
  }

  /** The next native open/folder dialog answers `path` (as if the user chose it). */
  async answerFolderDialog(path: string): Promise<void> {
    await this.app.evaluate(({ dialog }, chosen) => {
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [chosen] })) as typeof dialog.showOpenDialog;
    }, path);
  }

  /** Calls the host API from the page, through the preload bridge, as the renderer does. */
  async api<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    const response = await this.window.evaluate(
      ([m, p, i]) => window.saganHost!.request({ id: i as number, method: m as string, params: p }),
      [method, params, id] as const,
    );
    if ('error' in (response as ResponseMessage))
      throw new Error(`${method}: ${(response as { error: { message: string } }).error.message}`);
    return (response as { result: T }).result;
  }

  async collectEvents(): Promise<void> {
    await this.window.evaluate(() => {
      window.__saganEvents = [];
      window.saganHost!.onEvent((e) => window.__saganEvents!.push(e));
    });
  }

  /** Waits for a training event of `type` for the run; returns it. */
  async waitForTrainingEvent(runId: string, type: string, timeoutMs = 120_000): Promise<Record<string, unknown>> {
    const handle = await this.window.waitForFunction(
      ([id, t]) =>
        window.__saganEvents?.find(
          (e) =>
            e.event === 'training.event' &&
            (e.payload as { runId: string }).runId === id &&
            (e.payload as { event: { type: string } }).event.type === t,
        )?.payload,
      [runId, type] as const,
      { timeout: timeoutMs, polling: 200 },
    );
    return (await handle.jsonValue()) as Record<string, unknown>;
  }

  async close(): Promise<void> {
    await this.app.close();
    rmSync(this.folders.root, { recursive: true, force: true });
  }
}
