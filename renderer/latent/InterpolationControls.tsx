import type { NoiseRefChoice } from '../../graph-schemas';
import { LATENT_LIMITS } from '../../graph-schemas';
import type { LatentControls } from './latent-views';

/** Interpolation: endpoints A and B (a seed and a column each, or picked on the grid), the class, frames and the path. */
export function InterpolationControls({
  controls: c,
  set,
  classNames,
  busy,
  onInterpolate,
}: {
  controls: LatentControls;
  set(patch: Partial<LatentControls>): void;
  classNames: string[];
  busy: boolean;
  onInterpolate(): void;
}) {
  return (
    <div className="latent-section" data-testid="latent-interpolation">
      <h3>Interpolation</h3>
      <div className="latent-toolbar">
        <Endpoint name="A" value={c.from} onChange={(from) => set({ from })} testId="latent-from" />
        <Endpoint name="B" value={c.to} onChange={(to) => set({ to })} testId="latent-to" />
        {classNames.length > 0 && (
          <label>
            Class
            <select
              value={c.stripClass}
              onChange={(e) => set({ stripClass: Number(e.target.value) })}
              data-testid="latent-class"
            >
              {classNames.map((name, k) => (
                <option key={k} value={k}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Frames
          <input
            type="number"
            min={2}
            max={LATENT_LIMITS.frames}
            value={c.frames}
            onChange={(e) => {
              const n = Number(e.target.value);
              if (Number.isInteger(n) && n >= 2 && n <= LATENT_LIMITS.frames) set({ frames: n });
            }}
            data-testid="latent-frames"
          />
        </label>
        <div className="segmented small" role="group" aria-label="Interpolation path">
          <button
            className={c.mode === 'linear' ? 'active' : ''}
            onClick={() => set({ mode: 'linear' })}
            data-testid="latent-mode-linear"
            title="A straight line from A to B"
          >
            Linear
          </button>
          <button
            className={c.mode === 'spherical' ? 'active' : ''}
            onClick={() => set({ mode: 'spherical' })}
            data-testid="latent-mode-spherical"
            title="Along the great circle (slerp): the noise keeps a typical length mid-way"
          >
            Spherical
          </button>
        </div>
        <button
          className="button primary small"
          disabled={busy}
          onClick={onInterpolate}
          data-testid="latent-interpolate"
        >
          Interpolate
        </button>
      </div>
    </div>
  );
}

function Endpoint({
  name,
  value,
  onChange,
  testId,
}: {
  name: string;
  value: NoiseRefChoice;
  onChange(v: NoiseRefChoice): void;
  testId: string;
}) {
  const whole = (v: string, max: number) => {
    const n = Number(v);
    return Number.isInteger(n) && n >= 0 && n <= max ? n : null;
  };
  return (
    <span className="latent-endpoint" data-testid={testId}>
      <strong>{name}</strong>{' '}
      <label>
        seed
        <input
          type="number"
          min={0}
          value={value.seed}
          onChange={(e) => {
            const seed = whole(e.target.value, 2 ** 32 - 1);
            if (seed !== null) onChange({ ...value, seed });
          }}
          aria-label={`${name} seed`}
        />
      </label>{' '}
      <label>
        column
        <input
          type="number"
          min={0}
          max={1023}
          value={value.column}
          onChange={(e) => {
            const column = whole(e.target.value, 1023);
            if (column !== null) onChange({ ...value, column });
          }}
          aria-label={`${name} column`}
        />
      </label>
    </span>
  );
}
