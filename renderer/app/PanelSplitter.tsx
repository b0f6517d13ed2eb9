import { useRef } from 'react';
import { useStudio, useUi } from './studio';
import { clampPanelWidth } from './side-panels';

/**
 * The bar between a side panel and the canvases: drag to resize the panel, click its arrow (or double-click the bar)
 * to collapse or restore it.
 */
export function PanelSplitter({ side }: { side: 'left' | 'right' }) {
  const ui = useStudio().ui;
  const panels = useUi((s) => s.sidePanels);
  const collapsed = side === 'left' ? panels.leftCollapsed : panels.rightCollapsed;
  const drag = useRef<{ x: number; w: number } | null>(null);
  const toggle = () =>
    ui.setState((s) => ({
      sidePanels: {
        ...s.sidePanels,
        ...(side === 'left' ? { leftCollapsed: !collapsed } : { rightCollapsed: !collapsed }),
      },
    }));
  const name = side === 'left' ? 'palette' : 'inspector';
  // The arrow points where the panel goes: towards the edge to collapse, away from it to restore.
  const arrow = (side === 'left') !== collapsed ? '‹' : '›';
  return (
    <div
      className={`panel-splitter${collapsed ? ' collapsed' : ''}`}
      data-testid={`splitter-${side}`}
      title={collapsed ? `Show the ${name}` : `Drag to resize the ${name}; double-click to hide it`}
      onDoubleClick={toggle}
      onPointerDown={(e) => {
        if (collapsed || (e.target as HTMLElement).closest('button')) return;
        drag.current = { x: e.clientX, w: side === 'left' ? panels.left : panels.right };
        e.currentTarget.setPointerCapture(e.pointerId);
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (!d) return;
        const dx = side === 'left' ? e.clientX - d.x : d.x - e.clientX;
        const other = side === 'left' ? panels.right : panels.left;
        const width = clampPanelWidth(d.w + dx, other, window.innerWidth);
        ui.setState((s) => ({ sidePanels: { ...s.sidePanels, [side]: width } }));
      }}
      onPointerUp={() => (drag.current = null)}
    >
      <button
        className="splitter-toggle"
        onClick={toggle}
        aria-label={collapsed ? `Show the ${name}` : `Hide the ${name}`}
        data-testid={`toggle-${side}`}
      >
        {arrow}
      </button>
    </div>
  );
}
