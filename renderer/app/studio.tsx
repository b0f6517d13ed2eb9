import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StudioApi } from '../../graph-schemas';
import type { EditorActions, EditorState, EditorStore } from '../store/document-store';
import type { Training } from '../training/training';
import type { TrainingState } from '../training/training-store';
import type { ValidationState, ValidationStore } from '../validation/validation-store';
import type { UiState, UiStore } from './ui-store';

/** The app's services: the document store, its validation, UI state, training and the host API. */
export interface Studio {
  editor: EditorStore;
  validation: ValidationStore;
  ui: UiStore;
  training: Training;
  api: StudioApi;
}

const StudioContext = createContext<Studio | null>(null);

export function StudioProvider({ studio, children }: { studio: Studio; children: ReactNode }) {
  return <StudioContext.Provider value={studio}>{children}</StudioContext.Provider>;
}

export function useStudio(): Studio {
  const studio = useContext(StudioContext);
  if (!studio) throw new Error('useStudio must be used inside <StudioProvider>.');
  return studio;
}

export function useEditor<T>(selector: (state: EditorState & EditorActions) => T): T {
  return useStore(useStudio().editor, selector);
}

export function useValidation<T>(selector: (state: ValidationState) => T): T {
  return useStore(useStudio().validation, selector);
}

export function useUi<T>(selector: (state: UiState) => T): T {
  return useStore(useStudio().ui, selector);
}

export function useTraining<T>(selector: (state: TrainingState) => T): T {
  return useStore(useStudio().training.store, selector);
}

/**
 * The batch memory costs are shown at: the watched run's while it is running or paused (what it really holds),
 * otherwise the document's.
 */
export function useCostBatch(): number {
  const docBatch = useEditor((s) => s.doc.training.batchSize);
  const runBatch = useTraining((s) => {
    const run = s.watched ? s.runs[s.watched] : undefined;
    return run && (run.status === 'running' || run.status === 'paused' || run.status === 'starting')
      ? run.batchSize
      : null;
  });
  return runBatch ?? docBatch;
}
