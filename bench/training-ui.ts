// Streaming costs little: trains sagan-mnist on MNIST headless (the engine's worker thread, as the CLI does), then
// the same run through `sagan-studio serve` with the page open in Chromium showing the training view, and prints
// it/s of both, the slowdown, and the page's frame times (requestAnimationFrame deltas) while it trains, idle and
// while the canvas is panned: `npm run bench -- training-ui` (it builds the renderer first when stale).
// Options: --steps N (default 100), --batch B (default 8), --sample-every N (default 10), --warmup N (steps not timed,
// default 10), --rounds N (headless and UI runs alternate, default 2; the medians are compared, since other work on a
// 2-core machine moves single runs by more than the 5% being measured).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CDPSession, Page } from 'playwright-core';
import { findPreset } from '../graph-schemas';
import { startTraining } from '../electron/engine/node/run/engine-client';
import { launchChromium } from '../e2e/browser';
import { StudioPage } from '../e2e/pages/studio-page';
import { TrainingView } from '../e2e/pages/training-view';
import { startStudioServer } from '../e2e/serve-process';
import { buildRendererIfStale } from '../scripts/build-renderer';
import { MIN_UPDATE_INTERVAL_MS } from '../renderer/training/frame-throttle';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '100' },
    batch: { type: 'string', default: '8' },
    'sample-every': { type: 'string', default: '10' },
    warmup: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
  },
});
// A production build (React's development build is several times slower), made here when stale.
buildRendererIfStale();
const steps = Number(values.steps);
const batchSize = Number(values.batch);
const sampleEvery = Number(values['sample-every']);
const warmup = Number(values.warmup);
const rounds = Math.max(1, Number(values.rounds));
/** Training speed is timed from the warm-up to here; the canvas is panned after it (interaction, not streaming). */
const panAt = Math.floor(warmup + (steps - warmup) / 2);
if (!(steps > warmup + 5)) throw new Error(`--steps must exceed --warmup by more than 5 (got ${steps} and ${warmup}).`);

/** it/s from (time, step) observations between two steps: steps done over the time they took. */
function rate(observed: { t: number; step: number }[], from: number, to: number): number {
  const timed = observed.filter((o) => o.step >= from && o.step <= to);
  const first = timed[0];
  const last = timed[timed.length - 1];
  if (!first || !last || last.step === first.step) return NaN;
  return ((last.step - first.step) / (last.t - first.t)) * 1000;
}

/** Median of the worker's own iteration times (metrics.jsonl msPerIt) from the warm-up to step `to`. */
function workerMedianMs(runDir: string, to: number): number {
  const ms = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { step: number; msPerIt: number })
    .filter((r) => r.step > warmup && r.step <= to)
    .map((r) => r.msPerIt)
    .sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)] ?? NaN;
}

function frameStats(deltas: number[]) {
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] ?? 0;
  const dropped = deltas.reduce((n, d) => n + (d > 25 ? Math.round(d / (1000 / 60)) - 1 : 0), 0);
  return `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${at(1).toFixed(1)} ms, ${deltas.length} frames, ${dropped} dropped (${((dropped / Math.max(1, deltas.length + dropped)) * 100).toFixed(1)}%)`;
}

// In-page code is passed as text: tsx would otherwise wrap named functions in a helper the page does not have.
const startFrames = (page: Page, name: string) =>
  page.evaluate(`(() => {
    const rec = (window.__frames ??= {});
    rec[${JSON.stringify(name)}] = { deltas: [], on: true };
    let last = performance.now();
    const tick = (t) => { const r = rec[${JSON.stringify(name)}]; r.deltas.push(t - last); last = t; if (r.on) requestAnimationFrame(tick); };
    requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
  })()`);
const stopFrames = (page: Page, name: string): Promise<number[]> =>
  page.evaluate(`(() => { const r = window.__frames[${JSON.stringify(name)}]; r.on = false; return r.deltas; })()`);

/** Records (time, step) each time the step counter of the training view changes. */
const watchSteps = (page: Page) =>
  page.evaluate(`(() => {
    window.__steps = [];
    const el = document.querySelector('[data-testid="step-counter"]');
    const note = () => window.__steps.push({ t: performance.now(), step: Number(el.getAttribute('data-step')) });
    note();
    new MutationObserver(note).observe(el, { attributes: true, attributeFilter: ['data-step'] });
  })()`);

const preset = findPreset('sagan-mnist')!;
const temp = mkdtempSync(join(tmpdir(), 'sagan-bench-train-ui-'));
const cacheDir = join(temp, 'cache');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;

/** One run in the engine's worker thread, events received in this process (as the CLI trains). */
async function headlessRun(round: number): Promise<{ itPerSec: number; workerMs: number; backend: string }> {
  const doc = preset.build();
  Object.assign(doc.training, { steps, batchSize, sampleEvery, seed: 1 });
  const runDir = join(temp, `headless-${round}`);
  const observed: { t: number; step: number }[] = [];
  let backend = '';
  const handle = startTraining(
    { doc, runDir, runId: `headless-${round}`, resume: false, backend: 'auto', cacheDir },
    (e) => {
      if (e.type === 'step') observed.push({ t: performance.now(), step: e.step });
      if (e.type === 'started') backend = `${e.backend} (${e.backendReason})`;
    },
  );
  const stopped = await handle.done;
  await handle.terminate();
  if (stopped.reason !== 'finished') throw new Error(`The headless run did not finish: ${stopped.message}`);
  return { itPerSec: rate(observed, warmup, panAt), workerMs: workerMedianMs(runDir, panAt), backend };
}

/** The same run started from the page, with the training view showing; frames recorded throughout, a canvas pan halfway. */
async function uiRun(studio: StudioPage, docsDir: string, cdp: CDPSession) {
  const training = new TrainingView(studio.page);
  const runId = await training.start({ steps, batchSize, sampleEvery, seed: 1 });
  await studio.page.getByTestId('step-counter').waitFor();
  await watchSteps(studio.page);
  const metrics = async () =>
    Object.fromEntries(
      ((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map(
        (m) => [m.name, m.value],
      ),
    );
  const before = await metrics();
  const wallStart = performance.now();
  await startFrames(studio.page, 'training');
  // One call that resolves in the page when the step is reached (polling from here would cost the page CPU).
  await studio.page.evaluate(
    `new Promise((resolve) => { const el = document.querySelector('[data-testid="step-counter"]'); const check = () => Number(el.getAttribute('data-step')) >= ${panAt} && resolve(); new MutationObserver(check).observe(el, { attributes: true }); check(); })`,
  );
  const viewOnly = await metrics();
  const viewOnlyWall = (performance.now() - wallStart) / 1000;
  const pane = (await studio.page.locator('.pane-generator .react-flow__pane').boundingBox())!;
  const cx = pane.x + pane.width / 2;
  const cy = pane.y + pane.height / 2;
  await studio.page.mouse.move(cx, cy);
  await studio.page.mouse.down();
  await startFrames(studio.page, 'pan');
  const until = performance.now() + 3000;
  for (let a = 0; performance.now() < until; a += 0.12)
    await studio.page.mouse.move(cx + 60 * Math.cos(a), cy + 40 * Math.sin(a));
  const pan = await stopFrames(studio.page, 'pan');
  await studio.page.mouse.up();
  await studio.page
    .locator('[data-testid="run-status"]', { hasText: 'Finished' })
    .first()
    .waitFor({ timeout: 600_000 });
  const frames = await stopFrames(studio.page, 'training');
  const seen = (await studio.page.evaluate('window.__steps')) as { t: number; step: number }[];
  const share = (k: string) => (viewOnly[k]! - before[k]!) / viewOnlyWall;
  return {
    itPerSec: rate(seen, warmup, panAt),
    fromPan: rate(seen, panAt, steps),
    workerMs: workerMedianMs(join(docsDir, 'runs', runId), panAt),
    frames,
    pan,
    busy: { task: share('TaskDuration'), script: share('ScriptDuration'), layout: share('LayoutDuration') },
  };
}

try {
  const docsDir = join(temp, 'documents');
  mkdirSync(docsDir);
  mkdirSync(join(temp, 'state'));
  const server = await startStudioServer(docsDir, join(temp, 'state'));
  const browser = await launchChromium({ width: 1600, height: 900 });
  const headless: Awaited<ReturnType<typeof headlessRun>>[] = [];
  const ui: Awaited<ReturnType<typeof uiRun>>[] = [];
  try {
    const studio = await StudioPage.open(browser.context, server.url, temp);
    await studio.newFromPreset('sagan-mnist');
    const cdp = await browser.context.newCDPSession(studio.page);
    await cdp.send('Performance.enable');
    for (let round = 1; round <= rounds; round++) {
      // The page stays open meanwhile; its view shows the previous run, finished.
      const h = await headlessRun(round);
      headless.push(h);
      console.log(
        `round ${round} headless: ${h.itPerSec.toFixed(2)} it/s, worker median ${h.workerMs.toFixed(0)} ms/iteration on ${h.backend}`,
      );
      const u = await uiRun(studio, docsDir, cdp);
      ui.push(u);
      console.log(
        `round ${round} with the training view: ${u.itPerSec.toFixed(2)} it/s (as the page saw the steps), worker median ${u.workerMs.toFixed(0)} ms/iteration; ${u.fromPan.toFixed(2)} it/s from the 3 s canvas pan to the end; page main thread busy ${(u.busy.task * 100).toFixed(1)}% (script ${(u.busy.script * 100).toFixed(1)}%, layout ${(u.busy.layout * 100).toFixed(1)}%)`,
      );
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const h = median(headless.map((r) => r.itPerSec));
  const u = median(ui.map((r) => r.itPerSec));
  console.log(
    `\nsagan-mnist at batch ${batchSize}, a sample grid every ${sampleEvery} steps, it/s timed from step ${warmup} to ${panAt} (the canvas is panned after that); medians of ${rounds} round(s):`,
  );
  const hMs = median(headless.map((r) => r.workerMs));
  const uMs = median(ui.map((r) => r.workerMs));
  console.log(
    `  headless:           ${(1000 / hMs).toFixed(2)} it/s by the worker's iteration time (${hMs.toFixed(0)} ms/iteration); ${h.toFixed(2)} it/s wall-clock, sampling and logging included`,
  );
  console.log(
    `  training view open: ${(1000 / uMs).toFixed(2)} it/s by the worker's iteration time (${uMs.toFixed(0)} ms/iteration); ${u.toFixed(2)} it/s wall-clock as the page saw the steps (updated every ${MIN_UPDATE_INTERVAL_MS} ms)`,
  );
  console.log(
    `  streaming cost:     iterations ${((uMs / hMs - 1) * 100).toFixed(1)}% slower than headless (target ≤ 5%); wall-clock ${((1 - u / h) * 100).toFixed(1)}% slower`,
  );
  console.log(`  UI frames during training: ${frameStats(ui.flatMap((r) => r.frames))}`);
  console.log(`  UI frames while panning the canvas during training: ${frameStats(ui.flatMap((r) => r.pan))}`);
  console.log(
    `Machine: ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at the end (the page, the server and the training thread share them).`,
  );
} finally {
  rmSync(temp, { recursive: true, force: true });
}
