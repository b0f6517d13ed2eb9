import { heatGradientCss } from './heatmap';

/** The colour scale of the maps (weight over uniform), and the overlay's opacity. */
export function AttentionLegend({
  scaleMax,
  keys,
  opacity,
  onOpacity,
}: {
  scaleMax: number;
  /** Key counts of the nodes shown (uniform weight is 1/keys). */
  keys: number[];
  opacity: number;
  onOpacity: (v: number) => void;
}) {
  const uniformAt = (1 / scaleMax) * 100;
  return (
    <div className="att-legend" data-testid="attention-legend" data-scale-max={scaleMax.toFixed(2)}>
      <div className="att-legend-bar" style={{ background: heatGradientCss() }} />
      <div className="att-legend-ticks mono small">
        <span style={{ left: '0%' }}>0×</span>
        <span style={{ left: `${uniformAt}%` }} className="att-tick-uniform">
          1× uniform
        </span>
        <span style={{ left: '100%' }}>{scaleMax.toFixed(1)}×</span>
      </div>
      <p className="muted small att-legend-text">
        Colour: attention weight relative to uniform. 1× is the even share a key gets when a query attends to all{' '}
        {[...new Set(keys)].join(' or ')} keys alike; “peak 4×” means the strongest key gets four times that share.
        Distances are in pixels of the sample.
      </p>
      <label className="att-opacity small">
        Overlay opacity
        <input
          type="range"
          min={0}
          max={100}
          value={Math.round(opacity * 100)}
          onChange={(e) => onOpacity(Number(e.target.value) / 100)}
          aria-label="Overlay opacity"
          data-testid="attention-opacity"
        />
        <span className="mono">{Math.round(opacity * 100)}%</span>
      </label>
    </div>
  );
}
