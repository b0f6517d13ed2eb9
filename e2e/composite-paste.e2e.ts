import { describe, expect, inject, it } from 'vitest';
import { chromiumPerFile } from './browser';
import { StudioPage } from './pages/studio-page';

const url = inject('saganUrl');
const artifacts = inject('artifactsDir');
const chromium = chromiumPerFile();

/**
 * File → New from preset over unsaved changes, the "discard them?" question answered yes; done when the blocks of
 * the document before (each test's has some) are gone from the palette.
 */
async function newDiscarding(studio: StudioPage, preset: string): Promise<void> {
  await studio.menu('File', 'New from preset…');
  await studio.gallery.locator(`[data-preset="${preset}"]`).click();
  await studio.page.getByRole('button', { name: 'Discard changes' }).click();
  await studio.gallery.waitFor({ state: 'detached' });
  await studio.page.getByTestId('palette-document-blocks').waitFor({ state: 'detached' });
  await studio.waitForValidation();
}

describe('copy and paste of blocks of the document', () => {
  it('brings the block along into another document, and renames it where that document has a different one', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    await studio.newFromPreset('sagan-mnist');
    const g = studio.generator;
    await g.select('g_up2');
    await studio.press('Control+Shift+e'); // Make editable copy: g_up2 becomes a ResBlockUpCopy
    await expect.poll(() => g.nodesOfType('ResBlockUpCopy').count()).toBe(1);
    await g.select('g_up2');
    await studio.press('Control+c');

    // A new document has no such block: pasting brings it along, and the pasted use has its shape.
    await newDiscarding(studio, 'sagan-mnist');
    const documentBlocks = studio.page.getByTestId('palette-document-blocks');
    expect(await documentBlocks.count()).toBe(0);
    await studio.press('Control+v');
    expect(await studio.lastToast('info')).toMatch(/Brought 1 block of the copied document along \("ResBlockUpCopy"\)/);
    await expect.poll(() => g.nodesOfType('ResBlockUpCopy').count()).toBe(1);
    await documentBlocks.locator('.palette-item[data-block="ResBlockUpCopy"]').waitFor();
    await studio.screenshot('composite-paste-01-carried');

    // Another document whose own ResBlockUpCopy is a different block (copied from g_up3, 16 channels): the pasted
    // one comes in as ResBlockUpCopy2, and the toast says so.
    await newDiscarding(studio, 'sagan-mnist');
    await g.select('g_up3');
    await studio.press('Control+Shift+e');
    await expect.poll(() => g.nodesOfType('ResBlockUpCopy').count()).toBe(1);
    await studio.press('Control+v');
    expect(await studio.lastToast('info')).toMatch(
      /different block called "ResBlockUpCopy" \(the pasted one is "ResBlockUpCopy2"\)/,
    );
    await expect.poll(() => g.nodesOfType('ResBlockUpCopy2').count()).toBe(1);
    await documentBlocks.locator('.palette-item[data-block="ResBlockUpCopy2"]').waitFor();
    expect(await documentBlocks.locator('.palette-item').count()).toBe(2);
    await studio.screenshot('composite-paste-02-renamed');
    await studio.page.close();
  });

  it('pastes nodes copied in another window: they come through the system clipboard, with their block', async () => {
    await chromium.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    const source = await StudioPage.open(chromium.context, url, artifacts);
    await source.newFromPreset('sagan-mnist');
    await source.generator.select('g_up2');
    await source.press('Control+Shift+e');
    await expect.poll(() => source.generator.nodesOfType('ResBlockUpCopy').count()).toBe(1);
    await source.generator.select('g_up2');
    await source.press('Control+c');
    // The copy is on the system clipboard, as the nodes' JSON.
    await expect
      .poll(() => source.page.evaluate(() => navigator.clipboard.readText()))
      .toMatch(/"format":"sagan-studio\/nodes"/);

    // Another window, which copied nothing itself.
    const target = await StudioPage.open(chromium.context, url, artifacts);
    await target.newFromPreset('sagan-32');
    await target.page.bringToFront();
    await target.press('Control+v');
    expect(await target.lastToast('info')).toMatch(/Brought 1 block of the copied document along \("ResBlockUpCopy"\)/);
    await expect.poll(() => target.generator.nodesOfType('ResBlockUpCopy').count()).toBe(1);
    await target.page.close();
    await source.page.close();
  });
});
