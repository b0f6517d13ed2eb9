import { describe, expect, inject, it } from 'vitest';
import { chromiumPerFile } from './browser';
import { preset, totals, withBlockBetween, without } from './expected';
import { StudioPage } from './pages/studio-page';

const url = inject('saganUrl');
const artifacts = inject('artifactsDir');
const chromium = chromiumPerFile();

describe('composing G and D on the canvas', () => {
  it('opens sagan-32 with the reference parameter counts and every shape on the canvas', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    await studio.screenshot('01-welcome');
    await studio.newFromPreset('sagan-32');
    expect(await studio.totals()).toEqual({ generator: 4_386_756, discriminator: 1_075_810 });
    expect(await studio.generator.total()).toBe('4,386,756 params');
    expect(await studio.discriminator.total()).toBe('1,075,810 params');
    const attention = studio.generator.node('g_attention');
    await expect.poll(() => attention.getByTestId('resolution').innerText()).toBe('feat16');
    expect(await attention.getByTestId('shape').innerText()).toBe('→ [16, 16, 256]');
    expect(await attention.getByTestId('cost').innerText()).toContain('attn 256×256');
    expect(await studio.generator.edgeLabel('g_up2.out->g_attention.in').innerText()).toBe('[16, 16, 256]');
    expect(await studio.title()).toBe('SAGAN-32 — SAGAN Studio');
    await studio.screenshot('02-sagan32');
    await studio.page.close();
  });

  it('moves G’s attention: delete it, drop a new SelfAttention from the palette on the feat16 edge; undo and redo', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    await studio.newFromPreset('sagan-32');
    const g = studio.generator;

    await g.deleteNode('g_attention');
    const afterDelete = totals(without(preset('sagan-32'), 'generator', 'g_attention'));
    expect(await studio.totals()).toEqual(afterDelete);
    expect(afterDelete.generator).toBeLessThan(4_386_756);
    // The attention block kept its shape, so deleting it bridged the gap: the feat16 connection is there.
    await expect.poll(() => g.edgeLabel('g_up2.out->g_up3.in').innerText()).toBe('[16, 16, 256]');
    expect(await studio.dirtyMarker.isVisible()).toBe(true);
    expect(await studio.title()).toBe('• SAGAN-32 — SAGAN Studio');
    await studio.screenshot('03-attention-deleted');

    await g.dropBlockOnEdge('SelfAttention', 'g_up2.out->g_up3.in');
    const inserted = g.node('g_attention');
    await inserted.waitFor();
    await expect.poll(() => inserted.getByTestId('resolution').innerText()).toBe('feat16');
    expect(await inserted.getByTestId('shape').innerText()).toBe('→ [16, 16, 256]');
    const withNew = totals(
      withBlockBetween(
        without(preset('sagan-32'), 'generator', 'g_attention'),
        'generator',
        'SelfAttention',
        'g_attention',
        'g_up2',
        'g_up3',
      ),
    );
    expect(await studio.totals()).toEqual(withNew);
    // Default attention is the official one (pooled keys, no biases), lighter than the reference peer's.
    expect(withNew.generator).not.toBe(4_386_756);
    expect(await g.edgeLabel('g_up2.out->g_attention.in').innerText()).toBe('[16, 16, 256]');
    expect(await g.edgeLabel('g_attention.out->g_up3.in').innerText()).toBe('[16, 16, 256]');
    await studio.screenshot('04-attention-inserted');

    await studio.undo();
    expect(await studio.totals()).toEqual(afterDelete);
    await g.node('g_attention').waitFor({ state: 'detached' });
    await studio.undo();
    expect(await studio.totals()).toEqual({ generator: 4_386_756, discriminator: 1_075_810 });
    expect(await studio.dirtyMarker.count()).toBe(0);
    await studio.redo();
    await studio.redo();
    expect(await studio.totals()).toEqual(withNew);
    await studio.page.close();
  });

  it('moves attention to feat32 in SAGAN-128 and shows the larger attention cost', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    await studio.newFromPreset('sagan-128-feat16');
    const g = studio.generator;
    const before = g.node('g_attention');
    await g.select('g_attention');
    await studio.press('z');
    await expect.poll(() => before.getByTestId('cost').innerText()).toContain('attn 256×64');

    await g.deleteNode('g_attention');
    await g.fit();
    await g.dropBlockOnEdge('SelfAttention', 'g_up3.out->g_up4.in');
    // The whole of SAGAN-128 in view is too small to read: zoom to the inserted (selected) block.
    await studio.press('z');
    const moved = g.node('g_attention');
    await expect.poll(() => moved.getByTestId('resolution').innerText()).toBe('feat32');
    expect(await moved.getByTestId('shape').innerText()).toBe('→ [32, 32, 256]');
    expect(await moved.getByTestId('cost').innerText()).toContain('attn 1024×256');
    // The same G as the paper's SAGAN-128 (attention at feat32); D still has its attention at feat16.
    const expected = {
      generator: totals(preset('sagan-128')).generator,
      discriminator: totals(preset('sagan-128-feat16')).discriminator,
    };
    expect(await studio.totals()).toEqual(expected);
    await studio.screenshot('05-sagan128-attention-feat32');
    await studio.page.close();
  });

  it('refuses an incompatible connection and says why at the cursor', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    await studio.newFromPreset('sagan-32');
    const d = studio.discriminator;
    await d.edgeLabel('d_relu.out->d_sum.in').waitFor();
    const edgesBefore = await d.edgeCount();
    expect(edgesBefore).toBe(preset('sagan-32').discriminator.edges.length);
    await d.dragConnection({ node: 'd_sum', port: 'out' }, { node: 'd_block3', port: 'label' }, false);
    await d.connectionHint.waitFor();
    const reason = 'Residual block expects a class label on "label"; Global sum pool gives a vector [128].';
    expect(await d.connectionHint.innerText()).toBe(reason);
    await studio.screenshot('06-connection-refused');
    await studio.page.mouse.up();
    expect(await studio.lastToast('warning')).toBe(`Not connected: ${reason}`);
    expect(await d.edgeCount()).toBe(edgesBefore);
    await studio.page.close();
  });

  it('edits params in the inspector: refuses an invalid value with the reason and keeps the text; a valid one updates the shapes', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    await studio.newFromPreset('sagan-32');
    await studio.generator.select('g_up1');
    const field = studio.inspectorField('outChannels');
    await field.fill('0');
    expect(await studio.inspectorError('outChannels').innerText()).toBe('Enter a whole number from 1 to 8192.');
    await field.press('Enter');
    expect(await field.inputValue()).toBe('0');
    expect(await studio.totals()).toEqual({ generator: 4_386_756, discriminator: 1_075_810 });
    await studio.screenshot('07-inspector-refused');

    await field.fill('128');
    await field.press('Enter');
    await expect.poll(() => studio.generator.node('g_up1').getByTestId('shape').innerText()).toBe('→ [8, 8, 128]');
    const edited = preset('sagan-32');
    edited.generator.nodes.find((n) => n.id === 'g_up1')!.params.outChannels = 128;
    expect(await studio.totals()).toEqual(totals(edited));
    await studio.page.locator('.block-node').first().click();
    await studio.undo();
    expect(await studio.totals()).toEqual({ generator: 4_386_756, discriminator: 1_075_810 });
    await studio.page.close();
  });

  it('shows problems on the node and in the list; clicking one selects and shows the node', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    await studio.newFromPreset('sagan-32');
    // A residual up block changes the shape, so deleting it leaves a gap rather than reconnecting.
    await studio.generator.deleteNode('g_up3');
    const bn = studio.generator.node('g_bn');
    await bn.locator('.block-node.status-error').waitFor();
    expect(await bn.locator('.block-problem').innerText()).toBe(
      'Batch norm needs a feature map on its "in" input (Feature map H×W×C); connect one.',
    );
    const row = studio.page.getByTestId('problems').locator('.problem', { hasText: 'g_bn' }).first();
    await row.click();
    await studio.page.getByTestId('inspector').locator('h3', { hasText: 'Batch norm' }).waitFor();
    await bn.locator('.block-node.selected').waitFor();
    await studio.screenshot('11-problem-selected');
    await studio.page.close();
  });

  it('Help → Getting started explains the way from a preset to an exported model, readable at 1280×800', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    await studio.page.setViewportSize({ width: 1280, height: 800 });
    await studio.newFromPreset('sagan-mnist');
    await studio.menu('Help', 'Getting started');
    const page = studio.page.getByTestId('getting-started');
    await page.waitFor();
    expect(await page.locator('h4').allTextContents()).toEqual([
      '1. Load a preset',
      '2. Move attention',
      '3. Train',
      '4. Read the attention explorer',
      '5. Export',
    ]);
    // Every section fits the window: the dialog scrolls, it is never cut off.
    const box = (await page.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    await studio.screenshot('12-getting-started');
    await studio.page.keyboard.press('Escape');
    await page.waitFor({ state: 'detached' });
    await studio.page.close();
  });
});
