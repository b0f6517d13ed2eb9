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
  it('measures a short sagan-mnist run every 2 steps: the quality curve beside the losses, quality in the run list', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    const training = new TrainingView(studio.page);
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
    await studio.page.close();
  }, 240_000);
});
