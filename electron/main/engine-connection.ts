import type { RequestMessage, ResponseMessage } from '../../graph-schemas';
import type { EngineConfig, ToEngine } from './engine-protocol';
import { FromEngineSchema } from './engine-protocol';

/** The parts of Electron's UtilityProcess the connection uses (tests pass a fake). */
export interface EngineChild {
  postMessage(message: ToEngine, transfer?: unknown[]): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  /** A V8 fatal error (out of memory, most often); 'exit' follows. */
  on(event: 'error', listener: (type: string, location: string, report: string) => void): unknown;
  kill(): boolean;
}

export interface EngineConnectionOptions {
  /** Starts a new engine process (utilityProcess.fork). */
  fork(): EngineChild;
  config: EngineConfig;
  /** The engine process ended without being asked to: tell the user (runs in it have stopped). */
  onCrash(message: string): void;
  /** A new engine process replaced one that ended: hand every open page a new event port. */
  onRestart(): void;
  log?(line: string): void;
  now?(): number;
}

const CRASH_ADVICE = 'Training runs in it have stopped; resume them from their last checkpoint in the run list.';
/** More crashes than this within CRASH_WINDOW_MS: no more restarts until the next request (no crash loop). */
const MAX_QUICK_CRASHES = 2;
const CRASH_WINDOW_MS = 60_000;
/** After a failed start, requests get its reason without a new attempt for this long, doubling up to the max. */
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;

/**
 * The main process's side of the engine process: starts it on first use, forwards requests and matches
 * responses to them by id, restarts it after a crash (not in a loop), ends one whose host could not start (the
 * page's requests get the reason, and a later request tries again), and stops it with a checkpoint of every run.
 */
export class EngineConnection {
  private child: EngineChild | null = null;
  private started = 0;
  private ready: Promise<void> | null = null;
  private readonly pending = new Map<number, (response: ResponseMessage) => void>();
  private stopping: (() => void) | null = null;
  private crashes: number[] = [];
  private failedStart: { message: string; at: number; waitMs: number } | null = null;

  constructor(private readonly opts: EngineConnectionOptions) {}

  /** Forwards a request (already validated by the caller) and resolves with the engine's response; never rejects. */
  async request(message: RequestMessage): Promise<ResponseMessage> {
    const failed = this.failedStart;
    if (!this.child && failed && this.now() - failed.at < failed.waitMs)
      return { id: message.id, error: { code: 'unavailable', message: failed.message } };
    const child = this.ensureStarted();
    if (this.pending.has(message.id))
      return {
        id: message.id,
        error: { code: 'bad-request', message: `Request id ${message.id} is already in flight.` },
      };
    const answer = new Promise<ResponseMessage>((resolve) => this.pending.set(message.id, resolve));
    child.postMessage({ type: 'request', message });
    return answer;
  }

  /** Hands the engine one end of a page's event channel. */
  connectPage(enginePort: unknown): void {
    this.ensureStarted().postMessage({ type: 'connect-page' }, [enginePort]);
  }

  /** Whether an engine process is running (one starts with the first request). */
  get running(): boolean {
    return this.child !== null;
  }

  /** Resolves once the engine has started its host (or failed to). */
  whenReady(): Promise<void> {
    this.ensureStarted();
    return this.ready!;
  }

  /** Stops every run with a checkpoint, then ends the process; kills it after `timeoutMs` if it does not answer. */
  async shutdown(timeoutMs = 60_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.stopping = () => {
        clearTimeout(timer);
        resolve();
      };
      child.postMessage({ type: 'shutdown' });
    });
    this.stopping = null;
    this.child = null;
    child.kill();
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** Answers every waiting request with `message`. */
  private failPending(message: string): void {
    for (const [id, resolve] of this.pending) resolve({ id, error: { code: 'unavailable', message } });
    this.pending.clear();
  }

  private ensureStarted(): EngineChild {
    if (this.child) return this.child;
    const child = this.opts.fork();
    const restarted = this.started++ > 0;
    this.child = child;
    let markReady!: () => void;
    this.ready = new Promise((resolve) => (markReady = resolve));
    let fatalError: string | null = null;
    child.on('error', (_type, location) => {
      fatalError = location;
      this.opts.log?.(`The engine process hit a fatal error: ${location}`);
    });
    child.on('message', (raw) => {
      const parsed = FromEngineSchema.safeParse(raw);
      if (!parsed.success) return this.opts.log?.('Ignored a malformed message from the engine process.');
      const message = parsed.data;
      if (message.type === 'response') {
        const resolve = this.pending.get(message.message.id);
        this.pending.delete(message.message.id);
        resolve?.(message.message);
      } else if (message.type === 'ready') {
        this.failedStart = null;
        markReady();
      } else if (message.type === 'shutdown-done') this.stopping?.();
      else if (message.type === 'fatal') {
        // Its host could not start: that process is of no use. End it; a request after a pause tries again.
        const waitMs = Math.min(MAX_RETRY_MS, this.failedStart ? this.failedStart.waitMs * 2 : FIRST_RETRY_MS);
        this.failedStart = { message: message.message, at: this.now(), waitMs };
        this.child = null;
        child.kill();
        markReady();
        this.failPending(message.message);
        this.opts.onCrash(message.message);
      }
    });
    child.on('exit', (code) => {
      if (this.child !== child) return; // asked to stop, or ended after a failed start
      this.child = null;
      markReady();
      const reason = fatalError
        ? `The engine process hit a fatal error (${fatalError}; most often out of memory) and stopped.`
        : `The engine process stopped unexpectedly (exit code ${code}).`;
      this.failPending(`${reason} Try again.`);
      const stopping = this.stopping;
      stopping?.();
      const now = this.now();
      this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
      const restart = !stopping && this.crashes.length <= MAX_QUICK_CRASHES;
      this.opts.onCrash(
        `${reason} ${CRASH_ADVICE} ${restart ? 'The engine has been restarted.' : 'It restarts with the next request.'}`,
      );
      if (restart) this.ensureStarted();
    });
    child.postMessage({ type: 'init', config: this.opts.config });
    if (restarted) this.opts.onRestart();
    return child;
  }
}
