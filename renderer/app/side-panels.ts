/** Widths of the palette (left) and inspector (right) columns; 0 = collapsed. */
export interface SidePanels {
  left: number;
  right: number;
  leftCollapsed: boolean;
  rightCollapsed: boolean;
}

export const PANEL_LIMITS = { min: 160, max: 480 };

/** Widths that leave the canvases room on the window: narrower panels on laptop screens (≤ 1440 px). */
export function defaultSidePanels(windowWidth: number): SidePanels {
  const narrow = windowWidth <= 1440;
  return { left: narrow ? 186 : 218, right: narrow ? 290 : 330, leftCollapsed: false, rightCollapsed: false };
}

/** A panel width dragged to `width`, kept within PANEL_LIMITS and leaving the centre at least 40 % of the window. */
export function clampPanelWidth(width: number, other: number, windowWidth: number): number {
  const room = windowWidth * 0.6 - other;
  return Math.round(Math.max(PANEL_LIMITS.min, Math.min(PANEL_LIMITS.max, room, width)));
}

/** The workspace's grid columns: left panel, its splitter, centre, splitter, right panel. */
export function workspaceColumns(p: SidePanels): string {
  const left = p.leftCollapsed ? 0 : p.left;
  const right = p.rightCollapsed ? 0 : p.right;
  return `${left}px 6px minmax(0, 1fr) 6px ${right}px`;
}
