import { useStore } from 'zustand';
import type { Studio } from '../app/studio';
import { useStudio } from '../app/studio';
import { confirmDialog, notify } from '../app/ui-store';
import { TrainingClient } from './training-client';
import type { TrainingState } from './training-store';

const clients = new WeakMap<Studio, TrainingClient>();

/** The training client of this app (one per studio, made on first use, listening from then on). */
export function trainingFor(studio: Studio): TrainingClient {
  let client = clients.get(studio);
  if (!client) {
    client = new TrainingClient({
      api: studio.api,
      docPath: () => studio.editor.getState().file.path,
      hostKind: () => studio.ui.getState().host?.kind ?? null,
      notify: (level, message) => notify(studio.ui, level, message),
      confirm: (opts) => confirmDialog(studio.ui, opts),
    });
    clients.set(studio, client);
  }
  return client;
}

export function useTrainingClient(): TrainingClient {
  return trainingFor(useStudio());
}

export function useTraining<T>(selector: (state: TrainingState) => T): T {
  return useStore(useTrainingClient().store, selector);
}
