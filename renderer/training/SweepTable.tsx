import { useEffect, useState } from 'react';
import type { SweepSummary } from '../../graph-schemas';
import { useStudio } from '../app/studio';
import { errorText } from './training-store';

const params = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n);

/** The host's attention sweeps, kept current by its `sweeps.changed` events; newest first. */
function useSweeps(): { sweeps: SweepSummary[]; error: string | null } {
  const { api } = useStudio();
  const [sweeps, setSweeps] = useState<SweepSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const off = api.on('sweeps.changed', (s) =>
      setSweeps((list) =>
        [s, ...list.filter((x) => x.id !== s.id)].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
      ),
    );
    api.sweeps.list({}).then(
      (list) => live && setSweeps((known) => list.map((s) => known.find((k) => k.id === s.id) ?? s)),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
      off();
    };
  }, [api]);
  return { sweeps, error };
}

/** Attention-placement sweeps in Compare: one picked, its progress and its Table 1 (variant, FD, KID, accuracy, it/s, parameters). */
export function SweepTables() {
  const { api } = useStudio();
  const { sweeps, error } = useSweeps();
  const [picked, setPicked] = useState<string | null>(null);
  const sweep = sweeps.find((s) => s.id === picked) ?? sweeps[0];
  if (error) return <p className="error-text small">{error}</p>;
  if (!sweep) return null;
  const done = sweep.rows.length;
  const total = sweep.placements.length;
  const best = done > 1 ? Math.min(...sweep.rows.map((r) => r.fd)) : null;
  const names = sweep.rows[0]?.names ?? { fd: 'FD', kid: 'KID' };
  return (
    <section className="chart-card" data-testid="sweep-card" data-sweep-id={sweep.id} data-status={sweep.status}>
      <header className="chart-head">
        <h4>Attention placements</h4>
        {sweeps.length > 1 ? (
          <select value={sweep.id} onChange={(e) => setPicked(e.target.value)} data-testid="sweep-picker">
            {sweeps.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} · {s.status}
              </option>
            ))}
          </select>
        ) : (
          <span className="muted small">{sweep.name}</span>
        )}
        <span className="small" data-testid="sweep-progress" data-done={done} data-total={total}>
          {done} of {total} measured · {sweep.status}
          {sweep.current && sweep.current.phase === 'training' && (
            <progress value={sweep.current.step} max={sweep.current.totalSteps} />
          )}
        </span>
        {sweep.status === 'running' && (
          <button className="button small" onClick={() => void api.sweeps.stop({ sweepId: sweep.id })}>
            Stop
          </button>
        )}
      </header>
      <p className="muted small" data-testid="sweep-message">
        {sweep.message} <span title={sweep.dir}>Folder: {sweep.dir}</span>
      </p>
      {done > 0 && (
        <table className="sweep-table" data-testid="sweep-table">
          <thead>
            <tr>
              <th>Variant</th>
              <th>Attention</th>
              <th>{names.fd} ↓</th>
              <th>{names.kid} ↓</th>
              <th>Class accuracy ↑</th>
              <th>it/s</th>
              <th>Parameters (G + D)</th>
            </tr>
          </thead>
          <tbody>
            {sweep.rows.map((r) => (
              <tr key={r.variant} data-testid="sweep-row" data-variant={r.variant} data-fd={r.fd}>
                <td>{r.variant}</td>
                <td className="small">{r.placement}</td>
                <td className="mono">{r.fd === best ? <strong>{r.fd.toFixed(2)}</strong> : r.fd.toFixed(2)}</td>
                <td className="mono">
                  {r.kid.toFixed(4)} ± {r.kidStd.toFixed(4)}
                </td>
                <td className="mono">{r.accuracy === null ? '–' : `${(100 * r.accuracy).toFixed(1)}%`}</td>
                <td className="mono">{r.itPerSec === null ? '–' : r.itPerSec.toFixed(2)}</td>
                <td className="mono">
                  {params(r.generatorParams)} + {params(r.discriminatorParams)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
