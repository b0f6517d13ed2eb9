import type { Locator, Page } from 'playwright-core';

/** One network's canvas (a labelled region): its nodes, connections and shape labels. */
export class CanvasPane {
  readonly root: Locator;

  constructor(
    private readonly page: Page,
    readonly network: 'generator' | 'discriminator',
  ) {
    this.root = page.locator(`.pane-${network}`);
  }

  node(id: string): Locator {
    return this.root.locator(`.react-flow__node[data-id="${id}"]`);
  }

  nodesOfType(type: string): Locator {
    return this.root.locator(`.block-node[data-block-type="${type}"]`);
  }

  edge(id: string): Locator {
    return this.root.locator(`.react-flow__edge[data-id="${id}"]`);
  }

  edgeLabel(id: string): Locator {
    return this.root.locator(`.edge-label[data-edge-id="${id}"]`);
  }

  async total(): Promise<string> {
    return this.root.getByTestId(`total-${this.network}`).innerText();
  }

  async edgeCount(): Promise<number> {
    return this.root.locator('.react-flow__edge').count();
  }

  async fit(): Promise<void> {
    await this.root.locator('.pane-header button', { hasText: 'Fit' }).click();
    await this.page.waitForTimeout(350);
    await this.settled();
  }

  /** The pane header's Layout: arranges the network's nodes so none overlap. */
  async layout(): Promise<void> {
    await this.root.locator('.pane-header button', { hasText: 'Layout' }).click();
    await this.page.waitForTimeout(350);
    await this.settled();
  }

  /** Waits until the nodes and the view stop moving (on a busy machine a layout or fit outlasts its animation). */
  async settled(): Promise<void> {
    const positions = () =>
      this.root.evaluate((el) =>
        [el.querySelector('.react-flow__viewport'), ...el.querySelectorAll('.react-flow__node')]
          .map((n) => `${n?.getAttribute('data-id') ?? ''}:${n?.getAttribute('style') ?? ''}`)
          .join('|'),
      );
    let last = await positions();
    for (let i = 0; i < 50; i++) {
      await this.page.waitForTimeout(150);
      const now = await positions();
      if (now === last) return;
      last = now;
    }
  }

  async select(id: string): Promise<void> {
    await this.node(id).locator('.block-head').click();
  }

  /** Selects a node and deletes it with the Delete key. */
  async deleteNode(id: string): Promise<void> {
    await this.select(id);
    await this.page.keyboard.press('Delete');
    await this.node(id).waitFor({ state: 'detached' });
  }

  /** Drags a block from the palette and drops it on the middle of a connection (where its shape label is). */
  async dropBlockOnEdge(blockType: string, edgeId: string): Promise<void> {
    const label = this.edgeLabel(edgeId);
    await label.scrollIntoViewIfNeeded();
    const box = await label.boundingBox();
    if (!box) throw new Error(`The connection ${edgeId} is not on screen in the ${this.network}.`);
    const source = this.page.locator(`.palette-item[data-block="${blockType}"]`);
    const from = await source.boundingBox();
    if (!from) throw new Error(`${blockType} is not in the palette.`);
    await this.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await this.page.mouse.down();
    const to = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await this.page.mouse.move(to.x - 40, to.y - 20, { steps: 8 });
    await this.page.mouse.move(to.x, to.y, { steps: 4 });
    await this.page.mouse.up();
  }

  /**
   * Starts a connection at an output port and moves over an input port; `release` decides whether to drop it there.
   * On a busy machine a fit can still be moving the view when the ports are measured: the press then misses the
   * port, so it is tried again once the view has settled.
   */
  async dragConnection(
    from: { node: string; port: string },
    to: { node: string; port: string },
    release = true,
  ): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.settled();
      const start = await this.portCenter(from.node, from.port, 'source');
      let end = await this.portCenter(to.node, to.port, 'target');
      await this.page.mouse.move(start.x, start.y);
      await this.page.mouse.down();
      await this.page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2, { steps: 6 });
      if ((await this.root.locator('.react-flow__connection').count()) === 0) {
        await this.page.mouse.up();
        continue;
      }
      await this.page.mouse.move(end.x, end.y, { steps: 6 });
      // Dragging near the pane's edge pans the view (by how many frames a slow machine draws); follow the port.
      for (let i = 0; i < 5; i++) {
        const now = await this.portCenter(to.node, to.port, 'target');
        if (Math.hypot(now.x - end.x, now.y - end.y) < 2) break;
        end = now;
        await this.page.mouse.move(end.x, end.y, { steps: 2 });
      }
      if (release) await this.page.mouse.up();
      return;
    }
    throw new Error(`No connection started from port ${from.port} of ${from.node} in the ${this.network}.`);
  }

  async portCenter(nodeId: string, port: string, type: 'source' | 'target'): Promise<{ x: number; y: number }> {
    const handle = this.node(nodeId).locator(`.react-flow__handle.${type}[data-handleid="${port}"]`);
    const box = await handle.boundingBox();
    if (!box) throw new Error(`Port ${port} of ${nodeId} is not on screen.`);
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  get connectionHint(): Locator {
    return this.root.locator('.connection-hint');
  }
}
