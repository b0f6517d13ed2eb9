import { describe, expect, inject, it } from 'vitest';
import { chromiumPerFile } from './browser';
import { CanvasReading } from './pages/canvas-lod';
import { StudioPage } from './pages/studio-page';

const url = inject('saganUrl');
const artifacts = inject('artifactsDir');
const chromium = chromiumPerFile();
const networks = ['generator', 'discriminator'] as const;

/** Shows the whole of both networks, as Fit does. */
async function fitBoth(studio: StudioPage): Promise<void> {
  for (const n of networks) await studio.canvas(n).fit();
}

describe('a canvas that reads at any zoom', () => {
  it('fit to view at 1280×800 and 1600×1000: compact cards read at ≥ 11 px, badges stay inside, cut titles have tooltips', async () => {
    const cases = [
      { preset: 'sagan-128', size: { width: 1280, height: 800 } },
      { preset: 'sagan-mnist', size: { width: 1280, height: 800 } },
      { preset: 'sagan-128', size: { width: 1600, height: 1000 } },
      { preset: 'sagan-mnist', size: { width: 1600, height: 1000 } },
    ];
    for (const { preset, size } of cases) {
      // A tab per case: the preset's "New graph" message is counted from a fresh list.
      const studio = await StudioPage.open(chromium.context, url, artifacts);
      const page = studio.page;
      await page.setViewportSize(size);
      await studio.newFromPreset(preset);
      await fitBoth(studio);
      const where = `${preset} at ${size.width}×${size.height}`;
      for (const n of networks) {
        const canvas = new CanvasReading(page, n);
        const zoom = await canvas.zoom();
        if (zoom < 0.72) {
          // Zoomed out: every card is compact, and its text reads on screen.
          expect(await canvas.compactCards.count(), `${where} ${n}`).toBe(
            await studio.canvas(n).root.locator('.block-node').count(),
          );
          const smallest = await canvas.smallestCompactText();
          expect(smallest.px, `${where} ${n} (zoom ${zoom.toFixed(2)}): ${smallest.where}`).toBeGreaterThanOrEqual(11);
        } else expect(await canvas.compactCards.count()).toBe(0);
        expect(await canvas.badgesOutsideCards(), `${where} ${n}`).toEqual([]);
        expect((await canvas.truncatedTitles()).withoutTooltip, `${where} ${n}`).toEqual([]);
      }
      await CanvasReading.dismissToasts(page);
      if (preset === 'sagan-128' && size.width === 1280) await studio.screenshot('16-canvas-lod-fit');
      if (preset === 'sagan-mnist' && size.width === 1600) await studio.screenshot('16-canvas-lod-fit-1600');
      await page.close();
    }

    // Zoomed in on the attention block: full cards, the memory tag whole, shape labels clear of the cards.
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    const page = studio.page;
    await page.setViewportSize({ width: 1600, height: 1000 });
    await studio.newFromPreset('sagan-128');
    await studio.generator.select('g_attention');
    await studio.press('z');
    const g = new CanvasReading(page, 'generator');
    await expect.poll(() => g.zoom()).toBeGreaterThanOrEqual(0.9);
    await page.waitForTimeout(400);
    expect(await studio.generator.node('g_attention').locator('[data-testid="compact"]').count()).toBe(0);
    expect(await g.badgesOutsideCards()).toEqual([]);
    expect(await g.edgeLabelsOverCards()).toEqual([]);
    const titles = await g.truncatedTitles();
    expect(titles.withoutTooltip).toEqual([]);
    expect(await studio.generator.node('g_attention').getByTestId('cost').innerText()).toMatch(
      /attn 1024×256 · \d+ MiB at batch \d+/,
    );
    await CanvasReading.dismissToasts(page);
    await studio.screenshot('16-canvas-lod-zoomed');

    // A block with problems: its badge stays on its card, compact or not.
    await studio.generator.fit();
    await studio.generator.deleteNode('g_label');
    await expect.poll(() => studio.generator.node('g_up1').locator('.compact-error').count()).toBe(1);
    expect(await g.badgesOutsideCards()).toEqual([]);
    expect(await studio.generator.node('g_up1').locator('.block-node').getAttribute('title')).toMatch(
      /^Residual block up ×2 · g_up1\n[\s\S]*• .*class label/,
    );
    await studio.generator.select('g_up1');
    await studio.press('z');
    await expect.poll(() => g.zoom()).toBeGreaterThanOrEqual(0.9);
    await expect.poll(() => studio.generator.node('g_up1').locator('[data-testid="compact"]').count()).toBe(0);
    expect(await studio.generator.node('g_up1').locator('.badge-error').isVisible()).toBe(true);
    expect(await g.badgesOutsideCards()).toEqual([]);
    await studio.undo();
    await page.close();
  }, 240_000);

  it('class labels as pins: the wires go, each block that takes the label shows a "label" pin; and back', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    const page = studio.page;
    await page.setViewportSize({ width: 1600, height: 1000 });
    await studio.newFromPreset('sagan-mnist');
    await fitBoth(studio);
    const g = new CanvasReading(page, 'generator');
    const d = new CanvasReading(page, 'discriminator');
    // As wires (the default), one "label" tag per class label, not one per wire.
    expect(await g.labelEdges('g_label').count()).toBe(3);
    expect(await d.labelEdges('d_label').count()).toBe(1);
    expect(await g.labelPins.count()).toBe(0);
    expect(await studio.generator.root.locator('.edge-label', { hasText: /^label$/ }).count()).toBeLessThanOrEqual(1);

    await studio.menu('View', 'Class labels as pins');
    await expect.poll(() => g.labelEdges('g_label').count()).toBe(0);
    expect(await d.labelEdges('d_label').count()).toBe(0);
    expect(await g.labelPins.count()).toBe(3);
    expect(await d.labelPins.count()).toBe(1);
    for (const id of ['g_up1', 'g_up2', 'g_up3'])
      expect(await studio.generator.node(id).getByTestId('label-pin').innerText()).toBe('label');
    // The pins read at this zoom, like the compact cards.
    const pinPx = await g.labelPins.first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(pinPx * (await g.zoom())).toBeGreaterThanOrEqual(11);
    expect(await studio.generator.node('g_label').locator('.chip-pins').innerText()).toBe('→ 3 label pins');
    await CanvasReading.dismissToasts(page);
    await studio.screenshot('16-label-pins');

    // The menu shows the choice, and K switches back to wires.
    await page.locator('.menu-title', { hasText: 'View' }).click();
    expect(await page.locator('.menu-item[data-action="view.labelPins"] .menu-check').innerText()).toBe('✓');
    await page.keyboard.press('Escape');
    // The choice outlives the window: reloaded, the app draws the labels as pins again.
    await studio.load(url);
    await studio.newFromPreset('sagan-mnist');
    await expect.poll(() => g.labelPins.count()).toBe(3);
    expect(await g.labelEdges('g_label').count()).toBe(0);
    await studio.press('k');
    await expect.poll(() => g.labelEdges('g_label').count()).toBe(3);
    expect(await g.labelPins.count()).toBe(0);
    await page.close();
  }, 120_000);
});
