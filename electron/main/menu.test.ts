import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { MenuCommand } from '../../graph-schemas';
import { menuCommands } from '../../graph-schemas';
import type { MenuContext, TextEditCommand } from './menu';
import { buildMenuTemplate } from './menu';

function template(overrides: Partial<MenuContext> = {}) {
  const sent: [MenuCommand, string | undefined][] = [];
  const edited: TextEditCommand[] = [];
  let about = 0;
  const items = buildMenuTemplate({
    platform: 'linux',
    appName: 'SAGAN Studio',
    recent: [],
    development: false,
    send: (command, path) => void sent.push([command, path]),
    editText: (command) => void edited.push(command),
    showAbout: () => void about++,
    ...overrides,
  });
  return { items, sent, edited, about: () => about };
}

/** Every item in the menu tree, depth first. */
function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}
const byLabel = (items: MenuItemConstructorOptions[], label: string) => flatten(items).find((i) => i.label === label);
const click = (item: MenuItemConstructorOptions | undefined) => (item!.click as () => void)();

describe('native menu', () => {
  it('has File, Edit, View, Run and Help, and every menu command is reachable from it', () => {
    const { items, sent } = template();
    expect(items.map((i) => i.label)).toEqual(['&File', '&Edit', '&View', '&Run', '&Help']);
    for (const item of flatten(items)) if (item.click && !item.submenu) click(item);
    const reached = new Set(sent.map(([c]) => c));
    // open-recent needs a recent file; about is shown by main itself.
    expect(menuCommands.filter((c) => !reached.has(c))).toEqual(['open-recent', 'about']);
    for (const [command] of sent) expect(flatten(items).find((i) => i.id === command)?.id).toBe(command);
  });

  it('leaves keys the page already handles to the page, and registers only the others', () => {
    const { items } = template();
    expect(byLabel(items, 'Undo')).toMatchObject({ accelerator: 'CmdOrCtrl+Z', registerAccelerator: false });
    expect(byLabel(items, 'Save')).toMatchObject({ accelerator: 'CmdOrCtrl+S', registerAccelerator: false });
    expect(byLabel(items, 'Paste')).toMatchObject({ registerAccelerator: false });
    expect(byLabel(items, 'Export Trained Model…')).toMatchObject({
      accelerator: 'CmdOrCtrl+E',
      registerAccelerator: true,
    });
    expect(byLabel(items, 'Start Training…')).toMatchObject({ accelerator: 'F5', registerAccelerator: true });
  });

  it('has no accelerator that fires while typing: only modifier combinations and function keys, on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const accelerators = flatten(template({ platform }).items).flatMap((i) => (i.accelerator ? [i.accelerator] : []));
      expect(accelerators.length).toBeGreaterThan(10);
      const typing = accelerators.filter(
        (a) => !/(Cmd|Ctrl|CmdOrCtrl|Alt|Option|Super)\+/.test(a) && !/^(Shift\+)?F\d+$/.test(a),
      );
      expect(typing, platform).toEqual([]);
    }
  });

  it("Edit items run Chromium's own command on a focused text field, then let the page edit the graph", () => {
    const { items, sent, edited } = template({ platform: 'darwin' });
    for (const label of ['Undo', 'Redo', 'Cut', 'Copy', 'Paste', 'Delete']) click(byLabel(items, label));
    expect(edited).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'delete']);
    expect(sent.map(([c]) => c)).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'delete']);
    // Other items never touch the text.
    click(byLabel(items, 'Save'));
    expect(edited).toHaveLength(6);
  });

  it('Open Recent lists recent graphs and opens the one clicked', () => {
    const { items, sent } = template({
      recent: [{ path: '/home/ada/mnist.sagan.json', name: 'mnist.sagan.json', openedAt: '2025-01-01T00:00:00Z' }],
    });
    click(byLabel(items, 'mnist.sagan.json'));
    expect(sent).toEqual([['open-recent', '/home/ada/mnist.sagan.json']]);
    expect(byLabel(template().items, 'No recent graphs')).toMatchObject({ enabled: false });
  });

  it('macOS gets the app menu (with About) and the Window menu; developer tools only in development', () => {
    const mac = template({ platform: 'darwin' });
    expect(mac.items.map((i) => i.label ?? i.role)).toEqual([
      'SAGAN Studio',
      '&File',
      '&Edit',
      '&View',
      '&Run',
      'windowMenu',
      '&Help',
    ]);
    click(byLabel(mac.items, 'About SAGAN Studio'));
    expect(mac.about()).toBe(1);
    expect(flatten(template().items).some((i) => i.role === 'toggleDevTools')).toBe(false);
    expect(flatten(template({ development: true }).items).some((i) => i.role === 'toggleDevTools')).toBe(true);
  });
});
