import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { chromiumPerFile } from './browser';
import { StudioPage } from './pages/studio-page';

const url = inject('saganUrl');
const artifacts = inject('artifactsDir');
const docsDir = inject('docsDir');
const chromium = chromiumPerFile();

describe('blocks made of parts', () => {
  it('opens a residual block to show its parts, groups a selection into a block of the document, and undoes it', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    await studio.newFromPreset('sagan-mnist');
    const before = await studio.totals();
    const g = studio.generator;

    // Double-click: the inside of g_up2, read-only, with this use's shapes, and a breadcrumb back out.
    await g.node('g_up2').locator('.block-head').dblclick();
    const inside = g.root.getByTestId('block-inside-view');
    await inside.waitFor();
    expect(await inside.locator('.breadcrumb').innerText()).toMatch(/Generator\s*›\s*g_up2 \(Residual block up ×2\)/);
    expect(await inside.locator('.react-flow__node').count()).toBe(12);
    const conv1 = inside.locator('.react-flow__node[data-id="conv1"]');
    expect(await conv1.getByTestId('shape').innerText()).toBe('→ [16, 16, 32]');
    await studio.screenshot('composite-01-inside');
    await studio.press('Escape');
    await inside.waitFor({ state: 'detached' });

    // Group the up-block and the attention after it into a block of this document.
    await g.select('g_up2');
    await g
      .node('g_attention')
      .locator('.block-head')
      .click({ modifiers: ['Shift'] });
    await studio.menu('Edit', 'Group into block');
    // The dialog asks which params each use sets; its first choice (the channel counts) is kept.
    await studio.page.getByTestId('group-dialog').getByRole('button', { name: 'Group', exact: true }).click();
    const use = g.node('g_block');
    await use.waitFor();
    expect(await studio.totals()).toEqual(before);
    expect(await use.getByTestId('shape').innerText()).toBe('→ [16, 16, 32]');
    const documentBlocks = studio.page.getByTestId('palette-document-blocks');
    expect(await documentBlocks.locator('.palette-item[data-block="Block"]').innerText()).toMatch(/Block\s*×1/);
    await use.locator('.block-head').dblclick();
    await inside.waitFor();
    expect(await inside.locator('.react-flow__node').count()).toBe(4); // in, g_up2, g_attention, out
    // A part of the block's definition is edited there: every use follows (here the one), undo takes it back.
    await inside.locator('.react-flow__node[data-id="g_up2"] .block-head').click();
    const params = inside.getByTestId('definition-params');
    await params.waitFor();
    await params.getByRole('checkbox', { name: /Bias/ }).check();
    await expect.poll(() => studio.totals()).not.toEqual(before);
    await studio.screenshot('composite-02-group-inside');
    await inside.getByRole('button', { name: 'Back (Esc)' }).click();
    await inside.waitFor({ state: 'detached' });

    await studio.undo();
    expect(await studio.totals()).toEqual(before);
    await studio.undo();
    await g.node('g_attention').waitFor();
    expect(await g.node('g_block').count()).toBe(0);
    expect(await documentBlocks.count()).toBe(0);
    await studio.page.close();
  });

  it('saves a document with a block of its own (version 2) and reopens it with the block and its use', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    await studio.newFromPreset('sagan-mnist');
    const g = studio.generator;
    await g.select('g_up2');
    await studio.press('Control+Shift+e'); // Make editable copy
    await expect.poll(() => g.nodesOfType('ResBlockUpCopy').count()).toBe(1);
    const edited = await studio.totals();

    await studio.press('Control+s');
    await studio.fileDialog.saveAs('editable-copy');
    const saved = JSON.parse(readFileSync(join(docsDir, 'editable-copy.sagan.json'), 'utf8')) as {
      version: number;
      blocks: { type: string; basedOn?: string }[];
    };
    expect(saved.version).toBe(2);
    expect(saved.blocks).toMatchObject([{ type: 'ResBlockUpCopy', basedOn: 'ResBlockUp' }]);

    await studio.load(url);
    await studio.gallery.getByRole('button', { name: /Open a file/ }).click();
    await studio.fileDialog.open('editable-copy.sagan.json');
    expect(await studio.totals()).toEqual(edited);
    await expect.poll(() => g.nodesOfType('ResBlockUpCopy').count()).toBe(1);
    expect(await g.node('g_up2').getByTestId('shape').innerText()).toBe('→ [16, 16, 32]');
    await studio.page.getByTestId('palette-document-blocks').locator('[data-block="ResBlockUpCopy"]').waitFor();
    await studio.page.close();
  });
});
