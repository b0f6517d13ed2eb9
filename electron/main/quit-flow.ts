/** What quitting does, step by step (main.ts passes Electron's calls; tests record them). */
export interface QuitSteps {
  /** The close prompt (unsaved changes, running trainings); true when the app may quit. */
  confirm(): Promise<boolean>;
  /** Remembers the window's place; done while it is still shown (a hidden window reports no maximized state). */
  savePlace(): void;
  hide(): void;
  /** Stops every training run with a checkpoint and ends the engine process. */
  stopEngine(): Promise<void>;
  /** app.quit(), once mayClose is true (so before-quit and close let it through). */
  quit(): void;
  /** app.exit(): at once, no events. */
  exit(code: number): void;
  log(line: string): void;
}

export interface QuitFlowOptions {
  /** After this long, stopping the engine is given up and the app quits anyway (the engine has its own timeout). */
  stopTimeoutMs?: number;
  /** Signals this close together are one (the terminal and npm both pass Ctrl-C on). */
  repeatSignalMs?: number;
}

/**
 * Closing the window, Quit, and Ctrl-C in the terminal all end here: ask (not for a signal), then save the
 * window's place, hide, checkpoint the runs and quit. Nothing in it can wait for ever: a cancelled or failed
 * prompt leaves the app open for the next try, and a stop that takes too long is given up.
 */
export class QuitFlow {
  private state: 'open' | 'asking' | 'stopping' | 'done' = 'open';
  private lastSignalAt: number | null = null;

  constructor(
    private readonly steps: QuitSteps,
    private readonly opts: QuitFlowOptions = {},
  ) {}

  /** Whether the window may close and the app may end now (quitting has finished its work). */
  get mayClose(): boolean {
    return this.state === 'done';
  }

  /** Whether the app is on its way out (the runs are stopping, or it is done): a crashed page is not reloaded. */
  get quitting(): boolean {
    return this.state === 'stopping' || this.state === 'done';
  }

  /** The window's close button, Quit in the menu, or the OS ending the session. */
  request(): void {
    if (this.state !== 'open') return;
    this.state = 'asking';
    void this.steps
      .confirm()
      .catch((e: unknown) => {
        this.steps.log(`Closing failed: ${e instanceof Error ? e.message : String(e)}`);
        return false;
      })
      .then((ok) => {
        if (ok) return this.stop();
        if (this.state === 'asking') this.state = 'open'; // (a signal may have started stopping meanwhile)
      });
  }

  /** SIGINT or SIGTERM: quit without questions; a later second one exits at once. */
  signal(): void {
    const now = Date.now();
    const repeat = this.lastSignalAt !== null && now - this.lastSignalAt < (this.opts.repeatSignalMs ?? 2_000);
    if (this.lastSignalAt === null || this.state === 'open' || this.state === 'asking') {
      this.lastSignalAt = now;
      void this.stop();
    } else if (!repeat && this.state === 'stopping') {
      this.steps.log('Stopping at once (second interrupt).');
      this.state = 'done';
      this.steps.exit(130);
    }
  }

  private async stop(): Promise<void> {
    if (this.state === 'stopping' || this.state === 'done') return;
    this.state = 'stopping';
    this.steps.savePlace();
    this.steps.hide();
    const limit = this.opts.stopTimeoutMs ?? 90_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), limit)));
    const result = await Promise.race([this.steps.stopEngine().then(() => 'stopped' as const), timedOut]);
    clearTimeout(timer);
    if (this.state !== 'stopping') return; // exited meanwhile
    if (result === 'timeout') this.steps.log(`The engine did not stop within ${limit / 1000} s; quitting anyway.`);
    this.state = 'done';
    this.steps.quit();
  }
}
