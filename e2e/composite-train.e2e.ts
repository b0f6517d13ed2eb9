import { existsSync, readFileSync } from 'node:fs';
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

interface SavedDoc {
  version: number;
  blocks: { type: string; nodes: { id: string; type: string }[]; params: { name: string }[] }[];
  generator: { nodes: { id: string; type: string; params: Record<string, unknown> }[] };
}

describe('an attention residual block drawn from parts, used twice', () => {
  it("groups an up-block and its attention into a block, uses it twice in sagan-mnist's G, trains, saves, reloads and exports to PyTorch", async () => {
    const studio = await StudioPage.open(chromium.context, url, artifacts);
    const training = new TrainingView(studio.page);
    await studio.newFromPreset('sagan-mnist');
    const g = studio.generator;

    // The parts: g_up2 (a residual up-block, 8×8×64 → 16×16×32) and the SelfAttention after it, grouped.
    await g.select('g_up2');
    await g
      .node('g_attention')
      .locator('.block-head')
      .click({ modifiers: ['Shift'] });
    await studio.menu('Edit', 'Group into block');
    // The dialog asks which params each use sets; its first choice (the channel counts) is kept.
    await studio.page.getByTestId('group-dialog').getByRole('button', { name: 'Group', exact: true }).click();
    const first = g.node('g_block');
    await first.waitFor();
    expect(await first.getByTestId('shape').innerText()).toBe('→ [16, 16, 32]');

    // A second use from the palette's "This document", in place of g_up1: 4×4×128 → 8×8×32 → 16×16×32.
    await g.dropBlockOnEdge('Block', 'g_reshape.out->g_up1.in');
    const second = g.node('g_block2');
    await second.waitFor();
    await g.deleteNode('g_up1');
    await g.layout(); // the new use sits where g_up1 was, over g_block
    await g.fit();
    await g.dragConnection({ node: 'g_block2', port: 'out' }, { node: 'g_block', port: 'in' });
    // Dropping it connected its label input to the class label, as for any block with one.
    expect(await g.edge('g_label.out->g_block2.label').count()).toBe(1);
    await expect.poll(() => second.getByTestId('shape').innerText()).toBe('→ [8, 8, 32]');
    await expect.poll(() => first.getByTestId('shape').innerText()).toBe('→ [16, 16, 32]');
    // The block exposes its up-block's channels: this use makes 48, the first keeps 32.
    await g.select('g_block2');
    const channels = studio.inspectorField('outChannels');
    await channels.fill('48');
    await channels.press('Enter');
    await expect.poll(() => second.getByTestId('shape').innerText()).toBe('→ [8, 8, 48]');
    expect(await first.getByTestId('shape').innerText()).toBe('→ [16, 16, 32]');
    await studio.page.getByTestId('problems').locator('.ok-text').waitFor();
    expect(await g.nodesOfType('Block').count()).toBe(2);
    const built = await studio.totals();
    await studio.screenshot('composite-train-01-two-uses');

    // A few steps on MNIST: both uses compile (layers g_block/…, g_block2/…) and train.
    const runId = await training.start({ steps: 3, batchSize: 2, sampleEvery: 3, seed: 3 });
    await expect.poll(() => training.status(), poll).toBe('Finished');
    expect(await training.step()).toBe(3);
    await studio.screenshot('composite-train-02-trained');

    await studio.press('Control+s');
    await studio.fileDialog.saveAs('attention-residual');
    const saved = JSON.parse(readFileSync(join(docsDir, 'attention-residual.sagan.json'), 'utf8')) as SavedDoc;
    expect(saved.version).toBe(2);
    expect(saved.blocks.map((b) => b.type)).toEqual(['Block']);
    expect(saved.blocks[0]!.nodes.map((n) => n.type).sort()).toEqual(
      expect.arrayContaining(['ResBlockUp', 'SelfAttention']),
    );
    expect(saved.blocks[0]!.params.map((p) => p.name)).toEqual(['outChannels']);
    const uses = saved.generator.nodes.filter((n) => n.type === 'Block');
    expect(Object.fromEntries(uses.map((n) => [n.id, n.params.outChannels]))).toEqual({ g_block: 32, g_block2: 48 });

    await studio.load(url);
    await studio.gallery.getByRole('button', { name: /Open a file/ }).click();
    await studio.fileDialog.open('attention-residual.sagan.json');
    expect(await studio.totals()).toEqual(built);
    await expect.poll(() => g.nodesOfType('Block').count()).toBe(2);
    expect(await g.node('g_block2').getByTestId('shape').innerText()).toBe('→ [8, 8, 48]');
    expect(await g.node('g_block').getByTestId('shape').innerText()).toBe('→ [16, 16, 32]');

    // PyTorch, from the run list: the run (its graph and weights) as a package; one module class for the block type.
    await training.openRuns();
    // The run was trained before the document had a file, so it is listed under all runs.
    await training.dock.getByRole('button', { name: 'All runs' }).click();
    const toast = await training.exportRun(runId, docsDir, 'attention-residual-torch', 'pytorch');
    const out = join(docsDir, 'attention-residual-torch');
    expect(toast).toContain(`Exported the PyTorch package to ${out}`);
    expect(JSON.parse(readFileSync(join(out, 'sagan-pytorch.json'), 'utf8'))).toMatchObject({
      init: { run: runId, step: 3 },
    });
    const model = readFileSync(join(out, 'model.py'), 'utf8');
    expect(model.match(/^class Block\(nn\.Module\)/gm)).toHaveLength(1);
    expect(model.match(/= Block\(/g)).toHaveLength(2);
    // Each use built with its own channels: 4×4×128 → 48 in the second, 48 → 32 in the first.
    expect(model).toMatch(/self\.g_block2 = Block\(\s*g_up2=dict\(in_channels=128, out_channels=48,/);
    expect(model).toMatch(/self\.g_block = Block\(\s*g_up2=dict\(in_channels=48, out_channels=32,/);
    expect(existsSync(join(out, 'init.json'))).toBe(true);
    await studio.page.close();
  }, 240_000);
});
