import 'uplot/dist/uPlot.min.css';
import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { Values } from './decimate';
import { decimateMinMax } from './decimate';

export interface ChartSeries {
  label: string;
  color: string;
  width?: number;
  dash?: number[];
}

export interface ChartSource {
  x: ArrayLike<number>;
  ys: readonly Values[];
}

interface Props {
  series: ChartSeries[];
  /** Full-resolution columns; read again whenever `version` changes. */
  source: () => ChartSource;
  version: unknown;
  height: number;
  testId?: string;
  /** Keeps y at or above 0 on the axis (rates, σ). */
  yFromZero?: boolean;
}

const axisStyle = {
  stroke: '#8b94a5',
  grid: { stroke: 'rgba(255,255,255,0.06)', width: 1 },
  ticks: { stroke: 'rgba(255,255,255,0.1)', width: 1 },
  font: '11px system-ui',
};

/**
 * A uPlot line chart that draws at most two points per pixel column (min/max decimation), so 100k steps stay
 * fast. Redraws at most once per frame; drag to zoom into steps (re-reduced at the new range), double-click to reset.
 */
export function SeriesChart({ series, source, version, height, testId, yFromZero }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoom = useRef<[number, number] | null>(null);
  const frame = useRef(0);
  // The newest props, for the chart's callbacks (uPlot's hooks, the resize observer) to read when they run.
  const latest = useRef({ source, series });
  useLayoutEffect(() => {
    latest.current = { source, series };
  });

  const redraw = useCallback(() => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const u = plot.current;
      if (!u) return;
      const full = latest.current.source();
      const range = zoom.current;
      const data = decimateMinMax(full.x, full.ys, {
        buckets: Math.max(50, Math.round(u.width)),
        ...(range ? { xMin: range[0], xMax: range[1] } : {}),
      });
      u.setData([data.x, ...data.ys] as uPlot.AlignedData, true);
      if (range) u.setScale('x', { min: range[0], max: range[1] });
      box.current?.setAttribute('data-points', String(full.x.length));
      box.current?.setAttribute('data-drawn', String(data.x.length));
    });
  }, []);

  // The chart is made once per set of series; data flows in through redraw().
  const seriesKey = series.map((s) => `${s.label}|${s.color}|${s.dash?.join(',') ?? ''}`).join(';');
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const { series } = latest.current;
    const opts: uPlot.Options = {
      width: Math.max(100, el.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      scales: {
        x: { time: false },
        ...(yFromZero ? { y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.05 : 1] } } : {}),
      },
      axes: [{ ...axisStyle }, { ...axisStyle, size: 46 }],
      series: [
        { label: 'step' },
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
            if (max > min) {
              zoom.current = [min, max];
              redraw();
            }
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
    redraw();
    return () => {
      resize.disconnect();
      cancelAnimationFrame(frame.current);
      u.destroy();
      plot.current = null;
    };
  }, [seriesKey, height, yFromZero, redraw]);

  // `version` stands for the data: a new version redraws.
  useEffect(redraw, [version, redraw]);

  return (
    <div
      className="series-chart"
      ref={box}
      data-testid={testId}
      title="Drag to zoom into steps; double-click to show all"
      onDoubleClick={() => {
        zoom.current = null;
        redraw();
      }}
    />
  );
}
