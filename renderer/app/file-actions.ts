import type { RecoverySnapshot } from '../../graph-schemas';
import type { Outcome } from '../files/file-session';
import { displayName, newFromPreset, openFile, restoreSnapshot, saveDocument } from '../files/file-session';
import { isDirty } from '../store/document-store';
import { formatShortcut } from './shortcuts';
import type { Studio } from './studio';
import { confirmDialog, notify } from './ui-store';

function report(studio: Studio, outcome: Outcome): void {
  notify(studio.ui, outcome.level, outcome.message, outcome.details ? { details: outcome.details } : {});
}

/** Asks before unsaved changes would be thrown away; true when it is fine to go on. */
export async function confirmDiscard(studio: Studio, doing: string): Promise<boolean> {
  if (!isDirty(studio.editor.getState())) return true;
  return confirmDialog(studio.ui, {
    title: 'Discard unsaved changes?',
    message: `${displayName(studio.editor)} has changes that are not saved. ${doing} will discard them. (Cancel, then save with ${formatShortcut({ key: 's', mod: true })}, to keep them.)`,
    confirm: 'Discard changes',
    danger: true,
  });
}

export async function openPath(studio: Studio, path: string): Promise<boolean> {
  if (!(await confirmDiscard(studio, 'Opening another graph'))) return false;
  const outcome = await openFile(studio, path);
  report(studio, outcome);
  if (outcome.ok) {
    studio.training.documentOpened();
    await studio.api.recovery.clear().catch(() => undefined);
  }
  return outcome.ok;
}

export async function startFromPreset(studio: Studio, preset: string | null): Promise<boolean> {
  if (!(await confirmDiscard(studio, 'Starting a new graph'))) return false;
  const outcome = await newFromPreset(studio, preset);
  report(studio, outcome);
  if (outcome.ok) {
    studio.training.documentOpened();
    await studio.api.recovery.clear().catch(() => undefined);
  }
  return outcome.ok;
}

/** Save: to the open file, or through the save dialog; asks before overwriting a file changed on disk. */
export async function save(
  studio: Studio,
  opts: { path?: string; overwrite?: boolean; force?: boolean } = {},
): Promise<boolean> {
  const outcome = await saveDocument(studio, opts);
  if (outcome.needsPath) {
    studio.ui.setState({ dialog: { kind: 'save-as' } });
    return false;
  }
  if (!outcome.ok && outcome.code === 'conflict') {
    const overwrite = await confirmDialog(studio.ui, {
      title: 'The file changed on disk',
      message: outcome.message,
      confirm: 'Overwrite it',
      danger: true,
    });
    return overwrite ? save(studio, { ...opts, force: true }) : false;
  }
  if (!outcome.ok && outcome.code === 'exists') {
    const replace = await confirmDialog(studio.ui, {
      title: 'Replace the file?',
      message: outcome.message,
      confirm: 'Replace',
      danger: true,
    });
    return replace ? save(studio, { ...opts, overwrite: true }) : false;
  }
  report(studio, outcome);
  return outcome.ok;
}

export async function restore(studio: Studio, snapshot: RecoverySnapshot): Promise<void> {
  const outcome = restoreSnapshot(studio, snapshot);
  report(studio, outcome);
  if (outcome.ok) studio.training.documentOpened();
}
