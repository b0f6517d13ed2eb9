import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { chromiumPerFile } from './browser';
import { CanvasReading } from './pages/canvas-lod';
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
    // A checkpoint every 8 steps (grids every 4): a grid scrubbed back to step 8k+4 explains with step 8k's weights.
    await training.setTrainingSetting('checkpointEvery', 8);
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
    // Each grid row is labelled with its class (the data check's names: MNIST's digits).
    expect(await training.dock.getByTestId('sample-row-names').locator('.sample-row-name').allInnerTexts()).toEqual(
      Array.from({ length: 10 }, (_, i) => String(i)),
    );
    const firstGrid = { step: await training.sampleStep(), src: await training.sampleSrc() };
    await expect.poll(() => training.sampleStep(), poll).toBeGreaterThan(firstGrid.step);
    expect(await training.sampleSrc()).not.toBe(firstGrid.src);
    expect(await training.lossPoints()).toBeGreaterThan(points);
    expect(await training.status()).toBe('Training');
    expect(await studio.page.getByTestId('run-backend').innerText()).toBe('wasm');
    // γ streams onto the SelfAttention blocks of both canvases.
    await training.gammaBadge(studio.generator.node('g_attention')).waitFor();
    await training.gammaBadge(studio.discriminator.node('d_attention')).waitFor();
    // Beside the training view the canvases are zoomed out: their compact cards carry γ too, inside the card.
    await studio.generator.node('g_attention').getByTestId('gamma-badge-compact').waitFor();
    expect(await new CanvasReading(studio.page, 'generator').badgesOutsideCards()).toEqual([]);
    // While the run is open, memory tags are at the run's batch (4), not the document's (32).
    const costTag = studio.generator.node('g_attention').getByTestId('cost');
    expect(await costTag.innerText()).toContain('at batch 4');
    await studio.screenshot('training-01-live');

    // Far enough for a grid at 8k+4 before the newest, whose 8k checkpoint is among the 3 kept.
    await expect.poll(() => training.sampleStep(), poll).toBeGreaterThanOrEqual(20);
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

    // The charts' own tools (the same on every chart): CSV of the full-resolution columns, log y, training time
    // on x, drag to zoom and double-click to show all.
    const rows = await training.lossPoints();
    const csv = await training.chartCsv('loss-chart');
    expect(csv.name).toBe('losses.csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('step,elapsed_seconds,D on real (raw),D on fake (raw),G (raw),D on real,D on fake,G');
    expect(lines).toHaveLength(rows + 1);
    expect(lines[rows]!.split(',')[0]).toBe(String(pausedAt));
    const lossChart = training.dock.getByTestId('loss-chart');
    await training.dock.getByTestId('loss-chart-log').check();
    await expect.poll(() => lossChart.getAttribute('data-log'), poll).toBe('true');
    await training.dock.getByTestId('loss-chart-x').selectOption('time');
    await expect.poll(() => lossChart.getAttribute('data-x'), poll).toBe('time');
    await training.dragZoom('loss-chart');
    await training.dock.getByTestId('loss-chart-reset').waitFor();
    await lossChart.dblclick();
    await training.dock.getByTestId('loss-chart-reset').waitFor({ state: 'detached' });
    await training.dock.getByTestId('loss-chart-x').selectOption('step');
    await training.dock.getByTestId('loss-chart-log').uncheck();

    // The explorer reads: a colour legend in weight over uniform, the query points in each node's own grid, and
    // an attention distance per node against its uniform baseline.
    const legend = training.explorer.getByTestId('attention-legend');
    expect(await legend.innerText()).toMatch(/0×[\s\S]*1× uniform[\s\S]*[\d.]+×[\s\S]*relative to uniform/);
    expect(Number(await legend.getAttribute('data-scale-max'))).toBeGreaterThanOrEqual(2);
    // Clicked at (0.5, 0.5) and (0.25, 0.75) of a 32-pixel sample (a pixel either way for rounding).
    expect(await training.explorer.getByTestId('attention-points').innerText()).toMatch(
      /pixel \(1[56], 1[56]\)[\s\S]*pixel \([78], 2[34]\)/,
    );
    for (const node of ['g_attention', 'd_attention']) {
      const caption = await training.explorer.getByTestId(`heat-caption-${node}-0`).innerText();
      // The centre of the sample falls in cell (w/2, h/2) of the node's query grid.
      const grid = (await training.attentionRow(node).innerText()).match(/queries (\d+)×(\d+)/)!;
      const cell = caption.match(/^\((\d+), (\d+)\)/)!;
      expect(Number(grid[1]) / 2 - Number(cell[1])).toBeOneOf([0, 1]);
      expect(Number(grid[2]) / 2 - Number(cell[2])).toBeOneOf([0, 1]);
      expect(caption).toMatch(/peak [\d.]+× · [\d.]+ px/);
      const d = await training.attentionDistance(node);
      expect(d.text).toMatch(/attention distance [\d.]+ px \(uniform [\d.]+ px; 2 queries\)/);
      expect(d.px).toBeGreaterThan(0);
      expect(d.px).toBeLessThan(32 * Math.SQRT2);
      expect(d.uniformPx).toBeGreaterThan(5);
    }
    // The overlay is drawn on the sample at a readable size; at 0% opacity it is the sample itself.
    const overlay = training.heatmap('g_attention', 0);
    expect((await overlay.boundingBox())!.width).toBeGreaterThanOrEqual(120);
    const sampleCanvas = training.explorer.getByTestId('attention-sample').locator('canvas');
    const atDefault = await training.canvasPixels(overlay);
    await training.setAttentionOpacity(0);
    await expect.poll(() => overlay.getAttribute('data-opacity'), poll).toBe('0');
    expect(await training.canvasPixels(overlay)).toEqual(await training.canvasPixels(sampleCanvas));
    await training.setAttentionOpacity(60);
    await expect.poll(() => overlay.getAttribute('data-opacity'), poll).toBe('0.6');
    expect(await training.canvasPixels(overlay)).not.toEqual(atDefault);
    // Maximized, the dock shows the whole explorer for the screenshots.
    await training.dock.getByRole('button', { name: 'Maximize' }).click();
    await training.explorer.screenshot({ path: join(artifacts, 'training-02b-attention-explorer.png') });
    // Newest grid: the maps are the live model's, at the paused step.
    const newestGrid = await training.sampleStep();
    await expect.poll(async () => (await training.attentionSteps()).maps, poll).toBe(pausedAt);
    expect((await training.attentionSteps()).text).toContain(`maps at step ${pausedAt} (live model)`);
    // Scrubbed back to a grid without a checkpoint of its own (8k+4): the maps are computed again from the
    // nearest checkpoint before it (8k), and say so.
    const noCheckpoint = Math.floor((newestGrid - 5) / 8) * 8 + 4; // before the newest (the scrubber's end follows it)
    await training.scrubTo(noCheckpoint / 4 - 1);
    await expect.poll(() => training.sampleStep(), poll).toBe(noCheckpoint);
    await expect.poll(async () => (await training.attentionSteps()).maps, poll).toBe(noCheckpoint - 4);
    expect(await training.attentionSteps()).toMatchObject({
      sample: noCheckpoint,
      text: expect.stringContaining(`at step ${noCheckpoint} · maps at step ${noCheckpoint - 4} (checkpoint)`),
    });
    expect(await training.explorer.getByTestId('attention-step-mismatch').innerText()).toContain(
      `No checkpoint was kept at step ${noCheckpoint}: the maps are from the nearest one before it, at step ${noCheckpoint - 4}`,
    );
    await training.explorer.screenshot({ path: join(artifacts, 'training-02c-attention-nearest-checkpoint.png') });
    // Its own sample: the maps and the sample are of the same step, from that step's checkpoint.
    await training.explorer.getByTestId('attention-match-step').click();
    await expect.poll(() => training.sampleStep(), poll).toBe(noCheckpoint - 4);
    await expect.poll(async () => (await training.attentionSteps()).sample, poll).toBe(noCheckpoint - 4);
    expect((await training.attentionSteps()).maps).toBe(noCheckpoint - 4);
    await training.explorer.getByTestId('attention-step-mismatch').waitFor({ state: 'detached' });
    await training.explorer.getByTestId('attention-pending').waitFor({ state: 'detached' });
    await studio.screenshot('training-02d-attention-scrubbed-back');
    await training.dock.getByRole('button', { name: 'Restore' }).click();
    await training.dock.getByTestId('sample-live').click();
    await expect.poll(async () => (await training.attentionSteps()).sample, poll).toBe(newestGrid);
    await expect.poll(async () => (await training.attentionSteps()).maps, poll).toBe(pausedAt);

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
  }, 300_000);

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
