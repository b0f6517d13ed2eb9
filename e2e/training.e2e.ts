import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { chromiumPerFile } from './browser';
import { StudioPage } from './pages/studio-page';
import { TrainingView } from './pages/training-view';

const url = inject('saganUrl');
const artifacts = inject('artifactsDir');
const docsDir = inject('docsDir');
const chromium = chromiumPerFile();

const poll = { timeout: 60_000, interval: 200 };

describe('training from the UI', () => {
  let studio: StudioPage;
  let training: TrainingView;
  let firstRun: string;

  it('trains sagan-mnist on MNIST and shows steps, curves, samples, attention; pauses, continues and stops', async () => {
    studio = await StudioPage.open(chromium.context, url, artifacts);
    training = new TrainingView(studio.page);
    await studio.newFromPreset('sagan-mnist');
    firstRun = await training.start({ steps: 400, batchSize: 4, sampleEvery: 4, seed: 7 });
    // The dialog timed several iterations at the run's batch after a warm-up and said how far to trust them.
    expect(training.lastEstimate!.samples).toBeGreaterThanOrEqual(2);
    expect(training.lastEstimate!.text).toMatch(
      /median of \d+ timed at batch 4 after a warm-up .* (high|medium|low) confidence/,
    );
    await expect.poll(() => training.step(), poll).toBeGreaterThan(3);
    // After the first steps the run checks the estimate against what it measured (the ETA follows the measurement).
    await expect.poll(async () => (await training.etaCheck())?.state, poll).toMatch(/^(held|corrected)$/);
    expect((await training.etaCheck())!.text).toMatch(/measured [\d.]+ s\/it vs estimated [\d.]+ s\/it/);
    await expect.poll(() => training.lossPoints(), poll).toBeGreaterThan(3);
    const points = await training.lossPoints();
    await expect.poll(() => training.sampleStep(), poll).toBeGreaterThanOrEqual(4);
    const firstGrid = { step: await training.sampleStep(), src: await training.sampleSrc() };
    await expect.poll(() => training.sampleStep(), poll).toBeGreaterThan(firstGrid.step);
    expect(await training.sampleSrc()).not.toBe(firstGrid.src);
    expect(await training.lossPoints()).toBeGreaterThan(points);
    expect(await training.status()).toBe('Training');
    expect(await studio.page.getByTestId('run-backend').innerText()).toBe('wasm');
    // γ streams onto the SelfAttention blocks of both canvases.
    await training.gammaBadge(studio.generator.node('g_attention')).waitFor();
    await training.gammaBadge(studio.discriminator.node('d_attention')).waitFor();
    // While the run is open, memory tags are at the run's batch (4), not the document's (32).
    const costTag = studio.generator.node('g_attention').getByTestId('cost');
    expect(await costTag.innerText()).toContain('at batch 4');
    await studio.screenshot('training-01-live');

    await training.pause();
    await expect.poll(() => training.status(), poll).toBe('Paused');
    const pausedAt = await training.step();
    // The engine answers attention questions while paused: two query points on one digit.
    await training.clickSample(9, 0.5, 0.5);
    await training.clickSample(9, 0.25, 0.75);
    for (const node of ['g_attention', 'd_attention']) {
      await training.heatmap(node, 1).waitFor({ timeout: 30_000 });
      // A grid streamed just before the pause brings its own answer for the engine's default query points; ours replaces it.
      await expect.poll(() => training.attentionRow(node).locator('canvas').count(), poll).toBe(2);
      expect(await training.heatmapSpread(node, 0)).toBeGreaterThan(10);
    }
    expect(await training.heatmap('g_attention', 0).getAttribute('data-keys')).toMatch(/^\d+x\d+$/);
    await studio.screenshot('training-02-attention');
    expect(await training.step()).toBe(pausedAt);

    await training.continue();
    await expect.poll(() => training.status(), poll).toBe('Training');
    await expect.poll(() => training.step(), poll).toBeGreaterThan(pausedAt);
    await training.stop();
    await expect.poll(() => training.status(), poll).toBe('Stopped');
    await training.resumeButton.waitFor();
    await expect.poll(() => costTag.innerText(), poll).toContain('at batch 32');
    await training.tab('runs');
    await expect
      .poll(() => training.runRow(firstRun).locator('[data-testid="run-status"]').innerText(), poll)
      .toBe('Stopped');
    await training.runRow(firstRun).getByTestId('run-row-resume').waitFor();
    await studio.screenshot('training-03-stopped-run-list');
  }, 150_000);

  it('compares two runs: curves overlaid, sample grids from the same noise side by side', async () => {
    const secondRun = await training.start({ steps: 8, batchSize: 4, sampleEvery: 4, seed: 7 });
    expect(secondRun).not.toBe(firstRun);
    await expect.poll(() => training.status(), poll).toBe('Finished');
    await training.compare(firstRun, secondRun);
    await expect.poll(() => training.comparePoints(), poll).toBeGreaterThan(8);
    await training.compareGrid('a').waitFor();
    await training.compareGrid('b').waitFor();
    await studio.screenshot('training-04-compare');

    // Export on the web host: the in-app folder dialog, then a message naming the folder.
    const toast = await training.exportRun(secondRun, docsDir, 'mnist-model');
    expect(toast).toContain(`Exported the model to ${docsDir}/mnist-model`);
    expect(existsSync(join(docsDir, 'mnist-model', 'generator', 'model.json'))).toBe(true);
    await studio.page.close();
  }, 150_000);
});
