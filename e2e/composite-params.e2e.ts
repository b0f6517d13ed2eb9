import { describe, expect, inject, it } from 'vitest';
import { chromiumPerFile } from './browser';
import { StudioPage } from './pages/studio-page';

const url = inject('saganUrl');
const artifacts = inject('artifactsDir');
const chromium = chromiumPerFile();

describe('the params a block of the document exposes', () => {
  it('are chosen when grouping, shown on each use, and added or removed inside the block', async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    await studio.newFromPreset('sagan-mnist');
    const g = studio.generator;
    await g.select('g_up2');
    await g
      .node('g_attention')
      .locator('.block-head')
      .click({ modifiers: ['Shift'] });
    await studio.press('Control+g');

    // The dialog lists the parts' params with their values; the channel count is ticked to begin with.
    const dialog = studio.page.getByTestId('group-dialog');
    await dialog.waitFor();
    const channels = dialog.getByRole('checkbox', { name: 'g_up2 outChannels' });
    expect(await channels.isChecked()).toBe(true);
    const variant = dialog.getByRole('checkbox', { name: 'g_attention variant' });
    expect(await variant.isChecked()).toBe(false);
    await variant.check();
    await dialog.getByLabel('Block name').fill('AttentionUp');
    await studio.screenshot('composite-params-01-dialog');
    await dialog.getByRole('button', { name: 'Group', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    // The use's inspector has both, the variant with the attention's own choices.
    const use = g.node('g_attention_up');
    await use.waitFor();
    await g.select('g_attention_up');
    const inspector = studio.page.getByTestId('inspector');
    expect(await inspector.getByTestId('param-outChannels').inputValue()).toBe('32');
    const useVariant = inspector.getByTestId('param-variant');
    expect(await useVariant.inputValue()).toBe('official');
    await useVariant.selectOption('paper');
    await studio.waitForValidation();
    expect(await useVariant.inputValue()).toBe('paper');

    // Inside the block: the variant is set on each use; make it the same for every use again, expose bias instead.
    await use.locator('.block-head').dblclick();
    const inside = g.root.getByTestId('block-inside-view');
    await inside.waitFor();
    await inside.locator('.react-flow__node[data-id="g_attention"] .block-head').click();
    const params = inside.getByTestId('definition-params');
    await params.getByTestId('unexpose-param').click();
    expect(await studio.lastToast('info')).toMatch(
      /no longer has "variant": g_attention\.variant is "official" in every use \("g_attention_up" had "paper"/,
    );
    await params.locator('[data-testid="expose-param"][data-param="bias"]').click();
    expect(await studio.lastToast('info')).toMatch(/now sets "bias" \(g_attention\.bias\), starting at false/);
    await studio.screenshot('composite-params-02-inside');
    await inside.getByRole('button', { name: 'Back (Esc)' }).click();
    await inside.waitFor({ state: 'detached' });

    await g.select('g_attention_up');
    await inspector.getByTestId('param-bias').waitFor();
    expect(await inspector.getByTestId('param-variant').count()).toBe(0);
    await studio.page.close();
  });
});
