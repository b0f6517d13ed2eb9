import type { Locator, Page } from 'playwright-core';

/** A rectangle in window pixels. */
export type Rect = { left: number; top: number; right: number; bottom: number };

/** How one network's canvas reads at its zoom: the compact cards' type, badges, titles, class-label pins. */
export class CanvasReading {
  readonly root: Locator;

  constructor(
    private readonly page: Page,
    readonly network: 'generator' | 'discriminator',
  ) {
    this.root = page.locator(`.pane-${network}`);
  }

  /** The canvas's zoom (React Flow's viewport scale). */
  async zoom(): Promise<number> {
    const style = (await this.root.locator('.react-flow__viewport').getAttribute('style')) ?? '';
    return Number(/scale\(([\d.]+)\)/.exec(style)?.[1] ?? NaN);
  }

  get compactCards(): Locator {
    return this.root.locator('[data-testid="compact"]');
  }

  get labelPins(): Locator {
    return this.root.locator('[data-testid="label-pin"]');
  }

  /** Connections that leave a Class label node. */
  labelEdges(labelNode: string): Locator {
    return this.root.locator(`.react-flow__edge[data-id^="${labelNode}.out->"]`);
  }

  /** The smallest on-screen size of the compact cards' text: computed font size × zoom, per card. */
  async smallestCompactText(): Promise<{ px: number; where: string }> {
    const zoom = await this.zoom();
    return this.root.evaluate((root, zoom) => {
      let smallest = { px: Infinity, where: '' };
      for (const el of root.querySelectorAll<HTMLElement>(
        '.block-compact .compact-title, .block-compact .compact-size',
      )) {
        if (!el.textContent) continue;
        const px = parseFloat(getComputedStyle(el).fontSize) * zoom;
        if (px < smallest.px)
          smallest = { px, where: `${el.closest('[data-node-id]')?.getAttribute('data-node-id')} ${el.className}` };
      }
      return smallest;
    }, zoom);
  }

  /** Badges and tags (resolution, γ, problems, memory) that reach outside their card, or are cut short. */
  async badgesOutsideCards(): Promise<string[]> {
    return this.root.evaluate((root) => {
      const out: string[] = [];
      for (const card of root.querySelectorAll<HTMLElement>('.block-node')) {
        const box = card.getBoundingClientRect();
        const id = card.getAttribute('data-node-id');
        for (const el of card.querySelectorAll<HTMLElement>(
          '.badge, .block-cost, .compact-badge, .compact-gamma, .block-problem',
        )) {
          const r = el.getBoundingClientRect();
          if (r.width === 0) continue;
          if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
            out.push(`${id}: ${el.className} "${el.textContent}" reaches outside its card`);
          if (el.matches('.block-cost, .badge') && el.scrollWidth > el.clientWidth + 1)
            out.push(`${id}: ${el.className} "${el.textContent}" is cut short`);
        }
      }
      return out;
    });
  }

  /** Shape labels that are painted over a card (they would hide it, or it them). */
  async edgeLabelsOverCards(): Promise<string[]> {
    return this.root.evaluate((root) => {
      const cards = [...root.querySelectorAll<HTMLElement>('.block-node')].map((c) => ({
        id: c.getAttribute('data-node-id'),
        r: c.getBoundingClientRect(),
      }));
      const out: string[] = [];
      for (const label of root.querySelectorAll<HTMLElement>('.edge-label')) {
        if (getComputedStyle(label).opacity === '0' || getComputedStyle(label).visibility === 'hidden') continue;
        const l = label.getBoundingClientRect();
        for (const { id, r } of cards)
          if (l.left < r.right - 1 && l.right > r.left + 1 && l.top < r.bottom - 1 && l.bottom > r.top + 1)
            out.push(`label "${label.textContent}" of ${label.getAttribute('data-edge-id')} over ${id}`);
      }
      return out;
    });
  }

  /**
   * Titles cut short (full card's title or compact card's name) whose tooltip does not carry the full block
   * title; also how many were cut short, so a test knows it checked some.
   */
  async truncatedTitles(): Promise<{ truncated: number; withoutTooltip: string[] }> {
    return this.root.evaluate((root) => {
      let truncated = 0;
      const withoutTooltip: string[] = [];
      for (const card of root.querySelectorAll<HTMLElement>('.block-node')) {
        const full = card.querySelector('.block-title')?.textContent ?? '';
        const compact = card.classList.contains('compact');
        const el = card.querySelector<HTMLElement>(compact ? '.compact-title' : '.block-title');
        if (!el || el.scrollWidth <= el.clientWidth + 1) continue;
        truncated++;
        // The compact layer lets the pointer through: its tooltip is the card's.
        const tooltip = compact ? card.title : el.title;
        if (!tooltip.includes(full)) withoutTooltip.push(`${card.getAttribute('data-node-id')}: "${el.textContent}"`);
      }
      return { truncated, withoutTooltip };
    });
  }

  /** Closes the messages in the corner, so a screenshot shows the canvas whole. */
  static async dismissToasts(page: Page): Promise<void> {
    const close = page.locator('.toast-close');
    while ((await close.count()) > 0) await close.first().click();
  }
}
