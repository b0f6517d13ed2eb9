import type { MenuCommand } from '../../graph-schemas';
import { runAction } from '../app/actions';
import { openPath } from '../app/file-actions';
import { isTextTarget } from '../app/shortcuts';
import type { Studio } from '../app/studio';
import { openWithNativeDialog, saveAsWithNativeDialog, saveWithNativeDialog } from './native-files';

/** Editing commands: in a text field they edit the text (as the keys do there), elsewhere the graph. */
const editCommands = {
  undo: { action: 'edit.undo', text: 'undo' },
  redo: { action: 'edit.redo', text: 'redo' },
  cut: { action: 'edit.cut', text: 'cut' },
  copy: { action: 'edit.copy', text: 'copy' },
  paste: { action: 'edit.paste', text: 'paste' },
  delete: { action: 'edit.delete', text: 'delete' },
} as const satisfies Partial<Record<MenuCommand, { action: string; text: string }>>;

/** Commands of the training view (run, export, its panel); renderer/training listens for those itself. */
const handledElsewhere: ReadonlySet<MenuCommand> = new Set([
  'export-model',
  'run-start',
  'run-pause',
  'run-stop',
  'toggle-training-panel',
  'about',
]);

export interface CommandEnvironment {
  /** The element with the keyboard focus. */
  activeElement(): Element | null;
  /** document.execCommand, for the text editing commands. */
  execCommand(command: string): boolean;
}

const browserEnvironment: CommandEnvironment = {
  activeElement: () => document.activeElement,
  // The standard way to run the browser's own edit commands on the focused field.
  execCommand: (command) => document.execCommand(command),
};

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
  if (handledElsewhere.has(command)) return;
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
    case 'show-shortcuts':
      return runAction(studio, 'help.shortcuts');
    case 'undo':
    case 'redo':
    case 'cut':
    case 'copy':
    case 'paste':
    case 'delete': {
      const { action, text } = editCommands[command];
      if (isTextTarget(env.activeElement())) {
        env.execCommand(text);
        return;
      }
      // Like the shortcuts: the graph is not edited behind an open dialog.
      if (studio.ui.getState().dialog !== null) return;
      return runAction(studio, action);
    }
  }
}
