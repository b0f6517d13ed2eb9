import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { CanvasPane } from './canvas-pane';
import { FileDialog } from './file-dialog';

type Network = 'generator' | 'discriminator';

/** The editor as a person sees it: menus, the two canvases, the inspector, dialogs and messages. */
export class StudioPage {
  readonly generator: CanvasPane;
  readonly discriminator: CanvasPane;
  readonly fileDialog: FileDialog;

  private constructor(
    readonly page: Page,
    private readonly artifactsDir: string,
  ) {
    this.generator = new CanvasPane(page, 'generator');
    this.discriminator = new CanvasPane(page, 'discriminator');
    this.fileDialog = new FileDialog(page);
  }

  /** Opens the app in a new tab; discards any autosaved work left by an earlier test, so it starts at the welcome gallery. */
  static async open(context: BrowserContext, url: string, artifactsDir: string): Promise<StudioPage> {
    const page = await context.newPage();
    const studio = new StudioPage(page, artifactsDir);
    await studio.load(url);
    return studio;
  }

  async load(url: string, opts: { keepRecovery?: boolean } = {}): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('[data-testid="preset-gallery"], [data-testid="recover-dialog"]').first().waitFor();
    if (!opts.keepRecovery && (await this.recoverDialog.isVisible())) {
      await this.recoverDialog.getByRole('button', { name: 'Discard it' }).click();
      await this.gallery.waitFor();
    }
  }

  get gallery(): Locator {
    return this.page.getByTestId('preset-gallery');
  }

  get recoverDialog(): Locator {
    return this.page.getByTestId('recover-dialog');
  }

  canvas(network: Network): CanvasPane {
    return network === 'generator' ? this.generator : this.discriminator;
  }

  /** Picks a preset in the gallery (the welcome screen, or File → New from preset). */
  async newFromPreset(name: string): Promise<void> {
    if (!(await this.gallery.isVisible())) await this.menu('File', 'New from preset…');
    const started = this.page.locator('.toast', { hasText: 'New graph from the' });
    const before = await started.count();
    await this.gallery.locator(`[data-preset="${name}"]`).click();
    await this.gallery.waitFor({ state: 'detached' });
    // The preset arrives from the host after the gallery closes; its message says it is in.
    await started.nth(before).waitFor();
    await this.waitForValidation();
  }

  async menu(title: string, item: string): Promise<void> {
    await this.page.locator('.menu-title', { hasText: title }).click();
    await this.page.locator('.menu-dropdown .menu-item', { hasText: item }).first().click();
  }

  /** Waits until the shapes and totals describe the latest edit. */
  async waitForValidation(): Promise<void> {
    await this.page.locator('.pane-total.stale').first().waitFor({ state: 'detached' });
    await this.page.locator('.pane-total', { hasText: 'params' }).first().waitFor();
  }

  /** The totals in the toolbar, which are shown whatever the view: { generator, discriminator }. */
  async totals(): Promise<{ generator: number; discriminator: number }> {
    await this.waitForValidation();
    const read = async (n: Network) =>
      Number((await this.page.getByTestId(`toolbar-total-${n}`).innerText()).replace(/,/g, ''));
    return { generator: await read('generator'), discriminator: await read('discriminator') };
  }

  async press(keys: string): Promise<void> {
    await this.page.keyboard.press(keys);
  }

  async undo(): Promise<void> {
    await this.press('Control+z');
    await this.waitForValidation();
  }

  async redo(): Promise<void> {
    await this.press('Control+Shift+z');
    await this.waitForValidation();
  }

  /** The latest message in the corner. */
  async lastToast(level?: 'info' | 'success' | 'warning' | 'error'): Promise<string> {
    const toast = this.page.locator(`.toast${level ? `[data-level="${level}"]` : ''}`).last();
    await toast.waitFor();
    return toast.locator('.toast-message').innerText();
  }

  async title(): Promise<string> {
    return this.page.title();
  }

  get dirtyMarker(): Locator {
    return this.page.getByTestId('dirty-marker');
  }

  get docName(): Locator {
    return this.page.getByTestId('doc-name');
  }

  inspectorField(key: string): Locator {
    return this.page.getByTestId(`param-${key}`);
  }

  inspectorError(key: string): Locator {
    return this.page.getByTestId(`param-${key}-error`);
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: join(this.artifactsDir, `${name}.png`) });
  }
}
