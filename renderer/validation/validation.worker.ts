// Validates documents off the main thread, so typing never waits for shape inference.
import type { GraphDocument } from '../../graph-schemas';
import { validateGraph } from '../../graph-schemas';
import type { ValidationReply, ValidationRequest } from './validator';

const scope = self as unknown as {
  onmessage: ((ev: MessageEvent<ValidationRequest>) => void) | null;
  postMessage(reply: ValidationReply): void;
};

scope.onmessage = (ev) => {
  const { revision, doc } = ev.data;
  const started = performance.now();
  try {
    const report = validateGraph(doc as GraphDocument);
    scope.postMessage({ revision, report, ms: performance.now() - started });
  } catch (e) {
    scope.postMessage({ revision, error: e instanceof Error ? e.message : String(e), ms: performance.now() - started });
  }
};
