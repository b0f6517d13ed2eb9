import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { chromiumPerFile } from './browser';
import { StudioPage } from './pages/studio-page';
import { TrainingView } from './pages/training-view';

const url = inject('saganUrl');
const artifacts = inject('artifactsDir');
const chromium = chromiumPerFile();
const poll = { timeout: 60_000, interval: 200 };

/** What sticks out of the window or of the training view sideways (nothing should), by selector and how far. */
async function cutOff(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const right = window.innerWidth;
    const dock = document.querySelector('[data-testid="training-dock"]')!.getBoundingClientRect();
    for (const el of document.querySelectorAll('.live-col, .run-controls, .workspace > *')) {
      const r = el.getBoundingClientRect();
      const limit = el.closest('[data-testid="training-dock"]') ? dock.right : right;
      if (r.width > 0 && r.right > limit + 1) out.push(`${el.className} ends at ${Math.round(r.right)} > ${limit}`);
    }
    const live = document.querySelector('.live-view');
    if (live && live.scrollWidth > live.clientWidth + 1)
      out.push(`.live-view scrolls sideways (${live.scrollWidth} > ${live.clientWidth})`);
    return out;
  });
}

const paneWidth = (page: Page) =>
  page.evaluate(() => document.querySelector('.pane-generator')!.getBoundingClientRect().width);

describe('layouts that fit laptops', () => {
  it('at 1280×720 and 1366×768 nothing is cut off, the minimap hides on small panes, side panels collapse', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    const page = studio.page;
    await page.setViewportSize({ width: 1280, height: 720 });
    await studio.load(url);
    const training = new TrainingView(page);
    await studio.newFromPreset('sagan-mnist');
    // A roomy pane shows its minimap.
    await page.getByTestId('toggle-right').waitFor();
    await training.start({ steps: 6, batchSize: 4, sampleEvery: 3, seed: 3 });
    await expect.poll(() => training.status(), poll).toBe('Finished');
    await expect.poll(() => training.sampleStep(), poll).toBe(6);
    // With the training view open the canvases are small: their minimaps hide themselves.
    expect(await page.locator('.pane-canvas[data-minimap="hidden-small"]').count()).toBe(2);
    expect(await page.locator('.react-flow__minimap').count()).toBe(0);

    for (const size of [
      { width: 1280, height: 720 },
      { width: 1366, height: 768 },
    ]) {
      await page.setViewportSize(size);
      await expect.poll(() => cutOff(page)).toEqual([]);
      await studio.screenshot(`layout-${size.width}x${size.height}-training`);
    }

    // The inspector collapses to give the canvases its width, and comes back.
    const before = await paneWidth(page);
    await page.getByTestId('toggle-right').click();
    expect(await page.getByTestId('side-right').isHidden()).toBe(true);
    await expect.poll(() => paneWidth(page)).toBeGreaterThan(before + 100);
    await training.tab('runs');
    await page.getByTestId('toggle-left').click();
    await studio.screenshot('layout-1366x768-panels-collapsed');
    expect(await cutOff(page)).toEqual([]);
    await page.getByTestId('toggle-right').click();
    await page.getByTestId('toggle-left').click();
    expect(await page.getByTestId('side-right').isVisible()).toBe(true);
    await page.close();
  }, 180_000);
});
