import 'uplot/dist/uPlot.min.css';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import { buildCsv, csvFileName, formatDuration, formatTick, positiveOnly } from './chart-axes';
import type { Values } from './decimate';
import { decimateMinMax } from './decimate';
import { clampRange, panRange, zoomRange } from './chart-zoom';

export interface ChartSeries {
  label: string;
  color: string;
  width?: number;
  dash?: number[];
}

export interface ChartSource {
  x: ArrayLike<number>;
  ys: readonly Values[];
  /** Time in seconds at each x (same length); when given, the x axis can show time instead of steps. */
  time?: ArrayLike<number>;
  /** What `time` measures: time spent training (pauses not counted; the default), or wall-clock time since the first step. */
  timeKind?: 'training' | 'wall';
}

interface Props {
  series: ChartSeries[];
  /** Full-resolution columns; read again whenever `version` changes. */
  source: () => ChartSource;
  version: unknown;
  height: number;
  /** The chart's name, for the CSV file ("Losses" -> losses.csv). */
  title: string;
  testId?: string;
  /** Keeps y at or above 0 on the axis (rates, σ). */
  yFromZero?: boolean;
}

type XMode = 'step' | 'time';

const axisStyle = {
  stroke: '#8b94a5',
  grid: { stroke: 'rgba(255,255,255,0.06)', width: 1 },
  ticks: { stroke: 'rgba(255,255,255,0.1)', width: 1 },
  font: '11px system-ui',
};

const stepTick = (v: number) => (Number.isInteger(v) ? v.toLocaleString('en-US') : formatTick(v));

/**
 * The one line chart of the training view (losses, γ, quality, Compare): uPlot drawing at most two points per pixel
 * column (min/max decimation), so 100k steps stay fast, redrawn at most once per frame. Every chart gets the same
 * tools: drag to zoom, shift-drag to pan, Ctrl/Alt + wheel to zoom at the pointer, double-click to reset; log y;
 * steps or training time on x; CSV export of the full-resolution columns. Tick labels use a true minus (U+2212).
 */
export function SeriesChart({ series, source, version, height, title, testId, yFromZero }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoom = useRef<[number, number] | null>(null);
  const extent = useRef<[number, number] | null>(null);
  const frame = useRef(0);
  const [log, setLog] = useState(false);
  const [xMode, setXMode] = useState<XMode>('step');
  const [zoomed, setZoomed] = useState(false);
  const [timeKind, setTimeKind] = useState<'training' | 'wall' | null>(null);
  // The newest props, for the chart's callbacks (uPlot's hooks, the resize observer) to read when they run.
  const latest = useRef({ source, series, log, xMode });
  useLayoutEffect(() => {
    latest.current = { source, series, log, xMode };
  });

  const redraw = useCallback(() => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const u = plot.current;
      if (!u) return;
      const { source, log, xMode } = latest.current;
      const full = source();
      setTimeKind(full.time === undefined ? null : (full.timeKind ?? 'training'));
      const x = xMode === 'time' && full.time ? full.time : full.x;
      extent.current = x.length ? [x[0]!, x[x.length - 1]!] : null;
      const range = zoom.current;
      const data = decimateMinMax(x, full.ys, {
        buckets: Math.max(50, Math.round(u.width)),
        ...(range ? { xMin: range[0], xMax: range[1] } : {}),
      });
      const ys = log ? data.ys.map(positiveOnly) : data.ys;
      u.setData([data.x, ...ys] as uPlot.AlignedData, true);
      if (range) u.setScale('x', { min: range[0], max: range[1] });
      box.current?.setAttribute('data-points', String(full.x.length));
      box.current?.setAttribute('data-drawn', String(data.x.length));
    });
  }, []);

  const setZoom = useCallback(
    (range: [number, number] | null) => {
      const whole = extent.current;
      zoom.current = range && whole ? clampRange(range, whole) : null;
      setZoomed(zoom.current !== null);
      redraw();
    },
    [redraw],
  );

  // The chart is made once per set of series and view; data flows in through redraw().
  const seriesKey = series.map((s) => `${s.label}|${s.color}|${s.dash?.join(',') ?? ''}`).join(';');
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const { series } = latest.current;
    const yScale: uPlot.Scale = log
      ? { distr: 3 }
      : yFromZero
        ? { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.05 : 1] }
        : {};
    const opts: uPlot.Options = {
      width: Math.max(100, el.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      scales: { x: { time: false }, y: yScale },
      axes: [
        { ...axisStyle, values: (_u, splits) => splits.map(xMode === 'time' ? formatDuration : stepTick) },
        { ...axisStyle, size: 50, values: (_u, splits) => splits.map(formatTick) },
      ],
      series: [
        { label: xMode === 'time' ? 'time' : 'step' },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 1.5,
          spanGaps: true,
          points: { show: false },
          ...(s.dash ? { dash: s.dash } : {}),
        })),
      ],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 4) return;
            const min = u.posToVal(u.select.left, 'x');
            const max = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            if (max > min) setZoom([min, max]);
          },
        ],
      },
    };
    const u = new uPlot(opts, [[], ...series.map(() => [])] as uPlot.AlignedData, el);
    plot.current = u;
    const resize = new ResizeObserver(() => {
      const width = Math.max(100, el.clientWidth);
      if (Math.abs(width - u.width) > 1) {
        u.setSize({ width, height });
        redraw();
      }
    });
    resize.observe(el);
    const shown = (): [number, number] | null => {
      const min = u.scales.x.min;
      const max = u.scales.x.max;
      return zoom.current ?? (min !== undefined && max !== undefined && max > min ? [min, max] : extent.current);
    };
    // Ctrl/Alt/⌘ + wheel zooms x around the pointer; a plain wheel still scrolls the panel.
    const onWheel = (e: WheelEvent) => {
      if (!(e.ctrlKey || e.altKey || e.metaKey)) return;
      const range = shown();
      if (!range) return;
      e.preventDefault();
      const at = u.posToVal(e.clientX - u.over.getBoundingClientRect().left, 'x');
      setZoom(zoomRange(range, at, e.deltaY > 0 ? 1.25 : 0.8));
    };
    // Shift-drag pans x (handled before uPlot's own drag-to-zoom sees the press).
    const onDown = (e: MouseEvent) => {
      if (!e.shiftKey || e.button !== 0) return;
      const start = shown();
      if (!start) return;
      e.stopPropagation();
      e.preventDefault();
      const x0 = e.clientX;
      const move = (m: MouseEvent) => setZoom(panRange(start, (x0 - m.clientX) / Math.max(1, u.over.clientWidth)));
      const up = () => {
        window.removeEventListener('mousemove', move);
        window.removeEventListener('mouseup', up);
      };
      window.addEventListener('mousemove', move);
      window.addEventListener('mouseup', up);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    el.addEventListener('mousedown', onDown, true);
    redraw();
    return () => {
      resize.disconnect();
      el.removeEventListener('wheel', onWheel);
      el.removeEventListener('mousedown', onDown, true);
      cancelAnimationFrame(frame.current);
      u.destroy();
      plot.current = null;
    };
  }, [seriesKey, height, yFromZero, log, xMode, redraw, setZoom]);

  // `version` stands for the data: a new version redraws.
  useEffect(redraw, [version, redraw]);

  const exportCsv = () => {
    const full = source();
    const csv = buildCsv([
      { name: 'step', values: full.x },
      ...(full.time
        ? [{ name: full.timeKind === 'wall' ? 'elapsed_seconds' : 'training_seconds', values: full.time }]
        : []),
      ...series.map((s, i) => ({ name: s.label, values: full.ys[i] ?? [] })),
    ]);
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = csvFileName(title);
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const id = testId ?? 'chart';
  return (
    <div className="series-chart-wrap">
      <div
        className="series-chart"
        ref={box}
        data-testid={testId}
        data-log={log}
        data-x={xMode}
        title="Drag to zoom, shift-drag to pan, Ctrl/Alt + wheel to zoom at the pointer, double-click to show all"
        onDoubleClick={() => setZoom(null)}
      />
      <div className="chart-tools">
        <label title="Logarithmic y axis (zero and negative values are not drawn)">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} data-testid={`${id}-log`} />
          log
        </label>
        {timeKind && (
          <select
            value={xMode}
            onChange={(e) => {
              zoom.current = null;
              setZoomed(false);
              setXMode(e.target.value as XMode);
            }}
            title={
              timeKind === 'wall'
                ? 'x axis: training steps, or wall-clock time since the first step (pauses count)'
                : 'x axis: training steps, or training time (pauses not counted)'
            }
            data-testid={`${id}-x`}
          >
            <option value="step">steps</option>
            <option value="time">time</option>
          </select>
        )}
        {zoomed && (
          <button className="link-button" onClick={() => setZoom(null)} data-testid={`${id}-reset`}>
            show all
          </button>
        )}
        <button
          className="link-button"
          onClick={exportCsv}
          title={`Save ${csvFileName(title)}`}
          data-testid={`${id}-csv`}
        >
          CSV
        </button>
      </div>
    </div>
  );
}
