import type { Locator, Page } from 'playwright-core';

/** A block opened over its pane (double-click): its parts, ports and breadcrumb, and editing a block of the document. */
export class BlockInside {
  readonly root: Locator;

  constructor(
    private readonly page: Page,
    paneRoot: Locator,
  ) {
    this.root = paneRoot.getByTestId('block-inside-view');
  }

  node(id: string): Locator {
    return this.root.locator(`.react-flow__node[data-id="${id}"]`);
  }

  edge(id: string): Locator {
    return this.root.locator(`.react-flow__edge[data-id="${id}"]`);
  }

  get hint(): Locator {
    return this.root.getByTestId('inside-hint');
  }

  get breadcrumb(): Locator {
    return this.root.locator('.breadcrumb');
  }

  get connectionHint(): Locator {
    return this.root.locator('.connection-hint');
  }

  async nodeCount(): Promise<number> {
    return this.root.locator('.react-flow__node').count();
  }

  async select(id: string, add = false): Promise<void> {
    await this.node(id)
      .locator('.block-head')
      .click(add ? { modifiers: ['Shift'] } : {});
  }

  /** Selects a part and deletes it with the Delete key. */
  async deletePart(id: string): Promise<void> {
    await this.select(id);
    await this.page.keyboard.press('Delete');
    await this.node(id).waitFor({ state: 'detached' });
  }

  /** Drags a block from the palette into the open block, `dx`/`dy` from the middle of its canvas. */
  async dropBlock(blockType: string, dx = 0, dy = 0): Promise<void> {
    const box = await this.root.locator('.inside-canvas').boundingBox();
    if (!box) throw new Error('No block is open.');
    await this.dragFromPalette(blockType, { x: box.x + box.width / 2 + dx, y: box.y + box.height / 2 + dy });
  }

  /** Drags a block from the palette onto the middle of a connection inside (its shape label). */
  async dropBlockOnEdge(blockType: string, edgeId: string): Promise<void> {
    const box = await this.root.locator(`.edge-label[data-edge-id="${edgeId}"]`).boundingBox();
    if (!box) throw new Error(`The connection ${edgeId} is not on screen inside the block.`);
    await this.dragFromPalette(blockType, { x: box.x + box.width / 2, y: box.y + box.height / 2 });
  }

  private async dragFromPalette(blockType: string, to: { x: number; y: number }): Promise<void> {
    const from = await this.page.locator(`.palette-item[data-block="${blockType}"]`).boundingBox();
    if (!from) throw new Error(`${blockType} is not in the palette.`);
    await this.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(to.x - 40, to.y - 20, { steps: 8 });
    await this.page.mouse.move(to.x, to.y, { steps: 4 });
    await this.page.mouse.up();
  }

  /**
   * Drags from an output port to an input port and waits for the connection; once more if a slow frame lost the
   * drop (the drag is the user's gesture; the check is that the connection then exists).
   */
  async connect(from: { node: string; port: string }, to: { node: string; port: string }): Promise<void> {
    const edge = this.edge(`${from.node}.${from.port}->${to.node}.${to.port}`);
    for (let attempt = 0; attempt < 2; attempt++) {
      await this.drag(from, to);
      const made = await edge.waitFor({ timeout: 4000 }).then(
        () => true,
        () => false,
      );
      if (made) return;
    }
    await edge.waitFor();
  }

  /** Drags from an output port to an input port; `release` decides whether to drop it there. */
  async drag(from: { node: string; port: string }, to: { node: string; port: string }, release = true): Promise<void> {
    const start = await this.portCenter(from.node, from.port, 'source');
    const end = await this.portCenter(to.node, to.port, 'target');
    await this.page.mouse.move(start.x, start.y);
    await this.page.mouse.down();
    await this.page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2, { steps: 6 });
    await this.page.mouse.move(end.x, end.y, { steps: 6 });
    if (release) await this.page.mouse.up();
  }

  /** Drags a part by its header. */
  async move(id: string, dx: number, dy: number): Promise<void> {
    const box = await this.node(id).locator('.block-head').boundingBox();
    if (!box) throw new Error(`${id} is not on screen.`);
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + dx / 2, y + dy / 2, { steps: 5 });
    await this.page.mouse.move(x + dx, y + dy, { steps: 5 });
    await this.page.mouse.up();
  }

  async fit(): Promise<void> {
    await this.root.locator('.react-flow__controls-fitview').click();
    await this.page.waitForTimeout(300);
  }

  async portCenter(nodeId: string, port: string, type: 'source' | 'target'): Promise<{ x: number; y: number }> {
    const handle = this.node(nodeId).locator(`.react-flow__handle.${type}[data-handleid="${port}"]`);
    await handle.scrollIntoViewIfNeeded();
    const box = await handle.boundingBox();
    if (!box) throw new Error(`Port ${port} of ${nodeId} is not on screen.`);
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  async back(): Promise<void> {
    await this.root.getByRole('button', { name: 'Back (Esc)' }).click();
    await this.root.waitFor({ state: 'detached' });
  }
}

/** The palette's "This document" section: the document's own blocks, with their rename and delete menu. */
export class DocumentBlocksPalette {
  readonly root: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByTestId('palette-document-blocks');
  }

  item(type: string): Locator {
    return this.root.locator(`.palette-item[data-block="${type}"]`);
  }

  async openMenu(type: string): Promise<Locator> {
    await this.item(type)
      .getByRole('button', { name: /^Actions of/ })
      .click();
    const menu = this.root.getByRole('menu');
    await menu.waitFor();
    return menu;
  }

  /** Rename… in the block's menu, types the name and presses Enter; returns the error shown, if any. */
  async rename(type: string, name: string): Promise<string | null> {
    const menu = await this.openMenu(type);
    await menu.getByRole('menuitem', { name: 'Rename…' }).click();
    const field = this.root.getByRole('textbox', { name: /^New name for/ });
    await field.fill(name);
    await field.press('Enter');
    const error = this.root.getByRole('alert');
    await this.page.waitForTimeout(150);
    if (await error.count()) return error.innerText();
    await field.waitFor({ state: 'detached' });
    return null;
  }

  get renameField(): Locator {
    return this.root.getByRole('textbox', { name: /^New name for/ });
  }
}
