import { describe, expect, it } from 'vitest';
import { clampPanelWidth, defaultSidePanels, PANEL_LIMITS, workspaceColumns } from './side-panels';

describe('side panels', () => {
  it('start narrower on laptop windows', () => {
    expect(defaultSidePanels(1280)).toMatchObject({ left: 186, right: 290 });
    expect(defaultSidePanels(1920)).toMatchObject({ left: 218, right: 330 });
  });

  it('resize within limits and leave the canvases at least 40 % of the window', () => {
    expect(clampPanelWidth(50, 300, 1600)).toBe(PANEL_LIMITS.min);
    expect(clampPanelWidth(900, 300, 1600)).toBe(PANEL_LIMITS.max);
    expect(clampPanelWidth(470, 300, 1280)).toBe(468); // 1280 · 0.6 − 300
  });

  it('give a collapsed panel no width', () => {
    const p = defaultSidePanels(1600);
    expect(workspaceColumns(p)).toBe('218px 6px minmax(0, 1fr) 6px 330px');
    expect(workspaceColumns({ ...p, rightCollapsed: true })).toBe('218px 6px minmax(0, 1fr) 6px 0px');
  });
});
