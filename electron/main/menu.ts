import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand, RecentFile } from '../../graph-schemas';

export interface MenuContext {
  platform: NodeJS.Platform;
  appName: string;
  recent: RecentFile[];
  /** Development builds get the developer tools and reload. */
  development: boolean;
  /** Sends a command to the page, which runs the matching action (the page owns undo, selection and files). */
  send(command: MenuCommand, path?: string): void;
  /**
   * Runs Chromium's own edit command on the focused page (webContents.undo(), paste(), ...): in a text field it
   * edits the text, trusted, so paste works without a clipboard-read permission; elsewhere it does nothing.
   */
  editText(command: TextEditCommand): void;
  showAbout(): void;
}

/** The edit commands of Electron's webContents, which the Edit menu runs on the focused text field. */
export type TextEditCommand = 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'delete';

/**
 * The native menu. Items whose shortcut the page already handles itself (it knows when the focus is in a text
 * field) show the shortcut but leave the key to the page (registerAccelerator: false); clicking them sends
 * the command. Only keys the page does not handle are registered as accelerators here. macOS ignores
 * registerAccelerator (a key the page leaves unhandled goes to the menu), so no item has a plain key such as
 * F or Delete that would fire while typing, and the Edit items act on a focused text field themselves
 * (the page's document.execCommand('paste') is disabled in Electron 40).
 */
export function buildMenuTemplate(ctx: MenuContext): MenuItemConstructorOptions[] {
  const mac = ctx.platform === 'darwin';
  const command = (
    label: string,
    cmd: MenuCommand,
    accelerator?: string,
    pageHandlesKey = true,
  ): MenuItemConstructorOptions => ({
    // The command is the item's id, so tests (and Menu.getMenuItemById) can find it.
    id: cmd,
    label,
    ...(accelerator ? { accelerator, registerAccelerator: !pageHandlesKey } : {}),
    click: () => ctx.send(cmd),
  });
  /** The text field (if one has the focus) gets Chromium's own command; the page edits the graph otherwise. */
  const editCommand = (label: string, cmd: TextEditCommand, accelerator?: string): MenuItemConstructorOptions => ({
    ...command(label, cmd, accelerator),
    click: () => {
      ctx.editText(cmd);
      ctx.send(cmd);
    },
  });
  const separator: MenuItemConstructorOptions = { type: 'separator' };

  const recentItems: MenuItemConstructorOptions[] = ctx.recent.length
    ? ctx.recent.slice(0, 10).map((file) => ({
        label: file.name,
        sublabel: file.path,
        toolTip: file.path,
        click: () => ctx.send('open-recent', file.path),
      }))
    : [{ label: 'No recent graphs', enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      command('New from Preset…', 'new', 'CmdOrCtrl+N'),
      command('Open…', 'open', 'CmdOrCtrl+O'),
      { label: 'Open Recent', submenu: recentItems },
      separator,
      command('Save', 'save', 'CmdOrCtrl+S'),
      command('Save As…', 'save-as', 'CmdOrCtrl+Shift+S'),
      separator,
      command('Export Trained Model…', 'export-model', 'CmdOrCtrl+E', false),
      ...(mac ? [] : [separator, { role: 'quit', label: 'Quit' } as const]),
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      editCommand('Undo', 'undo', 'CmdOrCtrl+Z'),
      editCommand('Redo', 'redo', mac ? 'Shift+Cmd+Z' : 'Ctrl+Y'),
      separator,
      editCommand('Cut', 'cut', 'CmdOrCtrl+X'),
      editCommand('Copy', 'copy', 'CmdOrCtrl+C'),
      editCommand('Paste', 'paste', 'CmdOrCtrl+V'),
      // Delete, F, M and K are the page's keys (it knows when the focus is in a text field): no accelerator here.
      editCommand('Delete', 'delete'),
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      command('Fit Graph to Window', 'zoom-to-fit'),
      command('Minimap', 'toggle-minimap'),
      command('Class Labels as Pins', 'toggle-label-pins'),
      command('Training Panel', 'toggle-training-panel', 'CmdOrCtrl+T', false),
      separator,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
      ...(ctx.development ? [separator, { role: 'reload' } as const, { role: 'toggleDevTools' } as const] : []),
    ],
  };
  const run: MenuItemConstructorOptions = {
    label: '&Run',
    submenu: [
      command('Start Training…', 'run-start', 'F5', false),
      command('Pause', 'run-pause', 'F6', false),
      command('Stop', 'run-stop', 'Shift+F5', false),
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      command('Getting Started', 'show-getting-started'),
      command('Keyboard Shortcuts', 'show-shortcuts', 'F1'),
      ...(mac ? [] : [separator, { label: `About ${ctx.appName}`, click: () => ctx.showAbout() }]),
    ],
  };
  const appMenu: MenuItemConstructorOptions = {
    label: ctx.appName,
    submenu: [
      { label: `About ${ctx.appName}`, click: () => ctx.showAbout() },
      separator,
      { role: 'services' },
      separator,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      separator,
      { role: 'quit' },
    ],
  };
  return [...(mac ? [appMenu] : []), file, edit, view, run, ...(mac ? [{ role: 'windowMenu' } as const] : []), help];
}
