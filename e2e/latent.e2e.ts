import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { chromiumPerFile } from './browser';
import { LatentExplorerView } from './pages/latent-explorer';
import { StudioPage } from './pages/studio-page';
import { TrainingView } from './pages/training-view';

const url = inject('saganUrl');
const artifacts = inject('artifactsDir');
const docsDir = inject('docsDir');
const chromium = chromiumPerFile();

const poll = { timeout: 120_000, interval: 200 };

describe('the latent explorer', () => {
  it('draws a trained run’s class × noise grid, truncates, interpolates and saves PNGs', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    const training = new TrainingView(studio.page);
    await studio.newFromPreset('sagan-mnist');
    const runId = await training.start({ steps: 4, batchSize: 2, sampleEvery: 2, seed: 11 });
    await expect.poll(() => training.status(), poll).toBe('Finished');

    // From the watched run: the newest checkpoint, one row per digit, the same noise down each column.
    await training.dock.getByTestId('run-latent').click();
    const latent = new LatentExplorerView(studio.page);
    await latent.grid.waitFor({ timeout: 120_000 });
    await latent.settled();
    expect(await latent.rowNames()).toEqual(Array.from({ length: 10 }, (_, i) => String(i)));
    expect(await latent.grid.getAttribute('data-cols')).toBe('8');
    expect(await latent.status()).toMatch(/step 4: drawn with G's/);
    const steps = await latent.dialog.getByTestId('latent-step').locator('option').allInnerTexts();
    expect(steps[0]).toBe('step 4');

    // The same seed draws the same grid; truncation changes it.
    await latent.dialog.getByTestId('latent-seed').fill('42');
    await latent.settled();
    const seeded = await latent.src(latent.grid);
    await latent.setTruncation(0.5);
    await expect.poll(() => latent.src(latent.grid), poll).not.toBe(seeded);
    await latent.settled();
    expect(await latent.dialog.getByTestId('latent-truncation-value').innerText()).toBe('|z| ≤ 0.50');
    await latent.dialog.getByTestId('latent-truncation-on').uncheck();
    await expect.poll(() => latent.src(latent.grid), poll).toBe(seeded);

    // Endpoints picked on the grid (digit 3, columns 1 and 6), six frames, spherical then linear.
    await latent.clickCell(3, 1);
    await latent.clickCell(3, 6);
    expect(await latent.dialog.getByTestId('latent-class').inputValue()).toBe('3');
    await latent.interpolate(6, 'spherical');
    await latent.strip.waitFor({ timeout: 120_000 });
    await latent.settled();
    expect(await latent.strip.getAttribute('data-cols')).toBe('6');
    const spherical = await latent.src(latent.strip);
    await latent.dialog.getByTestId('latent-mode-linear').click();
    await expect.poll(() => latent.src(latent.strip), poll).not.toBe(spherical);
    await latent.settled();
    await studio.screenshot('16-latent-explorer');

    // PNGs from the engine, at 2×: the selected cell, the grid and the strip.
    const image = await latent.save('image');
    expect(image).toMatchObject({ width: 64, height: 64 });
    expect(image.name).toMatch(/step-4-seed-42\.6-class-3\.png$/);
    expect(await latent.save('grid')).toMatchObject({ width: (8 * 32 + 9 * 2) * 2, height: (10 * 32 + 11 * 2) * 2 });
    const strip = await latent.save('strip');
    expect(strip).toMatchObject({ width: (6 * 32 + 7 * 2) * 2, height: (32 + 2 * 2) * 2 });
    expect(strip.name).toMatch(/linear-42\.1-to-42\.6-class-3\.png$/);

    // An earlier checkpoint draws another grid.
    const newest = await latent.src(latent.grid);
    await latent.dialog.getByTestId('latent-step').selectOption({ index: steps.length - 1 });
    await expect.poll(() => latent.grid.getAttribute('data-step'), poll).toBe('0');
    expect(await latent.src(latent.grid)).not.toBe(newest);
    await latent.close();

    // The run list opens it too.
    await training.tab('runs');
    await training.runRow(runId).getByTestId('run-row-latent').click();
    await latent.grid.waitFor({ timeout: 120_000 });
    await latent.close();

    // An export of the run, opened from its folder: the same grid as the run's newest checkpoint.
    await training.exportRun(runId, docsDir, 'latent-export');
    await latent.openExport(join(docsDir, 'latent-export'));
    await latent.grid.waitFor({ timeout: 120_000 });
    await latent.settled();
    expect(await latent.status()).toMatch(/step 4: drawn with the export's G/);
    expect(await latent.dialog.getByTestId('latent-step').count()).toBe(0);
    await latent.close();
    await studio.page.close();
  }, 400_000);
});
