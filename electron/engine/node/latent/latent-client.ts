import { Worker } from 'node:worker_threads';
import type { LatentAnswer, LatentFailureCode, LatentJob, FromLatentWorker, ToLatentWorker } from './latent-protocol';

/** A request the latent thread refused or failed, with what kind of failure it was. */
export class LatentFailure extends Error {
  override readonly name = 'LatentFailure';
  constructor(
    readonly code: LatentFailureCode,
    message: string,
  ) {
    super(message);
  }
}

/** What the host asks of the latent explorer (tests may give another). */
export interface LatentEngine {
  ask<Op extends LatentJob['op']>(job: Extract<LatentJob, { op: Op }>): Promise<Extract<LatentAnswer, { op: Op }>>;
  dispose(): Promise<void>;
}

/** After this long without a request the thread ends, freeing the model it holds; the next request starts another. */
const IDLE_MS = 5 * 60_000;

/**
 * The latent explorer in its own worker thread, kept between requests (it caches the loaded checkpoint) and ended
 * when idle. It never keeps the process alive on its own, and a thread that dies fails only the requests it held.
 */
export class LatentWorkerClient implements LatentEngine {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (a: LatentAnswer) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private idle: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly idleMs = IDLE_MS,
    /** Starts the thread; a test may start one that fails, to see what the host is told. */
    private readonly spawn: () => Worker = () => new Worker(new URL('./latent-worker-entry.js', import.meta.url)),
  ) {}

  /** Whether a thread is up (it holds the last model loaded). */
  get running(): boolean {
    return this.worker !== null;
  }

  ask<Op extends LatentJob['op']>(job: Extract<LatentJob, { op: Op }>): Promise<Extract<LatentAnswer, { op: Op }>> {
    const worker = this.thread();
    const requestId = this.nextId++;
    this.touch();
    return new Promise<LatentAnswer>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      try {
        worker.postMessage({ type: 'latent', requestId, job } satisfies ToLatentWorker);
      } catch (e) {
        this.pending.delete(requestId);
        reject(
          new LatentFailure('bad-request', `The request could not be handed to the explorer: ${(e as Error).message}`),
        );
      }
    }).finally(() => this.touch()) as Promise<Extract<LatentAnswer, { op: Op }>>;
  }

  async dispose(): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const worker = this.worker;
    this.worker = null;
    this.failAll('The latent explorer was closed before it answered.');
    await worker?.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = this.spawn();
    worker.unref();
    worker.on('message', (m: FromLatentWorker) => {
      const waiting = this.pending.get(m.requestId);
      this.pending.delete(m.requestId);
      if (m.type === 'latent-result') waiting?.resolve(m.answer);
      else waiting?.reject(new LatentFailure(m.code, m.message));
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(why);
    };
    worker.on('error', (e) => lost(`The latent explorer's thread failed: ${e.message}`));
    worker.on('exit', (code) => lost(`The latent explorer's thread ended (exit code ${code}) before it answered.`));
    this.worker = worker;
    return worker;
  }

  private failAll(message: string) {
    for (const p of this.pending.values()) p.reject(new LatentFailure('internal', message));
    this.pending.clear();
  }

  /** Restarts the idle countdown; only while nothing is pending does it end the thread. */
  private touch() {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      if (this.pending.size === 0) void this.dispose();
      else this.touch();
    }, this.idleMs);
    this.idle.unref?.();
  }
}
