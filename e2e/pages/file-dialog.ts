import type { Locator, Page } from 'playwright-core';

/** The in-app file dialog (open and save as), built on the host's files.list. */
export class FileDialog {
  readonly root: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByTestId('file-dialog');
  }

  /** Saves under `name`; resolves once the app says it is saved (the dialog closes before the host has written). */
  async saveAs(name: string): Promise<void> {
    await this.root.waitFor();
    const said = this.page.locator('.toast', { hasText: `Saved ${name}` });
    const before = await said.count();
    await this.root.getByTestId('file-name').fill(name);
    await this.root.getByTestId('save-confirm').click();
    await this.root.waitFor({ state: 'detached' });
    await said.nth(before).waitFor();
  }

  /** Opens a file from the current folder; resolves once the app has said how it went (opened, or why not). */
  async open(fileName: string): Promise<void> {
    await this.root.waitFor();
    const said = this.page.locator('.toast', { hasText: fileName });
    const before = await said.count();
    const row = this.root.locator(`.file-row[data-file="${fileName}"]`);
    await row.click();
    await this.root.getByRole('button', { name: 'Open', exact: true }).click();
    await this.root.waitFor({ state: 'detached' });
    await said.nth(before).waitFor();
  }
}
