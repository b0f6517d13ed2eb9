import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiHandlers, ApiTransport, EventMessage, MenuCommand } from '../../graph-schemas';
import { createApiClient, dispatchRequest, eventMessage, findPreset } from '../../graph-schemas';
import { createHostHandlers } from '../../electron/host/handlers';
import type { Studio } from '../app/studio';
import { createUiStore } from '../app/ui-store';
import { Training } from '../training/training';
import { blankDocument } from '../files/blank-document';
import { serializeDocument } from '../files/file-session';
import { createEditorStore, isDirty } from '../store/document-store';
import { startValidation } from '../validation/validation-store';
import type { DocumentState } from './desktop-shell';
import { attachDesktopShell, documentState } from './desktop-shell';
import type { CommandEnvironment } from './menu-commands';
import { runMenuCommand } from './menu-commands';

// The editor's text-field test (isTextTarget) looks at DOM classes; Node has none, so give it the few it checks.
class FakeElement {
  isContentEditable = false;
}
class FakeInput extends FakeElement {
  type = 'text';
}
const domGlobals = {
  HTMLElement: FakeElement,
  HTMLInputElement: FakeInput,
  HTMLTextAreaElement: class extends FakeElement {},
  HTMLSelectElement: class extends FakeElement {},
};
beforeAll(() => Object.assign(globalThis, domGlobals));
afterAll(() => {
  for (const name of Object.keys(domGlobals)) delete (globalThis as Record<string, unknown>)[name];
});

/** A studio on the real host API in a temporary folder, with the native dialogs answered by the test (the OS boundary). */
function desktopStudio(dir: string) {
  const dialogAnswers = { open: null as string | null, save: null as string | null };
  const dialogCalls: { method: string; params: unknown }[] = [];
  const states: DocumentState[] = [];
  const listeners = new Set<(m: EventMessage) => void>();
  const handlers: ApiHandlers = {
    ...createHostHandlers({ kind: 'desktop', appVersion: 't', stateDir: join(dir, 'state'), documentsDir: dir }),
    'dialogs.openFile': (params) => (dialogCalls.push({ method: 'open', params }), { path: dialogAnswers.open }),
    'dialogs.saveFile': (params) => (dialogCalls.push({ method: 'save', params }), { path: dialogAnswers.save }),
    'app.documentState': (state) => (states.push(state), {}),
  };
  const transport: ApiTransport = {
    request: (m) => dispatchRequest(handlers, m),
    onEvent: (l) => (listeners.add(l), () => listeners.delete(l)),
  };
  const editor = createEditorStore(blankDocument());
  const api = createApiClient(transport);
  const ui = createUiStore();
  const studio: Studio = {
    api,
    editor,
    ui,
    validation: startValidation(editor, () => undefined, 0).store,
    training: new Training({ api, ui, docPath: () => editor.getState().file.path }),
  };
  studio.ui.setState({
    host: { kind: 'desktop', appVersion: 't', platform: 'linux', documentsDir: dir, homeDir: dir, pathSeparator: '/' },
  });
  const command = (command: MenuCommand, path?: string) =>
    listeners.forEach((l) => l(eventMessage('app.command', path ? { command, path } : { command })));
  return { studio, dialogAnswers, dialogCalls, states, command };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
const graphText = () => serializeDocument(findPreset('sagan-32')!.build());

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sagan-desktop-shell-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('desktop shell in the renderer', () => {
  it("tells the shell the document's name, file and unsaved state, whenever they change", async () => {
    const { studio, states } = desktopStudio(dir);
    const detach = attachDesktopShell(studio);
    await settle();
    expect(states).toEqual([{ title: blankDocument().name, path: null, dirty: false }]);
    expect(documentState(studio)).toEqual(states[0]);
    studio.editor.getState().load(findPreset('sagan-32')!.build(), { path: null, mtimeMs: null }, false);
    await settle();
    expect(states.at(-1)).toMatchObject({ dirty: true, path: null });
    const count = states.length;
    studio.ui.setState({ showMinimap: false }); // not a document change: nothing sent
    await settle();
    expect(states).toHaveLength(count);
    detach();
  });

  it("Open (the action's in-app dialog, or the menu) uses the native dialog and opens the chosen graph", async () => {
    const { studio, dialogAnswers, dialogCalls, command } = desktopStudio(dir);
    const file = join(dir, 'mnist.sagan.json');
    writeFileSync(file, graphText());
    const detach = attachDesktopShell(studio);
    dialogAnswers.open = file;
    studio.ui.setState({ dialog: { kind: 'open' } });
    expect(studio.ui.getState().dialog).toBeNull(); // the in-app dialog never shows
    await vi.waitFor(() => expect(studio.editor.getState().file.path).toBe(file), { timeout: 5000 });
    expect(dialogCalls).toEqual([{ method: 'open', params: { title: 'Open graph', defaultPath: dir } }]);
    expect(studio.editor.getState().file.path).toBe(file);
    command('open-recent', file);
    await settle();
    expect(studio.editor.getState().file.path).toBe(file);
    detach();
  });

  it('a cancelled native dialog brings back what was showing (the welcome gallery)', async () => {
    const { studio } = desktopStudio(dir);
    const detach = attachDesktopShell(studio);
    studio.ui.setState({ dialog: { kind: 'presets', welcome: true } });
    studio.ui.setState({ dialog: { kind: 'open' } });
    await settle();
    expect(studio.ui.getState().dialog).toEqual({ kind: 'presets', welcome: true });
    detach();
  });

  it('Save on a new graph asks natively where, adds .sagan.json, writes it, and reports the saved state', async () => {
    const { studio, dialogAnswers, dialogCalls, states, command } = desktopStudio(dir);
    studio.editor.getState().load(findPreset('sagan-32')!.build(), { path: null, mtimeMs: null }, false);
    const detach = attachDesktopShell(studio);
    dialogAnswers.save = join(dir, 'my gan');
    command('save');
    await vi.waitFor(() => expect(isDirty(studio.editor.getState())).toBe(false), { timeout: 5000 });
    expect(dialogCalls[0]).toMatchObject({ method: 'save', params: { defaultPath: join(dir, 'SAGAN-32.sagan.json') } });
    expect(readFileSync(join(dir, 'my gan.sagan.json'), 'utf8')).toBe(serializeDocument(studio.editor.getState().doc));
    expect(isDirty(studio.editor.getState())).toBe(false);
    expect(states.at(-1)).toEqual({ title: 'my gan.sagan.json', path: join(dir, 'my gan.sagan.json'), dirty: false });
    detach();
  });

  it('a cancelled save leaves the graph unsaved and still reports its state (so closing waits)', async () => {
    const { studio, states, command } = desktopStudio(dir);
    studio.editor.getState().load(findPreset('sagan-32')!.build(), { path: null, mtimeMs: null }, false);
    const detach = attachDesktopShell(studio);
    await settle();
    const before = states.length;
    command('save');
    await settle();
    expect(states.length).toBe(before + 1);
    expect(states.at(-1)).toMatchObject({ dirty: true });
    expect(existsSync(join(dir, 'SAGAN-32.sagan.json'))).toBe(false);
    detach();
  });
});

describe('menu commands', () => {
  const env = (focused: unknown): CommandEnvironment => ({ activeElement: () => focused as Element });

  it('edit commands leave a focused text field to the shell (it ran the edit there), and edit the graph otherwise', async () => {
    const { studio } = desktopStudio(dir);
    studio.editor.getState().load(findPreset('sagan-32')!.build(), { path: null, mtimeMs: null }, true);
    const { doc } = studio.editor.getState();
    studio.editor.getState().select({ network: 'generator', nodes: [doc.generator.nodes[0]!.id], edges: [] });
    await runMenuCommand(studio, 'delete', undefined, env(new FakeInput()));
    await runMenuCommand(studio, 'paste', undefined, env(new FakeInput()));
    expect(studio.editor.getState().doc).toBe(doc);

    await runMenuCommand(studio, 'delete', undefined, env(null));
    expect(studio.editor.getState().doc.generator.nodes).toHaveLength(doc.generator.nodes.length - 1);
    await runMenuCommand(studio, 'undo', undefined, env(null));
    expect(studio.editor.getState().doc.generator.nodes).toHaveLength(doc.generator.nodes.length);
  });

  it('New shows the preset gallery; training commands go to the studio’s training', async () => {
    const { studio } = desktopStudio(dir);
    await runMenuCommand(studio, 'new', undefined);
    expect(studio.ui.getState().dialog).toEqual({ kind: 'presets', welcome: false });
    studio.ui.setState({ dialog: null });
    await runMenuCommand(studio, 'run-start', undefined);
    expect(studio.training.store.getState().dialog).toEqual({ kind: 'train' });
    await runMenuCommand(studio, 'toggle-training-panel', undefined);
    expect(studio.training.store.getState().dockOpen).toBe(true);
    expect(studio.ui.getState().dialog).toBeNull();
  });

  it('View → Minimap and Class Labels as Pins toggle what the page’s own keys toggle', async () => {
    const { studio } = desktopStudio(dir);
    const { showMinimap, labelPins } = studio.ui.getState();
    await runMenuCommand(studio, 'toggle-minimap', undefined);
    await runMenuCommand(studio, 'toggle-label-pins', undefined);
    expect(studio.ui.getState()).toMatchObject({ showMinimap: !showMinimap, labelPins: !labelPins });
    await runMenuCommand(studio, 'toggle-label-pins', undefined);
    expect(studio.ui.getState().labelPins).toBe(labelPins);
  });

  it('Help → Getting Started and Keyboard Shortcuts open their pages', async () => {
    const { studio } = desktopStudio(dir);
    await runMenuCommand(studio, 'show-getting-started', undefined);
    expect(studio.ui.getState().dialog).toEqual({ kind: 'getting-started' });
    await runMenuCommand(studio, 'show-shortcuts', undefined);
    expect(studio.ui.getState().dialog).toEqual({ kind: 'shortcuts' });
  });
});
