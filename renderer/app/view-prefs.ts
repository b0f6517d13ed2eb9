import { z } from 'zod';
import type { UiState, UiStore } from './ui-store';
import { clampPanelWidth, PANEL_LIMITS } from './side-panels';

/**
 * How the user set up the window (minimap, label pins, side panels, problem list), kept between sessions in the
 * renderer's own storage, so it holds in the desktop app and in a browser alike. What was stored is checked: a
 * stale or hand-edited entry is ignored field by field, never trusted.
 */
export type ViewPrefs = Pick<UiState, 'showMinimap' | 'labelPins' | 'sidePanels' | 'problemsOpen'>;

export const VIEW_PREFS_KEY = 'sagan-studio.view';

const width = z.number().int().min(PANEL_LIMITS.min).max(PANEL_LIMITS.max);
/** Each field is checked on its own: a missing or damaged one is skipped, the others still apply. */
const storedPrefs = z.object({
  showMinimap: z.boolean(),
  labelPins: z.boolean(),
  problemsOpen: z.boolean(),
  sidePanels: z.object({ left: width, right: width, leftCollapsed: z.boolean(), rightCollapsed: z.boolean() }),
});

/** The stored prefs that are valid; the rest are left out (the store keeps its defaults for them). */
export function parseViewPrefs(raw: string | null): Partial<ViewPrefs> {
  if (!raw) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return {};
  }
  if (typeof json !== 'object' || json === null) return {};
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(storedPrefs.shape)) {
    const parsed = field.safeParse((json as Record<string, unknown>)[key]);
    if (parsed.success) out[key] = parsed.data;
  }
  return out as Partial<ViewPrefs>;
}

function pick(s: UiState): ViewPrefs {
  return { showMinimap: s.showMinimap, labelPins: s.labelPins, sidePanels: s.sidePanels, problemsOpen: s.problemsOpen };
}

/**
 * Applies the stored prefs to the store, then stores them again whenever one changes. Storage that fails (full,
 * disabled) costs only the memory of the setting, never the session. Returns the unsubscribe.
 */
export function keepViewPrefs(
  ui: UiStore,
  storage: Pick<Storage, 'getItem' | 'setItem'>,
  windowWidth = Infinity,
): () => void {
  let stored: string | null = null;
  try {
    stored = storage.getItem(VIEW_PREFS_KEY);
  } catch {
    // no storage: defaults
  }
  const prefs = parseViewPrefs(stored);
  // Panels set on a wide screen still leave the canvases room on a narrower one.
  if (prefs.sidePanels && Number.isFinite(windowWidth)) {
    const { left, right } = prefs.sidePanels;
    prefs.sidePanels = {
      ...prefs.sidePanels,
      left: clampPanelWidth(left, right, windowWidth),
      right: clampPanelWidth(right, left, windowWidth),
    };
  }
  ui.setState(prefs);
  let last = pick(ui.getState());
  return ui.subscribe((state) => {
    const now = pick(state);
    if ((Object.keys(now) as (keyof ViewPrefs)[]).every((k) => now[k] === last[k])) return;
    last = now;
    try {
      storage.setItem(VIEW_PREFS_KEY, JSON.stringify(now));
    } catch {
      // kept for this session only
    }
  });
}
