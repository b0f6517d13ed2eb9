import type { LatentPictureWire } from '../../graph-schemas';
import type { CellRef } from './latent-views';
import { cellAtPixel } from './latent-views';

/** Endpoint and selection marks drawn over cells. */
export interface CellMark {
  cell: CellRef;
  label: string;
  kind: 'from' | 'to' | 'selected';
}

/**
 * A picture from the engine at a whole zoom (pixels kept sharp), with a name for each row (the class) and marks over
 * cells; clicking a cell reports it.
 */
export function LatentPictureView({
  picture,
  rowNames,
  zoom,
  marks = [],
  onCell,
  testId,
}: {
  picture: LatentPictureWire;
  rowNames: string[];
  zoom: number;
  marks?: CellMark[];
  onCell?: (cell: CellRef, e: React.MouseEvent) => void;
  testId: string;
}) {
  const pitch = (picture.cellSize + picture.padding) * zoom;
  return (
    <div
      className="latent-picture"
      data-testid={testId}
      data-rows={picture.rows}
      data-cols={picture.cols}
      data-step={picture.model.step}
    >
      {rowNames.length > 0 && (
        <div className="latent-row-names" style={{ paddingTop: picture.padding * zoom }}>
          {rowNames.map((name, r) => (
            <div key={r} style={{ height: pitch, lineHeight: `${picture.cellSize * zoom}px` }} title={name}>
              {name}
            </div>
          ))}
        </div>
      )}
      <div className="latent-image" style={{ width: picture.width * zoom, height: picture.height * zoom }}>
        <img
          src={`data:image/png;base64,${picture.pngBase64}`}
          width={picture.width * zoom}
          height={picture.height * zoom}
          alt={`${picture.rows} × ${picture.cols} generated images`}
          draggable={false}
          onClick={(e) => {
            const box = e.currentTarget.getBoundingClientRect();
            const cell = cellAtPixel(picture, (e.clientX - box.left) / zoom, (e.clientY - box.top) / zoom);
            if (cell && onCell) onCell(cell, e);
          }}
          style={{ cursor: onCell ? 'pointer' : 'default' }}
        />
        {marks.map((m) => (
          <div
            key={`${m.kind}-${m.cell.row}-${m.cell.col}`}
            className={`latent-mark ${m.kind}`}
            style={{
              left: picture.padding * zoom + m.cell.col * pitch - 2,
              top: picture.padding * zoom + m.cell.row * pitch - 2,
              width: picture.cellSize * zoom + 4,
              height: picture.cellSize * zoom + 4,
            }}
          >
            {m.label && <span>{m.label}</span>}
          </div>
        ))}
      </div>
    </div>
  );
}

/** The zoom at which a picture fills the room it has, in quarter steps (at least ½, at most 4); pixels stay sharp. */
export function zoomFor(size: { width: number; height: number }, room: { width: number; height: number }): number {
  const fit = Math.min(room.width / size.width, room.height / size.height, 4);
  return Math.max(0.5, Math.floor(fit * 4) / 4);
}
