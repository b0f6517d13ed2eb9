import type { MenuCommand } from '../../graph-schemas';
import { runAction } from '../app/actions';
import { openPath } from '../app/file-actions';
import { isTextTarget } from '../app/shortcuts';
import type { Studio } from '../app/studio';
import { runTrainingCommand } from '../training/training';
import { openWithNativeDialog, saveAsWithNativeDialog, saveWithNativeDialog } from './native-files';

/**
 * Editing commands edit the graph. In a text field the shell has already run the browser's own command on the
 * field (webContents.paste() and the like: trusted, unlike document.execCommand('paste')), so the page does nothing.
 */
const editActions = {
  undo: 'edit.undo',
  redo: 'edit.redo',
  cut: 'edit.cut',
  copy: 'edit.copy',
  paste: 'edit.paste',
  delete: 'edit.delete',
} as const satisfies Partial<Record<MenuCommand, string>>;

/** The shell shows its own About box. */
const handledElsewhere: ReadonlySet<MenuCommand> = new Set(['about']);

export interface CommandEnvironment {
  /** The element with the keyboard focus. */
  activeElement(): Element | null;
}

const browserEnvironment: CommandEnvironment = { activeElement: () => document.activeElement };

/**
 * Runs a native menu command with the same actions the keyboard shortcuts use. Resolves once it is done,
 * so the shell can tell (after `save`) whether the document is still unsaved.
 */
export async function runMenuCommand(
  studio: Studio,
  command: MenuCommand,
  path: string | undefined,
  env: CommandEnvironment = browserEnvironment,
): Promise<void> {
  if (handledElsewhere.has(command) || runTrainingCommand(studio.training, command)) return;
  switch (command) {
    case 'new':
      return runAction(studio, 'file.new');
    case 'open':
      return void (await openWithNativeDialog(studio));
    case 'open-recent':
      if (path) await openPath(studio, path);
      return;
    case 'save':
      return void (await saveWithNativeDialog(studio));
    case 'save-as':
      return void (await saveAsWithNativeDialog(studio));
    case 'zoom-to-fit':
      return runAction(studio, 'view.fit');
    case 'toggle-minimap':
      return runAction(studio, 'view.minimap');
    case 'toggle-label-pins':
      return runAction(studio, 'view.labelPins');
    case 'show-getting-started':
      return runAction(studio, 'help.gettingStarted');
    case 'show-shortcuts':
      return runAction(studio, 'help.shortcuts');
    case 'undo':
    case 'redo':
    case 'cut':
    case 'copy':
    case 'paste':
    case 'delete': {
      if (isTextTarget(env.activeElement())) return;
      // Like the shortcuts: the graph is not edited behind an open dialog.
      if (studio.ui.getState().dialog !== null) return;
      return runAction(studio, editActions[command]);
    }
  }
}
