import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { chromiumPerFile } from './browser';
import { StudioPage } from './pages/studio-page';

const url = inject('saganUrl');
const docsDir = inject('docsDir');
const artifacts = inject('artifactsDir');
const chromium = chromiumPerFile();

describe('files', () => {
  it('saves, reloads the page, reopens the file and finds it identical', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    await studio.newFromPreset('sagan-32');
    await studio.generator.deleteNode('g_attention');
    await studio.generator.dropBlockOnEdge('SelfAttention', 'g_up3.out->g_bn.in');
    await studio.generator.node('g_attention').waitFor();
    const edited = await studio.totals();

    await studio.press('Control+s');
    await studio.fileDialog.saveAs('attention-feat32');
    expect(await studio.lastToast('success')).toBe('Saved attention-feat32.sagan.json.');
    expect(await studio.dirtyMarker.count()).toBe(0);
    expect(await studio.title()).toBe('attention-feat32.sagan.json — SAGAN Studio');
    const saved = readFileSync(join(docsDir, 'attention-feat32.sagan.json'), 'utf8');
    expect(JSON.parse(saved)).toMatchObject({ format: 'sagan-studio/graph', name: 'SAGAN-32' });

    await studio.load(url);
    await studio.gallery.getByRole('button', { name: /Open a file/ }).click();
    await studio.fileDialog.open('attention-feat32.sagan.json');
    await studio.waitForValidation();
    expect(await studio.totals()).toEqual(edited);
    await expect.poll(() => studio.generator.node('g_attention').getByTestId('resolution').innerText()).toBe('feat32');
    await studio.screenshot('08-reopened');

    // Saving the reopened document under another name writes exactly the same JSON.
    await studio.press('Control+Shift+s');
    await studio.fileDialog.saveAs('reopened');
    expect(await studio.lastToast('success')).toBe('Saved reopened.sagan.json.');
    expect(readFileSync(join(docsDir, 'reopened.sagan.json'), 'utf8')).toBe(saved);
    // And it is in the recent files.
    await studio.page.locator('.menu-title', { hasText: 'File' }).click();
    await studio.page.locator('.menu-dropdown .menu-item', { hasText: 'attention-feat32.sagan.json' }).waitFor();
    await studio.press('Escape');
    await studio.page.close();
  });

  it('the welcome screen shows the recent files first, without scrolling, at 1280×800', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    await studio.page.setViewportSize({ width: 1280, height: 800 });
    await studio.newFromPreset('sagan-mnist');
    await studio.press('Control+s');
    await studio.fileDialog.saveAs('recent-at-1280');
    expect(await studio.lastToast('success')).toBe('Saved recent-at-1280.sagan.json.');

    await studio.load(url);
    const recent = studio.gallery.getByTestId('recent-files');
    const card = recent.locator('.preset-card.recent', { hasText: 'recent-at-1280.sagan.json' });
    await card.waitFor();
    // In the window as it opens: nothing scrolled, the card's whole box inside the 800 px.
    const box = (await card.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    expect(
      await studio.gallery.evaluate((el) => [el, ...el.querySelectorAll('*')].every((e) => e.scrollTop === 0)),
    ).toBe(true);
    await studio.screenshot('10-welcome-recent-1280');
    await card.click();
    await studio.gallery.waitFor({ state: 'detached' });
    await expect.poll(() => studio.title()).toBe('recent-at-1280.sagan.json — SAGAN Studio');
    await studio.page.close();
  });

  it('a corrupt file gets a clear message and the open graph is kept', async () => {
    writeFileSync(join(docsDir, 'broken.sagan.json'), '{ "format": "sagan-studio/graph", "version": 1, "name": "half');
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    await studio.newFromPreset('sagan-mnist');
    const before = await studio.totals();
    await studio.press('Control+o');
    await studio.fileDialog.open('broken.sagan.json');
    const message = await studio.lastToast('error');
    expect(message).toMatch(/^Could not open broken\.sagan\.json: broken\.sagan\.json is not valid JSON/);
    expect(message).toMatch(/Your open graph was not changed\.$/);
    expect(await studio.docName.innerText()).toBe('SAGAN-MNIST');
    expect(await studio.totals()).toEqual(before);
    await studio.screenshot('09-corrupt-file');
    await studio.page.close();
  });

  it('autosaves unsaved work and offers to restore it after a crash', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    await studio.newFromPreset('sagan-32');
    await studio.generator.deleteNode('g_attention');
    const edited = await studio.totals();
    // Wait for the debounced autosave, then lose the tab without any goodbye (as in a crash).
    await studio.page.waitForTimeout(2500);
    await studio.page.close({ runBeforeUnload: false });

    // A bare page: StudioPage.open would discard the snapshot.
    const page = await chromium.context.newPage();
    await page.goto(url);
    const dialog = page.getByTestId('recover-dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('SAGAN-32');
    await page.screenshot({ path: join(artifacts, '10-recover.png') });
    await dialog.getByRole('button', { name: 'Restore' }).click();
    await page.getByTestId('dirty-marker').waitFor();
    await page.locator('.pane-total.stale').first().waitFor({ state: 'detached' });
    expect(Number((await page.getByTestId('toolbar-total-generator').innerText()).replace(/,/g, ''))).toBe(
      edited.generator,
    );
    await page.close({ runBeforeUnload: false });
  });
});
