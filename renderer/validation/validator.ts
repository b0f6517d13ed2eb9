import type { GraphDocument, ValidationReport } from '../../graph-schemas';
import { validateGraph } from '../../graph-schemas';

export interface ValidationRequest {
  revision: number;
  doc: GraphDocument;
}

export type ValidationReply =
  { revision: number; report: ValidationReport; ms: number } | { revision: number; error: string; ms: number };

export interface ValidationResult {
  doc: GraphDocument;
  report: ValidationReport;
  /** Time spent in validateGraph itself. */
  ms: number;
}

export interface WorkerLike {
  postMessage(message: ValidationRequest): void;
  onmessage: ((ev: MessageEvent<ValidationReply>) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
  terminate(): void;
}

/**
 * Validates the latest document in a Web Worker; a result for a document that has since been replaced is
 * dropped. Without a worker (or when it fails) it validates on the main thread, which takes a few ms.
 */
export class Validator {
  private revision = 0;
  private readonly docs = new Map<number, GraphDocument>();
  private worker: WorkerLike | undefined;

  constructor(
    private readonly onResult: (result: ValidationResult) => void,
    createWorker?: () => WorkerLike | undefined,
  ) {
    try {
      this.worker = createWorker?.();
    } catch {
      this.worker = undefined;
    }
    if (this.worker) {
      this.worker.onmessage = (ev) => this.receive(ev.data);
      this.worker.onerror = () => this.fallBack();
    }
  }

  validate(doc: GraphDocument): void {
    const revision = ++this.revision;
    if (!this.worker) return this.validateHere(revision, doc);
    this.docs.clear();
    this.docs.set(revision, doc);
    this.worker.postMessage({ revision, doc });
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }

  private receive(reply: ValidationReply): void {
    const doc = this.docs.get(reply.revision);
    if (reply.revision !== this.revision || !doc) return;
    this.docs.delete(reply.revision);
    if ('error' in reply) return this.validateHere(reply.revision, doc);
    this.onResult({ doc, report: reply.report, ms: reply.ms });
  }

  private fallBack(): void {
    const pending = this.docs.get(this.revision);
    this.dispose();
    if (pending) this.validateHere(this.revision, pending);
  }

  private validateHere(revision: number, doc: GraphDocument): void {
    const started = performance.now();
    const report = validateGraph(doc);
    if (revision === this.revision) this.onResult({ doc, report, ms: performance.now() - started });
  }
}
