import { z } from 'zod';

/**
 * What only the desktop shell can do: native dialogs, revealing files, the window's title and unsaved
 * state, and the native menu's commands. The web host answers the methods with 'unavailable' (dialogs,
 * reveal) or accepts them as no-ops (document state), so the UI falls back to its in-app dialogs.
 */

const path = z.string().min(1).max(4096);
const fileFilter = z.object({ name: z.string().max(200), extensions: z.array(z.string().max(20)).max(20) }).strict();

export const ChosenPathSchema = z.object({ path: z.string().nullable() });

export const menuCommands = [
  'new',
  'open',
  'open-recent',
  'save',
  'save-as',
  'export-model',
  'undo',
  'redo',
  'cut',
  'copy',
  'paste',
  'delete',
  'zoom-to-fit',
  'toggle-minimap',
  'toggle-label-pins',
  'toggle-training-panel',
  'run-start',
  'run-pause',
  'run-stop',
  'show-getting-started',
  'show-shortcuts',
  'about',
] as const;
export const MenuCommandSchema = z.enum(menuCommands);

export const desktopMethods = {
  'dialogs.openFile': {
    params: z
      .object({
        title: z.string().max(200).optional(),
        defaultPath: path.optional(),
        filters: z.array(fileFilter).max(10).optional(),
      })
      .strict(),
    result: ChosenPathSchema,
  },
  'dialogs.saveFile': {
    params: z
      .object({
        title: z.string().max(200).optional(),
        defaultPath: path.optional(),
        filters: z.array(fileFilter).max(10).optional(),
      })
      .strict(),
    result: ChosenPathSchema,
  },
  'dialogs.chooseFolder': {
    params: z.object({ title: z.string().max(200).optional(), defaultPath: path.optional() }).strict(),
    result: ChosenPathSchema,
  },
  /** Shows a file or folder in the system's file manager. */
  'shell.showItem': { params: z.object({ path }).strict(), result: z.object({}) },
  /** The UI tells the shell what is open, for the window title, Open Recent and the unsaved-changes prompt on close. */
  'app.documentState': {
    params: z
      .object({ title: z.string().max(500), path: z.string().max(4096).nullable(), dirty: z.boolean() })
      .strict(),
    result: z.object({}),
  },
} as const;

export const desktopEvents = {
  /** A native menu item or accelerator; `path` comes with open-recent. */
  'app.command': z.object({ command: MenuCommandSchema, path: z.string().optional() }),
} as const;

export type MenuCommand = z.output<typeof MenuCommandSchema>;

/** What a graph file is called in native dialogs and the OS's file association. */
export const GRAPH_FILE_FILTER = { name: 'SAGAN Studio graph', extensions: ['json'] } as const;

export { desktopIpc } from './desktop-ipc';
