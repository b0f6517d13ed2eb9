import type { RequestMessage, ResponseMessage } from '../../graph-schemas';
import type { EngineConfig, ToEngine } from './engine-protocol';
import { FromEngineSchema } from './engine-protocol';

/** The parts of Electron's UtilityProcess the connection uses (tests pass a fake). */
export interface EngineChild {
  postMessage(message: ToEngine, transfer?: unknown[]): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
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
}

const CRASH_ADVICE =
  'Training runs in it have stopped; resume them from their last checkpoint in the run list. The engine restarts with the next request.';

/**
 * The main process's side of the engine process: starts it on first use, forwards requests and matches
 * responses to them by id, restarts it after a crash, and stops it with a checkpoint of every run.
 */
export class EngineConnection {
  private child: EngineChild | null = null;
  private started = 0;
  private ready: Promise<void> | null = null;
  private readonly pending = new Map<number, (response: ResponseMessage) => void>();
  private stopping: (() => void) | null = null;

  constructor(private readonly opts: EngineConnectionOptions) {}

  /** Forwards a request (already validated by the caller) and resolves with the engine's response; never rejects. */
  async request(message: RequestMessage): Promise<ResponseMessage> {
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

  private ensureStarted(): EngineChild {
    if (this.child) return this.child;
    const child = this.opts.fork();
    const restarted = this.started++ > 0;
    this.child = child;
    let markReady!: () => void;
    this.ready = new Promise((resolve) => (markReady = resolve));
    child.on('message', (raw) => {
      const parsed = FromEngineSchema.safeParse(raw);
      if (!parsed.success) return this.opts.log?.('Ignored a malformed message from the engine process.');
      const message = parsed.data;
      if (message.type === 'response') {
        const resolve = this.pending.get(message.message.id);
        this.pending.delete(message.message.id);
        resolve?.(message.message);
      } else if (message.type === 'ready') markReady();
      else if (message.type === 'shutdown-done') this.stopping?.();
      else if (message.type === 'fatal') {
        markReady();
        this.opts.onCrash(message.message);
      }
    });
    child.on('exit', (code) => {
      if (this.child !== child) return; // asked to stop
      this.child = null;
      markReady();
      const reason = `The engine process stopped unexpectedly (exit code ${code}).`;
      for (const [id, resolve] of this.pending)
        resolve({ id, error: { code: 'unavailable', message: `${reason} Try again.` } });
      this.pending.clear();
      this.stopping?.();
      this.opts.onCrash(`${reason} ${CRASH_ADVICE}`);
    });
    child.postMessage({ type: 'init', config: this.opts.config });
    if (restarted) this.opts.onRestart();
    return child;
  }
}
