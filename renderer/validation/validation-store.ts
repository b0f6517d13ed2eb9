import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { GraphDocument, ValidationReport } from '../../graph-schemas';
import type { EditorStore } from '../store/document-store';
import type { WorkerLike } from './validator';
import { Validator } from './validator';

export interface ValidationState {
  /** The document the report describes (the editor's document may already be newer). */
  doc: GraphDocument | null;
  report: ValidationReport | null;
  /** validateGraph's own time for the last report. */
  ms: number;
  /** True while a newer document waits for its report. */
  pending: boolean;
}

export type ValidationStore = StoreApi<ValidationState>;

/**
 * Validates the editor's document after every edit, debounced and in a worker. Timings go to the
 * Performance timeline ("sagan:validate" and "sagan:validate-latency") for the editor benchmark.
 */
export function startValidation(
  editor: EditorStore,
  createWorker?: () => WorkerLike | undefined,
  debounceMs = 60,
): { store: ValidationStore; dispose(): void } {
  const store = createStore<ValidationState>()(() => ({ doc: null, report: null, ms: 0, pending: true }));
  let editedAt = performance.now();
  const validator = new Validator(({ doc, report, ms }) => {
    store.setState({ doc, report, ms, pending: doc !== editor.getState().doc });
    const now = performance.now();
    performance.measure('sagan:validate', { start: now - ms, end: now });
    performance.measure('sagan:validate-latency', { start: editedAt, end: now });
  }, createWorker);
  let timer: ReturnType<typeof setTimeout> | undefined;
  validator.validate(editor.getState().doc);
  const unsubscribe = editor.subscribe((state, previous) => {
    if (state.doc === previous.doc) return;
    editedAt = performance.now();
    store.setState({ pending: true });
    clearTimeout(timer);
    timer = setTimeout(() => validator.validate(editor.getState().doc), debounceMs);
  });
  return {
    store,
    dispose() {
      clearTimeout(timer);
      unsubscribe();
      validator.dispose();
    },
  };
}
