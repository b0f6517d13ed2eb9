import type { MouseEvent, ReactNode } from 'react';
import { memo } from 'react';
import { BLOCK_MIME } from '../canvas/use-pane-drop';

interface PaletteItemProps {
  type: string;
  title: string;
  /** The hover text: what the block is and where it can go. */
  tooltip: string;
  /** False when the block belongs to the other network (shown dimmed). */
  here: boolean;
  /** The short tag at the right (networks, or a use count). */
  badge: string;
  onAdd: () => void;
  /** Buttons at the end (a block of the document's menu). */
  actions?: ReactNode;
  onContextMenu?: (e: MouseEvent) => void;
}

/** One palette entry, built-in or of the document: dragged onto a canvas, or added by double-click or Enter. */
export const PaletteItem = memo(function PaletteItem({
  type,
  title,
  tooltip,
  here,
  badge,
  onAdd,
  actions,
  onContextMenu,
}: PaletteItemProps) {
  return (
    <div
      className={`palette-item${here ? '' : ' elsewhere'}`}
      draggable
      data-block={type}
      tabIndex={0}
      title={tooltip}
      onDragStart={(e) => {
        e.dataTransfer.setData(BLOCK_MIME, type);
        e.dataTransfer.setData('text/plain', title);
        e.dataTransfer.effectAllowed = 'copy';
      }}
      onDoubleClick={onAdd}
      onKeyDown={(e) => e.key === 'Enter' && e.target === e.currentTarget && onAdd()}
      {...(onContextMenu ? { onContextMenu } : {})}
    >
      <span className="palette-title">{title}</span>
      <span className="palette-nets">{badge}</span>
      {actions}
    </div>
  );
});
