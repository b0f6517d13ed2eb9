import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, inject, it } from 'vitest';
import { chromiumPerFile } from './browser';
import { StudioPage } from './pages/studio-page';
import { TrainingView } from './pages/training-view';

const url = inject('saganUrl');
const artifacts = inject('artifactsDir');
const docsDir = inject('docsDir');
const chromium = chromiumPerFile();

/** An image folder with 10 class subfolders of 3 small PNGs each (class c's images are gray level 25·c), and one broken file. */
function imageFolder(): string {
  const root = join(docsDir, 'digits-folder');
  for (let c = 0; c < 10; c++) {
    mkdirSync(join(root, `digit-${c}`), { recursive: true });
    for (let i = 0; i < 3; i++) {
      const png = new PNG({ width: 20, height: 20 });
      png.data.fill(25 * c);
      for (let p = 3; p < png.data.length; p += 4) png.data[p] = 255;
      writeFileSync(join(root, `digit-${c}`, `${i}.png`), PNG.sync.write(png));
    }
  }
  writeFileSync(join(root, 'digit-3', 'broken.png'), 'not a png');
  return root;
}

describe('the Train dialog checks the data before anything starts', () => {
  it('shows MNIST per class with real images, an image folder with its skipped files, and refuses a missing folder', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    const training = new TrainingView(studio.page);
    await studio.newFromPreset('sagan-mnist');

    await training.openDialog();
    const mnist = await training.dataCheck();
    expect(mnist.state).toBe('ok');
    expect(mnist.classes.map((c) => c.name)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(mnist.classes.reduce((a, c) => a + c.count, 0)).toBe(10_000);
    expect(mnist.text).toMatch(/Trained as 32×32, 1 channel \(gray\) — the document’s size and channels/);
    await training.dialog.locator('[data-testid="train-estimate"][data-state="fits"]').waitFor({ timeout: 90_000 });
    const time = await training.estimateTime();
    expect(time.text).toMatch(/median of \d+ timed at batch 32 after a warm-up/);
    // The backend picker lists what can run here: the GPU with its adapter's name, or WebGPU marked unavailable.
    const gpu = training.dialog.locator('[data-testid="train-backend"] option[value="webgpu"]');
    const gpuText = await gpu.innerText();
    expect(gpuText).toMatch(/^GPU \(WebGPU\): .+/);
    if (gpuText.endsWith('not available here')) {
      expect(await gpu.isDisabled()).toBe(true);
      expect(await gpu.getAttribute('title')).toMatch(/^WebGPU (found no adapter|is unavailable)/);
    }
    expect(await training.dialog.locator('[data-testid="train-backend"] option[value="wasm"]').innerText()).toBe(
      'WebAssembly: SIMD and threads',
    );
    await studio.screenshot('train-dialog-01-mnist-data-and-estimate');

    const folder = imageFolder();
    await training.dialog.getByTestId('train-data-folder').click();
    await training.dialog.getByTestId('train-folder').fill(folder);
    await expect.poll(async () => (await training.dataCheck()).text, { timeout: 60_000 }).toContain(folder);
    const images = await training.dataCheck();
    expect(images.state).toBe('ok');
    expect(images.classes).toHaveLength(10);
    expect(images.classes[0]).toEqual({ name: 'digit-0', count: 3 });
    expect(images.text).toMatch(/1 file could not be read and is left out:\s*\S*broken\.png/);
    await studio.screenshot('train-dialog-02-folder-skipped-file');

    const missing = join(docsDir, 'no-such-folder');
    await training.dialog.getByTestId('train-folder').fill(missing);
    await expect.poll(async () => (await training.dataCheck()).state, { timeout: 60_000 }).toBe('refused');
    expect((await training.dataCheck()).text).toContain(`The dataset folder ${missing} does not exist`);
    expect(await training.dialog.getByTestId('train-start').isDisabled()).toBe(true);
    await studio.screenshot('train-dialog-03-missing-folder');
    await studio.page.close();
  }, 150_000);
});
