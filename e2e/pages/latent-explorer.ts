import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';

/** The latent explorer dialog as a person uses it: checkpoint, seed, truncation, grid cells, interpolation, saving. */
export class LatentExplorerView {
  readonly dialog: Locator;

  constructor(private readonly page: Page) {
    this.dialog = page.getByTestId('latent-explorer');
  }

  get grid(): Locator {
    return this.dialog.getByTestId('latent-grid');
  }

  get strip(): Locator {
    return this.dialog.getByTestId('latent-strip');
  }

  /** Waits until the engine has drawn and nothing is pending. */
  async settled(): Promise<void> {
    await this.dialog.locator('.latent-body[aria-busy="false"]').waitFor({ timeout: 120_000 });
  }

  /** The src of a picture (changes whenever the engine draws something else). */
  async src(picture: Locator): Promise<string> {
    return (await picture.locator('img').getAttribute('src')) ?? '';
  }

  async rowNames(): Promise<string[]> {
    return this.grid.locator('.latent-row-names > div').allInnerTexts();
  }

  async status(): Promise<string> {
    return this.dialog.getByTestId('latent-status').innerText();
  }

  async setTruncation(threshold: number): Promise<void> {
    await this.dialog.getByTestId('latent-truncation-on').check();
    await this.dialog.getByTestId('latent-truncation').fill(String(threshold));
  }

  /** Clicks the middle of a grid cell (row = class row, col = noise column); Shift sets endpoint B. */
  async clickCell(row: number, col: number, shift = false): Promise<void> {
    const img = this.grid.locator('img');
    const { cellSize, padding, zoom } = await img.evaluate((el: HTMLImageElement) => {
      const rows = Number(el.closest('[data-rows]')!.getAttribute('data-rows'));
      const zoom = el.width / el.naturalWidth;
      const cellSize = 32;
      return { cellSize, padding: (el.naturalHeight - rows * cellSize) / (rows + 1), zoom };
    });
    const at = (i: number) => (padding + i * (cellSize + padding) + cellSize / 2) * zoom;
    await img.click({ position: { x: at(col), y: at(row) }, ...(shift ? { modifiers: ['Shift'] } : {}) });
  }

  async interpolate(frames: number, mode: 'linear' | 'spherical'): Promise<void> {
    await this.dialog.getByTestId('latent-frames').fill(String(frames));
    await this.dialog.getByTestId(`latent-mode-${mode}`).click();
    await this.dialog.getByTestId('latent-interpolate').click();
  }

  /** Saves through a button (a download in the browser); the file's name and PNG size. */
  async save(what: 'image' | 'grid' | 'strip'): Promise<{ name: string; width: number; height: number }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download', { timeout: 60_000 }),
      this.dialog.getByTestId(`latent-save-${what}`).click(),
    ]);
    const png = PNG.sync.read(readFileSync(await download.path()));
    return { name: download.suggestedFilename(), width: png.width, height: png.height };
  }

  /** Runs → Explore an export…, the folder typed into the app's folder browser (web host). */
  async openExport(folder: string): Promise<void> {
    await this.page.getByTestId('explore-export').click();
    const picker = this.page.getByTestId('latent-export-picker');
    await picker.waitFor();
    await picker.getByTestId('folder-path').fill(folder);
    await picker.getByTestId('folder-path').press('Enter');
    await picker.getByTestId('latent-export-path').getByText(folder, { exact: true }).waitFor();
    await picker.getByTestId('latent-export-open').click();
    await this.dialog.waitFor();
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Close' }).click();
    await this.dialog.waitFor({ state: 'detached' });
  }
}
