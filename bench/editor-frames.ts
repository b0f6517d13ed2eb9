// Frame times of the editor with a 300-node document in headless Chromium: dragging a node, and typing in the
// inspector while validation runs: `npm run bench -- editor-frames` (it builds the renderer first when stale).
// Options: --seconds N (drag time, default 4), --nodes N (document size, default 300).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CDPSession, Page } from 'playwright-core';
import { largeDocument } from '../graph-schemas/bench-fixtures';
import { launchChromium } from '../e2e/browser';
import { buildRendererIfStale } from '../scripts/build-renderer';
import { startStudioServer } from '../e2e/serve-process';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '4' }, nodes: { type: 'string', default: '300' } },
});
const dragSeconds = Number(values.seconds);
const nodeCount = Number(values.nodes);
// A production build (React's development build is several times slower), made here when stale.
buildRendererIfStale();

interface FrameStats {
  frames: number;
  median: number;
  p95: number;
  max: number;
  dropped: number;
}

function frameStats(deltas: number[]): FrameStats {
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] ?? 0;
  // A frame that took longer than 1.5 vsync intervals hid round(delta / 16.7) - 1 frames.
  const dropped = deltas.reduce((n, d) => n + (d > 25 ? Math.round(d / (1000 / 60)) - 1 : 0), 0);
  return { frames: deltas.length, median: at(0.5), p95: at(0.95), max: at(1), dropped };
}

const fmt = (s: FrameStats) =>
  `median ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms, ${s.frames} frames, ${s.dropped} dropped (${((s.dropped / (s.frames + s.dropped)) * 100).toFixed(1)}%)`;

// In-page code is passed as text: tsx would otherwise wrap named functions in a helper the page does not have.
const recordFrames = `(() => {
  window.__frames = [];
  window.__recording = true;
  let last = performance.now();
  const tick = (t) => { window.__frames.push(t - last); last = t; if (window.__recording) requestAnimationFrame(tick); };
  requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
})()`;

/** Starts recording requestAnimationFrame intervals in the page. */
async function startFrames(page: Page): Promise<void> {
  await page.evaluate(recordFrames);
}

async function stopFrames(page: Page): Promise<number[]> {
  return page.evaluate('(() => { window.__recording = false; return window.__frames; })()');
}

/**
 * Seconds the page's main thread has spent on tasks so far (script, style, layout, paint, compositing). Per pointer
 * move it is a steadier figure than dropped frames, which also count what else the machine was doing.
 */
async function mainThreadBusy(page: Page): Promise<number> {
  let cdp = sessions.get(page);
  if (!cdp) {
    cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    sessions.set(page, cdp);
  }
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
}
const sessions = new WeakMap<Page, CDPSession>();

async function measures(page: Page, name: string): Promise<number[]> {
  return page.evaluate(`performance.getEntriesByName(${JSON.stringify(name)}).map((e) => e.duration)`);
}

/**
 * Drags a node in circles, one pointer move after another, and records the frames meanwhile. The circle is drawn
 * round the middle of the generator's pane and kept clear of its edges: near an edge React Flow pans the view
 * while dragging, which repaints everything and would measure the node's place in the layout, not the editor.
 */
async function dragNode(
  page: Page,
  id: string,
): Promise<{ moves: number; frames: number[]; panned: boolean; busyPerMove: number }> {
  // The card, not its title row: zoomed out, the card shows its compact face and the title row is hidden.
  const box = (await page.locator(`.pane-generator .react-flow__node[data-id="${id}"]`).boundingBox())!;
  const pane = (await page.locator('.pane-generator .react-flow').boundingBox())!;
  const viewport = page.locator('.pane-generator .react-flow__viewport');
  const cx = pane.x + pane.width / 2;
  const cy = pane.y + pane.height / 2;
  const rx = Math.min(120, pane.width / 2 - 80);
  const ry = Math.min(80, pane.height / 2 - 80);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(cx + rx, cy, { steps: 8 });
  const before = await viewport.getAttribute('style');
  await startFrames(page);
  const busyBefore = await mainThreadBusy(page);
  const until = performance.now() + dragSeconds * 1000;
  let moves = 0;
  for (let a = 0; performance.now() < until; a += 0.12) {
    await page.mouse.move(cx + rx * Math.cos(a), cy + ry * Math.sin(a));
    moves++;
  }
  const busyPerMove = ((await mainThreadBusy(page)) - busyBefore) / moves;
  const frames = await stopFrames(page);
  const panned = (await viewport.getAttribute('style')) !== before;
  await page.mouse.up();
  return { moves, frames, panned, busyPerMove };
}

/** The figures of one drag, after the cards drawn: moves, frames, main-thread time, and whether the view panned. */
function describeDrag(drag: Awaited<ReturnType<typeof dragNode>>): string {
  const panned = drag.panned ? ' [the view panned during the drag: these figures include repainting everything]' : '';
  const busy = `main thread ${drag.busyPerMove.toFixed(1)} ms per move`;
  return `${drag.moves} pointer moves in ${dragSeconds} s): ${fmt(frameStats(drag.frames))}; ${busy}${panned}`;
}

/**
 * Zooms the generator's canvas in on a node with the mouse wheel until the scale reaches `scale`; returns how many
 * cards are drawn and the zoom it stopped at (a wheel step overshoots by a different amount from each start).
 */
async function zoomTo(page: Page, id: string, scale: number): Promise<{ cards: number; zoom: number }> {
  const viewport = page.locator('.pane-generator .react-flow__viewport');
  const current = async () => Number(/scale\(([\d.]+)\)/.exec((await viewport.getAttribute('style')) ?? '')?.[1] ?? 1);
  for (let i = 0; i < 40 && (await current()) < scale; i++) {
    const box = (await page.locator(`.pane-generator .react-flow__node[data-id="${id}"]`).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -120);
    await page.waitForTimeout(60);
  }
  await page.waitForTimeout(400);
  return { cards: await page.locator('.pane-generator .react-flow__node').count(), zoom: await current() };
}

const temp = mkdtempSync(join(tmpdir(), 'sagan-bench-'));
const docsDir = join(temp, 'documents');
mkdirSync(docsDir);
mkdirSync(join(temp, 'state'));
const docPath = join(docsDir, `large-${nodeCount}.sagan.json`);
const doc = largeDocument(nodeCount);
writeFileSync(docPath, JSON.stringify(doc, null, 2));
const server = await startStudioServer(docsDir, join(temp, 'state'));
const browser = await launchChromium({ width: 1600, height: 900 });
try {
  const page = await browser.context.newPage();
  const opened = performance.now();
  await page.goto(`${server.url}&open=${encodeURIComponent(docPath)}`);
  await page.locator('.pane-total', { hasText: 'params' }).first().waitFor({ timeout: 60_000 });
  await page.locator('.pane-generator .react-flow__node').nth(50).waitFor({ timeout: 60_000 });
  const shownNodes = await page.locator('.react-flow__node').count();
  console.log(
    `editor-frames: ${doc.generator.nodes.length + doc.discriminator.nodes.length}-node document open and validated in ${((performance.now() - opened) / 1000).toFixed(1)} s; ${shownNodes} node cards on screen (both networks, fit to view)`,
  );

  const dragFit = await dragNode(page, 'g_extra120');
  console.log(`drag, whole document in view (${shownNodes} cards drawn; ${describeDrag(dragFit)}`);
  const drawn = await zoomTo(page, 'g_extra120', 1);
  const dragNear = await dragNode(page, 'g_extra120');
  console.log(`drag at ${Math.round(drawn.zoom * 100)}% zoom (${drawn.cards} cards drawn; ${describeDrag(dragNear)}`);
  await page.getByRole('button', { name: /Fit/ }).first().click();

  // Type into a param of a node while the document revalidates after every accepted value.
  await page.locator('.pane-generator .react-flow__node[data-id="g_extra121"]').click();
  const field = page.getByTestId('param-outChannels');
  await field.waitFor();
  await page.evaluate('performance.clearMeasures()');
  await startFrames(page);
  // Typed at about 12 keys a second; each value is applied after a pause and revalidates the whole document.
  for (const value of ['128', '64', '256', '192', '96', '256']) {
    await field.selectText();
    await page.keyboard.type(value, { delay: 80 });
    await page.waitForTimeout(800);
  }
  const typingFrames = await stopFrames(page);
  const validate = await measures(page, 'sagan:validate');
  const latency = await measures(page, 'sagan:validate-latency');
  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return `median ${(s[Math.floor((s.length - 1) / 2)] ?? 0).toFixed(1)} ms, max ${(s[s.length - 1] ?? 0).toFixed(1)} ms over ${s.length} runs`;
  };
  console.log(`typing in the inspector: ${fmt(frameStats(typingFrames))}`);
  console.log(
    `validation while typing (in the worker): ${stats(validate)}; from edit to updated shapes: ${stats(latency)}`,
  );
  console.log(
    `Machine: ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at the end (other work on the machine shows up as dropped frames).`,
  );
  console.log(
    'Targets: drag median ≤ 16.7 ms with few dropped frames; validation never on the typing path (it runs in a worker).',
  );
} finally {
  await browser.close();
  await server.stop();
  rmSync(temp, { recursive: true, force: true });
}
