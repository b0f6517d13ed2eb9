import { describe, expect, inject, it } from 'vitest';
import { chromiumPerFile } from './browser';
import { StudioPage } from './pages/studio-page';
import { TrainingView } from './pages/training-view';

const url = inject('saganUrl');
const artifacts = inject('artifactsDir');
const chromium = chromiumPerFile();

// The first measurement also computes the MNIST reference statistics (once per cache folder): allow for it.
const poll = { timeout: 120_000, interval: 250 };

describe('sample quality in the UI', () => {
  let studio: StudioPage;
  let training: TrainingView;

  it('measures a short sagan-mnist run every 2 steps: the quality curve beside the losses, quality in the run list', async () => {
    studio = await StudioPage.open(chromium.context, url, artifacts);
    training = new TrainingView(studio.page);
    await studio.newFromPreset('sagan-mnist');
    await training.setQualitySchedule({ every: 2, samples: 64 });
    const run = await training.start({ steps: 6, batchSize: 2, sampleEvery: 2, seed: 3 });
    await expect.poll(() => training.status(), poll).toBe('Finished');
    // Steps 2, 4 and 6 are measured (never step 0): three points on the curve, each with FD and class accuracy.
    await expect.poll(() => training.qualityPoints(), poll).toBe(3);
    const latest = await training.qualityLatest();
    expect(latest.fd).toBeGreaterThan(0);
    expect(Number.isFinite(latest.fd)).toBe(true);
    expect(latest.accuracy).toBeGreaterThanOrEqual(0);
    expect(latest.accuracy).toBeLessThanOrEqual(100);
    expect(await training.qualityHeader()).toMatch(/FD \(digit classifier\)[\s\S]*best [\d.]+ at step [246]/);
    expect(await training.qualityHeader()).toContain('step 6');
    await studio.screenshot('quality-01-live-curve');

    await training.tab('runs');
    const cell = training.runRow(run).getByTestId('run-quality');
    await expect.poll(() => cell.innerText(), poll).toMatch(/^[\d.]+ · best [\d.]+/);
    expect(await cell.innerText()).toContain(latest.fd.toFixed(2));
    await studio.screenshot('quality-02-run-list');
  }, 240_000);

  it('compares attention placements from the selected attention node: the sweep trains feat8 and feat16 and Compare shows the table', async () => {
    await studio.generator.select('g_attention');
    await studio.page.getByRole('tab', { name: 'Inspector' }).click();
    await studio.page.getByTestId('compare-placements').click();
    const dialog = studio.page.getByTestId('sweep-dialog');
    await dialog.waitFor();
    // The network's feature maps are offered; the paper's feat8/16/32 come checked, feat4 does not.
    for (const [at, checked] of [
      ['feat4', false],
      ['feat8', true],
      ['feat16', true],
      ['feat32', true],
    ] as const)
      expect(await dialog.getByTestId(`sweep-at-${at}`).isChecked(), at).toBe(checked);
    await dialog.getByTestId('sweep-at-feat32').uncheck();
    await dialog.getByTestId('sweep-steps').fill('2');
    await dialog.getByTestId('sweep-batchSize').fill('2');
    await dialog.getByTestId('sweep-samples').fill('50');
    await dialog.getByTestId('sweep-start').click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    const card = training.dock.getByTestId('sweep-card');
    await card.waitFor();
    await expect.poll(() => card.getAttribute('data-status'), poll).toBe('finished');
    const rows = card.getByTestId('sweep-row');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).getAttribute('data-variant')).toBe('feat8');
    expect(await rows.nth(1).getAttribute('data-variant')).toBe('feat16');
    expect(await rows.nth(0).innerText()).toMatch(
      /feat8\s+G: g_attention after g_up1; D: d_attention after d_block2\s+[\d.]+/,
    );
    expect(await card.getByTestId('sweep-table').locator('th').allInnerTexts()).toEqual([
      'Variant',
      'Attention',
      'FD (digit classifier) ↓',
      'KID (digit classifier) ↓',
      'Class accuracy ↑',
      'it/s',
      'Parameters (G + D)',
    ]);
    for (let i = 0; i < 2; i++) expect(Number(await rows.nth(i).getAttribute('data-fd'))).toBeGreaterThan(0);
    await studio.screenshot('quality-03-attention-sweep');
    await studio.page.close();
  }, 240_000);
});
