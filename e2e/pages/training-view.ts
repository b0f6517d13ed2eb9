import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';

export interface TrainSettings {
  steps: number;
  batchSize: number;
  sampleEvery: number;
  seed?: number;
  /** An image folder instead of the built-in MNIST. */
  folder?: string;
}

/** The training view as a person uses it: the Train dialog, the live run, the run list and the comparison. */
export class TrainingView {
  readonly dock: Locator;
  readonly dialog: Locator;
  /** The time line of the estimate the last `start` saw before starting. */
  lastEstimate: { text: string; samples: number; confidence: string } | null = null;

  constructor(private readonly page: Page) {
    this.dock = page.getByTestId('training-dock');
    this.dialog = page.getByTestId('train-dialog');
  }

  /** Train → Start training… and the dataset chosen (MNIST, or a folder typed in); the dialog stays open. */
  async openDialog(folder?: string): Promise<void> {
    await this.page.locator('.menu-title', { hasText: 'Train' }).click();
    await this.page.locator('.menu-dropdown [data-action="train.start"]').click();
    await this.dialog.waitFor();
    if (folder !== undefined) {
      await this.dialog.getByTestId('train-data-folder').click();
      await this.dialog.getByTestId('train-folder').fill(folder);
    } else await this.dialog.getByTestId('train-data-mnist').click();
  }

  /** The dialog's data check once it has answered: 'ok' or 'refused', its text, and the classes its preview shows. */
  async dataCheck(): Promise<{ state: string; text: string; classes: { name: string; count: number }[] }> {
    const box = this.dialog.locator('[data-testid="data-check"]:not([data-state="checking"])');
    await box.waitFor({ timeout: 60_000 });
    const rows = box.getByTestId('data-class');
    const classes = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      classes.push({
        name: await row.locator('.class-name').innerText(),
        count: Number(await row.getAttribute('data-count')),
      });
    }
    return { state: (await box.getAttribute('data-state')) ?? '', text: await box.innerText(), classes };
  }

  /** Train → Start training…, fills the dialog, waits for the measured estimate, starts; resolves once the run shows. */
  async start(settings: TrainSettings): Promise<string> {
    await this.page.locator('.menu-title', { hasText: 'Train' }).click();
    await this.page.locator('.menu-dropdown [data-action="train.start"]').click();
    await this.dialog.waitFor();
    if (settings.folder) {
      await this.dialog.getByTestId('train-data-folder').click();
      await this.dialog.getByTestId('train-folder').fill(settings.folder);
    } else await this.dialog.getByTestId('train-data-mnist').click();
    await this.fill('steps', settings.steps);
    await this.fill('batchSize', settings.batchSize);
    await this.fill('sampleEvery', settings.sampleEvery);
    if (settings.seed !== undefined) await this.fill('seed', settings.seed);
    await this.dialog.locator('[data-testid="train-estimate"][data-state="fits"]').waitFor({ timeout: 90_000 });
    this.lastEstimate = await this.estimateTime();
    await this.dialog.getByTestId('train-start').click();
    await this.dialog.waitFor({ state: 'detached', timeout: 30_000 });
    const live = this.dock.getByTestId('live-view');
    await live.waitFor();
    return (await live.getAttribute('data-run-id'))!;
  }

  private async fill(key: string, value: number): Promise<void> {
    await this.dialog.getByTestId(`train-${key}`).fill(String(value));
  }

  /** The dialog's time line: its text, how many iterations were timed, and the stated confidence. */
  async estimateTime(): Promise<{ text: string; samples: number; confidence: string }> {
    const line = this.dialog.getByTestId('train-estimate-time');
    return {
      text: await line.innerText(),
      samples: Number(await line.getAttribute('data-samples')),
      confidence: (await line.getAttribute('data-confidence')) ?? '',
    };
  }

  /** The live run's check of the dialog's estimate against its first steps: 'pending', 'held' or 'corrected'. */
  async etaCheck(): Promise<{ state: string; text: string } | null> {
    const el = this.dock.getByTestId('eta-check');
    if (!(await el.count())) return null;
    return { state: (await el.getAttribute('data-state')) ?? '', text: await el.innerText() };
  }

  async estimateText(): Promise<string> {
    return this.dialog.getByTestId('train-estimate').innerText();
  }

  liveRunId(): Promise<string | null> {
    return this.dock.getByTestId('live-view').getAttribute('data-run-id');
  }

  async step(): Promise<number> {
    return Number(await this.dock.getByTestId('step-counter').getAttribute('data-step'));
  }

  async status(): Promise<string> {
    return this.dock.getByTestId('run-status').first().innerText();
  }

  /** Rows of metrics behind the loss chart (full resolution), and rows it drew. */
  async lossPoints(): Promise<number> {
    return Number((await this.dock.getByTestId('loss-chart').getAttribute('data-points')) ?? 0);
  }

  /** Saves a chart's CSV through its button: the suggested file name and the file's text. */
  async chartCsv(testId: string): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.dock.getByTestId(`${testId}-csv`).click(),
    ]);
    return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
  }

  /** Drags across the middle of a chart (from 30% to 60% of its width) to zoom into that range. */
  async dragZoom(testId: string): Promise<void> {
    const box = (await this.dock.getByTestId(testId).locator('.u-over').boundingBox())!;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width * 0.3, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width * 0.45, y, { steps: 3 });
    await this.page.mouse.move(box.x + box.width * 0.6, y, { steps: 3 });
    await this.page.mouse.up();
  }

  async sampleStep(): Promise<number> {
    const img = this.dock.getByTestId('sample-grid');
    if (!(await img.count())) return -1;
    return Number(await img.getAttribute('data-step'));
  }

  async sampleSrc(): Promise<string> {
    return (await this.dock.getByTestId('sample-grid').getAttribute('src')) ?? '';
  }

  /** Clicks a point (0..1 inside the cell) of one sample of the grid (cells row-major, 8 per row, 2 px apart). */
  async clickSample(sample: number, x: number, y: number): Promise<void> {
    const img = this.dock.getByTestId('sample-grid');
    const box = (await img.boundingBox())!;
    const natural = await img.evaluate((el: HTMLImageElement) => ({ w: el.naturalWidth, h: el.naturalHeight }));
    const cols = 8;
    const cell = 32;
    const pad = (natural.w - cols * cell) / (cols + 1);
    const gx = pad + (sample % cols) * (cell + pad) + x * cell;
    const gy = pad + Math.floor(sample / cols) * (cell + pad) + y * cell;
    await img.click({ position: { x: (gx / natural.w) * box.width, y: (gy / natural.h) * box.height } });
  }

  heatmap(nodeId: string, query: number): Locator {
    return this.dock.getByTestId(`heat-${nodeId}-${query}`);
  }

  attentionRow(nodeId: string): Locator {
    return this.dock.getByTestId(`attention-map-${nodeId}`);
  }

  /** The attention explorer's card (overlays, legend, opacity, distances). */
  get explorer(): Locator {
    return this.dock.getByTestId('attention-explorer');
  }

  /** The steps of the sample under the maps and of the maps' weights, as the explorer's header states them. */
  async attentionSteps(): Promise<{ sample: number; maps: number; text: string }> {
    const el = this.explorer.getByTestId('attention-steps');
    return {
      sample: Number(await el.getAttribute('data-sample-step')),
      maps: Number(await el.getAttribute('data-maps-step')),
      text: await el.innerText(),
    };
  }

  /** A node's attention distance in pixels, its uniform baseline, and the sentence shown. */
  async attentionDistance(nodeId: string): Promise<{ px: number; uniformPx: number; text: string }> {
    const el = this.explorer.getByTestId(`attention-distance-${nodeId}`);
    return {
      px: Number(await el.getAttribute('data-distance-px')),
      uniformPx: Number(await el.getAttribute('data-uniform-px')),
      text: await el.innerText(),
    };
  }

  async setAttentionOpacity(percent: number): Promise<void> {
    await this.explorer.getByTestId('attention-opacity').fill(String(percent));
  }

  /** Moves the sample grid's scrubber to one of its stored steps (0 = the first). */
  async scrubTo(index: number): Promise<void> {
    await this.dock.getByTestId('sample-scrubber').fill(String(index));
  }

  /** The RGBA pixels of a canvas, for comparing two of them. */
  async canvasPixels(canvas: Locator): Promise<number[]> {
    return canvas.evaluate((c: HTMLCanvasElement) =>
      Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data),
    );
  }

  /** How much of a heatmap canvas is not plain: the spread of its pixel values. */
  async heatmapSpread(nodeId: string, query: number): Promise<number> {
    return this.heatmap(nodeId, query).evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let lo = 255;
      let hi = 0;
      for (let i = 0; i < d.length; i += 4) {
        lo = Math.min(lo, d[i]!);
        hi = Math.max(hi, d[i]!);
      }
      return hi - lo;
    });
  }

  async pause(): Promise<void> {
    await this.dock.getByTestId('run-pause').click();
  }

  async continue(): Promise<void> {
    await this.dock.getByTestId('run-continue').click();
  }

  async stop(): Promise<void> {
    await this.dock.getByTestId('run-stop').click();
  }

  get stoppedBanner(): Locator {
    return this.dock.getByTestId('stopped-banner');
  }

  get resumeButton(): Locator {
    return this.dock.getByTestId('run-resume');
  }

  async tab(name: 'live' | 'runs' | 'compare'): Promise<void> {
    await this.dock.getByTestId(`dock-tab-${name}`).click();
  }

  /** Train → Runs…: the dock opens on the run list (after a reload it starts closed). */
  async openRuns(): Promise<void> {
    await this.page.locator('.menu-title', { hasText: 'Train' }).click();
    await this.page.locator('.menu-dropdown [data-action="train.runs"]').click();
    await this.dock.waitFor();
  }

  runRow(runId: string): Locator {
    return this.dock.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
  }

  /** Runs → Export… on a run, in the in-app dialog (web host): a new folder `name` inside `folder` in `format`; returns the toast's text. */
  async exportRun(runId: string, folder: string, name: string, format?: 'tfjs' | 'pytorch'): Promise<string> {
    await this.tab('runs');
    await this.runRow(runId).getByRole('button', { name: 'Export…' }).click();
    const dialog = this.page.getByTestId('export-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('folder-path').fill(folder);
    await dialog.getByTestId('folder-path').press('Enter');
    await dialog.getByTestId('export-name').fill(name);
    if (format) await dialog.getByTestId('export-format').selectOption(format);
    await dialog.getByTestId('export-confirm').click();
    await dialog.waitFor({ state: 'detached', timeout: 60_000 });
    return this.page.locator('.toast', { hasText: 'Exported the' }).last().locator('.toast-message').innerText();
  }

  async compare(a: string, b: string): Promise<void> {
    await this.tab('compare');
    await this.dock.getByTestId('compare-a').selectOption(a);
    await this.dock.getByTestId('compare-b').selectOption(b);
  }

  async comparePoints(): Promise<number> {
    return Number((await this.dock.getByTestId('compare-chart').getAttribute('data-points')) ?? 0);
  }

  compareGrid(which: 'a' | 'b'): Locator {
    return this.dock.getByTestId(`compare-grid-${which}`).locator('img');
  }

  /** Training tab of the right panel: "Measure quality every" and "Images per measurement" set in the document. */
  async setQualitySchedule(o: { every: number; samples: number }): Promise<void> {
    await this.setTrainingSetting('metricsEvery', o.every);
    await this.setTrainingSetting('metricsSamples', o.samples);
  }

  /** A training setting of the document (right panel, Training tab), e.g. checkpointEvery. */
  async setTrainingSetting(key: string, value: number): Promise<void> {
    await this.page.getByRole('tab', { name: 'Training' }).click();
    const input = this.page.getByTestId(`training-${key}-${key}`);
    await input.fill(String(value));
    await input.press('Enter');
    const error = this.page.getByTestId(`training-${key}-${key}-error`);
    if (await error.count()) throw new Error(`${key} ${value} refused: ${await error.innerText()}`);
  }

  /** Measurements behind the live quality curve (0 before the first). */
  async qualityPoints(): Promise<number> {
    const chart = this.dock.getByTestId('quality-chart');
    if (!(await chart.count())) return 0;
    return Number((await chart.getAttribute('data-points')) ?? 0);
  }

  /** The newest measurement as the quality card states it: FD and class accuracy (%). */
  async qualityLatest(): Promise<{ fd: number; accuracy: number }> {
    return {
      fd: Number(await this.dock.getByTestId('quality-latest-fd').innerText()),
      accuracy: parseFloat(await this.dock.getByTestId('quality-latest-accuracy').innerText()),
    };
  }

  async qualityHeader(): Promise<string> {
    return this.dock.getByTestId('quality-chart-card').locator('.chart-head').innerText();
  }

  gammaBadge(canvasNode: Locator): Locator {
    return canvasNode.getByTestId('gamma-badge');
  }
}
