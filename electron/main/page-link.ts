import type { MenuCommand } from '../../graph-schemas';
import type { DocumentState } from './desktop-handlers';

export interface PageLinkOptions {
  /** Sends the page a menu command (an app.command event). */
  send(command: MenuCommand, path?: string): void;
  /** Whether a native dialog the page asked for (Open, Save As) is showing: the user, not the page, is slow then. */
  dialogOpen(): boolean;
  /** How long the page may take to answer a save, dialog time not counted. */
  saveTimeoutMs?: number;
  now?(): number;
}

/** A page that crashes again this soon after the last crash is left alone instead of reloaded (no reload loop). */
const RELOAD_AGAIN_AFTER_MS = 60_000;
const TICK_MS = 500;

/**
 * The one page, as the main process sees it: whether it is ready for commands (it has reported its document
 * since it last loaded), alive, and what document it shows. Files the OS asks to open wait until it is ready,
 * and a save the close prompt asks for ends with the page's next report, or with null when the page crashed or
 * does not answer: quitting never waits on a dead or hung page.
 */
export class PageLink {
  document: DocumentState = { title: 'Untitled', path: null, dirty: false };
  private state: 'loading' | 'ready' | 'gone' = 'loading';
  private readonly opens: string[] = [];
  private initialTaken = false;
  private saveWaiters: ((state: DocumentState | null) => void)[] = [];
  private lastGoneAt: number | null = null;

  constructor(private readonly opts: PageLinkOptions) {}

  get ready(): boolean {
    return this.state === 'ready';
  }

  get alive(): boolean {
    return this.state !== 'gone';
  }

  /** The file to open with the first page load (`?open=`), taken once; later files go as commands. */
  takeInitialOpen(): string | null {
    if (this.initialTaken) return null;
    this.initialTaken = true;
    return this.opens.shift() ?? null;
  }

  /** The OS asked to open a file (open-file, second instance). */
  open(path: string): void {
    if (this.ready) this.opts.send('open-recent', path);
    else this.opens.push(path);
  }

  /** The page began to (re)load: it takes no commands until it reports its document. */
  loading(): void {
    this.state = 'loading';
  }

  /** The page reported its document (app.documentState): it is ready, and any save it was asked for is done. */
  reported(state: DocumentState): void {
    this.document = state;
    this.state = 'ready';
    this.settleSaves(state);
    for (const path of this.opens.splice(0)) this.opts.send('open-recent', path);
  }

  /** The renderer process is gone (crashed, killed, out of memory): reload it, unless it just did the same. */
  gone(): 'reload' | 'leave' {
    this.state = 'gone';
    this.settleSaves(null);
    const now = this.now();
    const crashLoop = this.lastGoneAt !== null && now - this.lastGoneAt < RELOAD_AGAIN_AFTER_MS;
    this.lastGoneAt = now;
    return crashLoop ? 'leave' : 'reload';
  }

  /** Asks the page to save; resolves with the state it reports afterwards, or null if it cannot answer. */
  requestSave(): Promise<DocumentState | null> {
    if (!this.alive) return Promise.resolve(null);
    const limit = this.opts.saveTimeoutMs ?? 15_000;
    return new Promise((resolve) => {
      let waited = 0;
      const timer = setInterval(() => {
        if (this.opts.dialogOpen()) return;
        waited += TICK_MS;
        if (waited < limit) return;
        this.saveWaiters = this.saveWaiters.filter((w) => w !== done);
        done(null);
      }, TICK_MS);
      const done = (state: DocumentState | null) => {
        clearInterval(timer);
        resolve(state);
      };
      this.saveWaiters.push(done);
      this.opts.send('save');
    });
  }

  private settleSaves(state: DocumentState | null): void {
    for (const done of this.saveWaiters.splice(0)) done(state);
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }
}
