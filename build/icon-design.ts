/**
 * The app icon, as a few shapes on a 1024 × 1024 canvas: a dark tile with a 5 × 5 attention map (one query cell,
 * ringed, and the cells it attends to glowing around a spot elsewhere): what a SAGAN self-attention layer shows.
 * make-icons.ts writes it as SVG and rasterises the same shapes to PNG at every size the packages need.
 */

export type Rgb = readonly [number, number, number];

export type Shape =
  | {
      kind: 'rect';
      x: number;
      y: number;
      width: number;
      height: number;
      radius: number;
      top: Rgb;
      bottom: Rgb;
      opacity: number;
    }
  | { kind: 'ring'; cx: number; cy: number; radius: number; stroke: number; color: Rgb; opacity: number };

export const ICON_SIZE = 1024;

const GRID = 5;
const CELL = 112;
const GAP = 20;
const ORIGIN = (ICON_SIZE - (GRID * CELL + (GRID - 1) * GAP)) / 2;
const QUERY = { row: 3, col: 1 };
const FOCUS = { row: 1.2, col: 3.1 };
const WARM: Rgb = [255, 166, 77];

/** How strongly the query attends to a cell: a soft spot around FOCUS, never quite zero. */
function attention(row: number, col: number): number {
  const d2 = (row - FOCUS.row) ** 2 + (col - FOCUS.col) ** 2;
  return 0.14 + 0.86 * Math.exp(-d2 / 1.6);
}

export function iconShapes(): Shape[] {
  const shapes: Shape[] = [
    {
      kind: 'rect',
      x: 32,
      y: 32,
      width: 960,
      height: 960,
      radius: 200,
      top: [38, 52, 92],
      bottom: [14, 19, 38],
      opacity: 1,
    },
  ];
  for (let row = 0; row < GRID; row++) {
    for (let col = 0; col < GRID; col++) {
      const x = ORIGIN + col * (CELL + GAP);
      const y = ORIGIN + row * (CELL + GAP);
      const isQuery = row === QUERY.row && col === QUERY.col;
      const color: Rgb = isQuery ? [120, 200, 255] : WARM;
      shapes.push({
        kind: 'rect',
        x,
        y,
        width: CELL,
        height: CELL,
        radius: 22,
        top: color,
        bottom: color,
        opacity: isQuery ? 1 : Math.round(attention(row, col) * 100) / 100,
      });
    }
  }
  const qx = ORIGIN + QUERY.col * (CELL + GAP) + CELL / 2;
  const qy = ORIGIN + QUERY.row * (CELL + GAP) + CELL / 2;
  shapes.push({ kind: 'ring', cx: qx, cy: qy, radius: 30, stroke: 14, color: [255, 255, 255], opacity: 1 });
  return shapes;
}

const hex = (c: Rgb) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

export function iconSvg(shapes: Shape[] = iconShapes()): string {
  const defs: string[] = [];
  const body = shapes.map((s, i) => {
    if (s.kind === 'ring')
      return `  <circle cx="${s.cx}" cy="${s.cy}" r="${s.radius}" fill="none" stroke="${hex(s.color)}" stroke-width="${s.stroke}" opacity="${s.opacity}"/>`;
    let fill = hex(s.top);
    if (hex(s.top) !== hex(s.bottom)) {
      defs.push(
        `    <linearGradient id="g${i}" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${hex(s.top)}"/><stop offset="1" stop-color="${hex(s.bottom)}"/></linearGradient>`,
      );
      fill = `url(#g${i})`;
    }
    return `  <rect x="${s.x}" y="${s.y}" width="${s.width}" height="${s.height}" rx="${s.radius}" fill="${fill}"${s.opacity < 1 ? ` opacity="${s.opacity}"` : ''}/>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${ICON_SIZE}" height="${ICON_SIZE}" viewBox="0 0 ${ICON_SIZE} ${ICON_SIZE}">`,
    '  <title>SAGAN Studio</title>',
    ...(defs.length ? ['  <defs>', ...defs, '  </defs>'] : []),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** Coverage of a pixel sample by a shape (0 or 1; the rasteriser supersamples for smooth edges). */
function covers(s: Shape, x: number, y: number): boolean {
  if (s.kind === 'ring') {
    const d = Math.hypot(x - s.cx, y - s.cy);
    return Math.abs(d - s.radius) <= s.stroke / 2;
  }
  if (x < s.x || y < s.y || x > s.x + s.width || y > s.y + s.height) return false;
  const r = s.radius;
  const cx = Math.min(Math.max(x, s.x + r), s.x + s.width - r);
  const cy = Math.min(Math.max(y, s.y + r), s.y + s.height - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function colorAt(s: Shape, y: number): Rgb {
  if (s.kind === 'ring') return s.color;
  const t = Math.min(1, Math.max(0, (y - s.y) / s.height));
  return [0, 1, 2].map((c) => s.top[c]! + (s.bottom[c]! - s.top[c]!) * t) as unknown as Rgb;
}

function bounds(s: Shape): { x0: number; y0: number; x1: number; y1: number } {
  if (s.kind === 'ring') {
    const r = s.radius + s.stroke / 2;
    return { x0: s.cx - r, y0: s.cy - r, x1: s.cx + r, y1: s.cy + r };
  }
  return { x0: s.x, y0: s.y, x1: s.x + s.width, y1: s.y + s.height };
}

/** RGBA pixels of the icon at `size` × `size`, 4 × 4 samples per pixel, shapes composited in order ("over"). */
export function rasterize(size: number, shapes: Shape[] = iconShapes()): Uint8Array {
  const scale = ICON_SIZE / size;
  const SS = 4;
  const rgba = new Float64Array(size * size * 4); // premultiplied
  for (const s of shapes) {
    const b = bounds(s);
    const px0 = Math.max(0, Math.floor(b.x0 / scale));
    const py0 = Math.max(0, Math.floor(b.y0 / scale));
    const px1 = Math.min(size - 1, Math.ceil(b.x1 / scale));
    const py1 = Math.min(size - 1, Math.ceil(b.y1 / scale));
    for (let py = py0; py <= py1; py++) {
      for (let px = px0; px <= px1; px++) {
        let hits = 0;
        for (let sy = 0; sy < SS; sy++)
          for (let sx = 0; sx < SS; sx++)
            if (covers(s, (px + (sx + 0.5) / SS) * scale, (py + (sy + 0.5) / SS) * scale)) hits++;
        if (!hits) continue;
        const alpha = (hits / (SS * SS)) * s.opacity;
        const color = colorAt(s, (py + 0.5) * scale);
        const i = (py * size + px) * 4;
        for (let c = 0; c < 3; c++) rgba[i + c] = color[c]! * alpha + rgba[i + c]! * (1 - alpha);
        rgba[i + 3] = 255 * alpha + rgba[i + 3]! * (1 - alpha);
      }
    }
  }
  const out = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const a = rgba[i * 4 + 3]!;
    for (let c = 0; c < 3; c++) out[i * 4 + c] = a > 0 ? Math.round(Math.min(255, (rgba[i * 4 + c]! * 255) / a)) : 0;
    out[i * 4 + 3] = Math.round(a);
  }
  return out;
}
