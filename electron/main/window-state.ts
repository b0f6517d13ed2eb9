import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/** The window's size and place, remembered between sessions (in the user-data folder). */

const RectSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
});
export const WindowStateSchema = z.object({ bounds: RectSchema, maximized: z.boolean() });
export type Rect = z.output<typeof RectSchema>;
export type WindowState = z.output<typeof WindowStateSchema>;

export const DEFAULT_SIZE = { width: 1440, height: 900 };
export const MIN_SIZE = { width: 900, height: 600 };
/** How much of the title bar must lie on a screen for the saved place to be used (else the window is centred). */
const VISIBLE_TITLE_BAR = { width: 120, height: 32 };

/** Where to open the window: the saved place if it is still on a screen, its size fitted to the screen it is on. */
export function placeWindow(
  saved: WindowState | null,
  workAreas: Rect[],
): { x?: number; y?: number; width: number; height: number; maximized: boolean } {
  const primary = workAreas[0];
  const fit = (size: { width: number; height: number }, area: Rect | undefined) => ({
    width: Math.max(MIN_SIZE.width, Math.min(size.width, area?.width ?? size.width)),
    height: Math.max(MIN_SIZE.height, Math.min(size.height, area?.height ?? size.height)),
  });
  if (!saved) return { ...fit(DEFAULT_SIZE, primary), maximized: false };
  const { bounds } = saved;
  const titleBar = {
    x: bounds.x,
    y: bounds.y,
    width: Math.min(bounds.width, VISIBLE_TITLE_BAR.width),
    height: VISIBLE_TITLE_BAR.height,
  };
  const screen = workAreas.find((area) => overlap(titleBar, area) >= titleBar.width * titleBar.height);
  if (!screen) return { ...fit(bounds, primary), maximized: saved.maximized };
  return { x: bounds.x, y: bounds.y, ...fit(bounds, screen), maximized: saved.maximized };
}

function overlap(a: Rect, b: Rect): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

/** The saved state, or null when there is none or it is unreadable (a broken file only costs the window's place). */
export function loadWindowState(file: string): WindowState | null {
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Written at once (on the last close the app ends right after), to a temp file that is then renamed, so a crash
 * never leaves half a file.
 */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`, 'utf8');
  renameSync(temp, file);
}
