import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { makeEditableCopy } from '../graph-schemas';
import { presetDoc } from '../graph-schemas/test-helpers';
import { chromiumPerFile } from './browser';
import { BlockInside, DocumentBlocksPalette } from './pages/block-inside';
import { StudioPage } from './pages/studio-page';

const url = inject('saganUrl');
const artifacts = inject('artifactsDir');
const docsDir = inject('docsDir');
const chromium = chromiumPerFile();

/** sagan-mnist whose g_up1 and g_up2 are two uses of one editable copy of the residual up-block. */
function writeTwoUses(name: string): string {
  const doc = makeEditableCopy(presetDoc('sagan-mnist'), 'generator', 'g_up1')!.doc;
  const g2 = doc.generator.nodes.find((n) => n.id === 'g_up2')!;
  g2.type = 'ResBlockUpCopy';
  g2.params = { outChannels: g2.params.outChannels, spectralNorm: true, bias: false };
  writeFileSync(join(docsDir, `${name}.sagan.json`), JSON.stringify(doc, null, 2));
  return `${name}.sagan.json`;
}

describe('editing a block of the document', () => {
  it('adds, wires and deletes parts inside (every use follows, undo takes it back), renames and deletes the block', async () => {
    const file = writeTwoUses('two-uses');
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    await studio.page.setViewportSize({ width: 1440, height: 900 });
    await studio.gallery.getByRole('button', { name: /Open a file/ }).click();
    await studio.fileDialog.open(file);
    const g = studio.generator;
    await g.node('g_up2').waitFor();
    await studio.press('Alt+1'); // the generator only: room to edit inside
    const before = await studio.totals();
    const paramsOf = (id: string) => g.node(id).getByTestId('params').innerText();
    const [up1, up2, up3] = [await paramsOf('g_up1'), await paramsOf('g_up2'), await paramsOf('g_up3')];

    // Built-ins stay read-only, with the way out named.
    await g.node('g_up3').locator('.block-head').dblclick();
    const inside = new BlockInside(studio.page, g.root);
    await inside.root.waitFor();
    expect(await inside.hint.innerText()).toMatch(/read-only \(built-in\): make an editable copy/);
    await inside.back();

    await g.node('g_up1').locator('.block-head').dblclick();
    await inside.root.waitFor();
    expect(await inside.hint.innerText()).toMatch(/block of this document, 2 uses: edits change every use/);
    expect(await inside.nodeCount()).toBe(12);

    // Delete a part: the part after it now misses its input, said on that inner node.
    await inside.deletePart('relu2');
    await expect.poll(() => inside.node('conv2').locator('.block-node').getAttribute('class')).toMatch(/status-error/);
    // Add a part from the palette, and wire it where the deleted one was.
    await inside.dropBlock('SelfAttention', 200, 40);
    await inside.node('attention').waitFor();
    // A label cannot go into attention: refused at the cursor, in the blocks' names.
    await inside.drag({ node: '$in', port: 'label' }, { node: 'attention', port: 'in' }, false);
    expect(await inside.connectionHint.innerText()).toMatch(
      /Self-attention expects a feature map; .* gives a class label/,
    );
    await studio.page.mouse.move(10, 10);
    await studio.page.mouse.up();
    await inside.connect({ node: 'cbn2', port: 'out' }, { node: 'attention', port: 'in' });
    await inside.connect({ node: 'attention', port: 'out' }, { node: 'conv2', port: 'in' });
    await expect
      .poll(() => inside.node('conv2').locator('.block-node').getAttribute('class'))
      .not.toMatch(/status-error/);
    expect(await inside.node('attention').getByTestId('shape').innerText()).toMatch(/→ \[\d+, \d+, \d+\]/);
    // Move it: one undoable step, kept in the definition (so in every use's inside).
    const was = (await inside.node('attention').boundingBox())!;
    await inside.move('attention', -90, 30);
    await expect.poll(async () => (await inside.node('attention').boundingBox())!.x).toBeLessThan(was.x - 40);
    // Where it sits beside conv2, in card widths (the same whatever the zoom).
    const offset = async () => {
      const [a, c] = [(await inside.node('attention').boundingBox())!, (await inside.node('conv2').boundingBox())!];
      return { x: (a.x - c.x) / c.width, y: (a.y - c.y) / c.width };
    };
    const placed = await offset();
    await studio.waitForValidation();
    await studio.screenshot('17-composite-edit');

    // Both uses changed with the definition; the built-in g_up3 did not.
    await inside.back();
    expect(await paramsOf('g_up1')).not.toBe(up1);
    expect(await paramsOf('g_up2')).not.toBe(up2);
    expect(await paramsOf('g_up3')).toBe(up3);
    expect((await studio.totals()).generator).toBeGreaterThan(before.generator);

    await g.node('g_up2').locator('.block-head').dblclick();
    await inside.root.waitFor();
    const there = await offset(); // g_up2 shows the part where it was moved in g_up1
    expect(there.x).toBeCloseTo(placed.x, 1);
    expect(there.y).toBeCloseTo(placed.y, 1);
    await inside.back();

    // Undo, step by step, across levels: the move, the two connections, the added part, the deleted one.
    for (let i = 0; i < 5; i++) await studio.undo();
    expect(await studio.totals()).toEqual(before);
    expect(await paramsOf('g_up2')).toBe(up2);
    await g.node('g_up2').locator('.block-head').dblclick();
    await inside.root.waitFor();
    expect(await inside.nodeCount()).toBe(12);
    await inside.node('relu2').waitFor();
    // The palette's add (double-click) adds into the open block; Delete takes the new part out again.
    await studio.page.locator('.palette-item[data-block="ReLU"]').dblclick();
    await inside.node('relu').waitFor();
    await studio.press('Delete');
    await inside.node('relu').waitFor({ state: 'detached' });
    // Dropped on a wire, a block goes into it (as on the network's canvas); undo takes it out.
    await inside.dropBlockOnEdge('ReLU', 'cbn2.out->relu2.in');
    await inside.edge('relu.out->relu2.in').waitFor();
    expect(await inside.edge('cbn2.out->relu.in').count()).toBe(1);
    await studio.undo();
    await inside.node('relu').waitFor({ state: 'detached' });
    await inside.edge('cbn2.out->relu2.in').waitFor({ state: 'attached' }); // a straight line: 0 px wide
    // The block's ports: a new input makes each use say, on its node, that it needs a connection there.
    await inside.node('$in').locator('.block-head').click();
    const ports = inside.root.getByTestId('definition-ports');
    await ports.getByRole('button', { name: '+ Add input' }).click();
    await ports.locator('tr[data-port="in2"]').waitFor();
    const problems = studio.page.getByTestId('problems');
    await expect.poll(() => problems.innerText()).toMatch(/"g_up2".*needs a feature map on its "in2" input/);
    await studio.screenshot('17-composite-edit-ports');
    await studio.undo();
    await ports.locator('tr[data-port="in2"]').waitFor({ state: 'detached' });
    // Renaming a port: the connections inside and on every use follow (nothing to fix); undo takes it back.
    const portName = ports.getByRole('textbox', { name: 'Name of input "in"' });
    await portName.fill('x_in');
    await portName.press('Enter');
    await inside.root.locator('.react-flow__edge[data-id^="$in.x_in->"]').first().waitFor();
    expect(await studio.totals()).toEqual(before);
    expect(await problems.innerText()).not.toMatch(/x_in/);
    await studio.undo();
    await ports.locator('tr[data-port="in"]').waitFor();
    await inside.back();
    expect(await studio.totals()).toEqual(before);

    // Rename: not empty; the palette and the breadcrumb follow.
    const palette = new DocumentBlocksPalette(studio.page);
    expect(await palette.rename('ResBlockUpCopy', '   ')).toBe('A block needs a name; type one.');
    await palette.renameField.press('Escape');
    expect(await palette.rename('ResBlockUpCopy', 'Up with attention')).toBeNull();
    expect(await palette.item('ResBlockUpCopy').innerText()).toMatch(/Up with attention\s*×2/);

    // Delete: it is used, so it asks, naming the uses; undo brings all back.
    const menu = await palette.openMenu('ResBlockUpCopy');
    await menu.getByRole('menuitem', { name: 'Delete with its 2 uses…' }).click();
    const confirm = studio.page.getByTestId('confirm-dialog');
    await confirm.waitFor();
    const closers = studio.page.locator('.toast-close'); // the undo messages, out of the picture
    while (await closers.count())
      await closers
        .first()
        .click({ timeout: 2000 })
        .catch(() => undefined);
    expect(await confirm.innerText()).toMatch(/used 2 times: "g_up1" \(generator\), "g_up2" \(generator\)/);
    await studio.screenshot('17-composite-edit-delete');
    await confirm.getByRole('button', { name: 'Delete with its 2 uses' }).click();
    await g.node('g_up1').waitFor({ state: 'detached' });
    expect(await g.node('g_up2').count()).toBe(0);
    expect(await palette.root.count()).toBe(0);
    await studio.undo();
    await g.node('g_up2').waitFor();
    expect(await studio.totals()).toEqual(before);
    expect(await palette.item('ResBlockUpCopy').innerText()).toMatch(/Up with attention/);
    await studio.page.close();
  }, 180_000); // many steps, each waiting for validation
});
