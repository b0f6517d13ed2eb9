import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuCommand } from '../../graph-schemas';
import type { DocumentState } from './desktop-handlers';
import { PageLink } from './page-link';

const state = (dirty: boolean): DocumentState => ({ title: 'g.sagan.json', path: '/g.sagan.json', dirty });

function link(opts: { dialogOpen?: () => boolean } = {}) {
  const sent: [MenuCommand, string | undefined][] = [];
  let now = 0;
  const page = new PageLink({
    send: (command, path) => void sent.push([command, path]),
    saveTimeoutMs: 10_000,
    dialogOpen: opts.dialogOpen ?? (() => false),
    now: () => now,
  });
  return { page, sent, advance: (ms: number) => (now += ms) };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the page as main sees it', () => {
  it('files the OS opens before the page is ready wait: the first goes in the URL, later ones follow when it is ready', () => {
    const { page, sent } = link();
    page.open('/a.sagan.json');
    page.open('/b.sagan.json');
    expect(page.takeInitialOpen()).toBe('/a.sagan.json');
    page.loading();
    page.open('/c.sagan.json');
    expect(sent).toEqual([]);
    page.reported(state(false));
    expect(page.ready).toBe(true);
    expect(sent).toEqual([
      ['open-recent', '/b.sagan.json'],
      ['open-recent', '/c.sagan.json'],
    ]);
    page.open('/d.sagan.json');
    expect(sent.at(-1)).toEqual(['open-recent', '/d.sagan.json']);
    expect(page.takeInitialOpen()).toBeNull();
  });

  it('a reload makes the page not ready until it reports again; opens meanwhile are kept for it', () => {
    const { page, sent } = link();
    page.reported(state(false));
    page.loading();
    page.open('/x.sagan.json');
    expect(sent).toEqual([]);
    page.reported(state(true));
    expect(sent).toEqual([['open-recent', '/x.sagan.json']]);
    expect(page.document).toEqual(state(true));
  });

  it('a save resolves with the state the page reports next', async () => {
    const { page, sent } = link();
    page.reported(state(true));
    const saved = page.requestSave();
    expect(sent).toEqual([['save', undefined]]);
    page.reported(state(false));
    expect(await saved).toEqual(state(false));
  });

  it('a page that never answers a save times out (null), but not while its native save dialog is open', async () => {
    let dialog = true;
    const { page } = link({ dialogOpen: () => dialog });
    page.reported(state(true));
    let answer: DocumentState | null | 'waiting' = 'waiting';
    void page.requestSave().then((a) => (answer = a));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(answer).toBe('waiting');
    dialog = false;
    await vi.advanceTimersByTimeAsync(9_000);
    expect(answer).toBe('waiting');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(answer).toBeNull();
  });

  it('a page that is gone answers saves with null at once, and is reloaded unless it keeps crashing', async () => {
    const { page, advance } = link();
    page.reported(state(true));
    const saving = page.requestSave();
    expect(page.gone()).toBe('reload');
    expect(await saving).toBeNull();
    expect(page.alive).toBe(false);
    expect(await page.requestSave()).toBeNull();
    // It keeps its last known document state (the close prompt still knows there are unsaved changes).
    expect(page.document).toEqual(state(true));
    page.loading();
    expect(page.alive).toBe(true);
    advance(5_000);
    expect(page.gone()).toBe('leave');
    page.loading();
    advance(120_000);
    expect(page.gone()).toBe('reload');
  });
});
