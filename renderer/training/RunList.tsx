import { formatLoss, formatTime } from './format';
import { QualitySummaryText } from './QualityChart';
import { StatusPill } from './RunControls';
import { canResume } from './run-state';
import { useStudio, useTraining } from '../app/studio';
import { exploreExport } from '../latent/ExportPicker';
import { openLatentExplorer } from '../latent/latent-open';

/** Every run of the document (or all runs): status, steps, backend, start time, last losses; open, resume, export, delete. */
export function RunList() {
  const studio = useStudio();
  const training = studio.training;
  const list = useTraining((s) => s.list);
  const scope = useTraining((s) => s.listScope);
  const error = useTraining((s) => s.listError);
  const loaded = useTraining((s) => s.listLoaded);
  const watched = useTraining((s) => s.watched);
  const busy = useTraining((s) => s.busy);
  return (
    <div className="run-list" data-testid="run-list">
      <div className="run-list-head">
        <div className="segmented small" role="group" aria-label="Which runs">
          <button
            className={scope === 'document' ? 'active' : ''}
            onClick={() => training.library.setListScope('document')}
          >
            This document
          </button>
          <button className={scope === 'all' ? 'active' : ''} onClick={() => training.library.setListScope('all')}>
            All runs
          </button>
        </div>
        <span className="spacer" />
        <button className="button" onClick={() => void training.library.refreshList()}>
          Refresh
        </button>
        <button
          className="button"
          onClick={() => void exploreExport(studio)}
          data-testid="explore-export"
          title="The latent explorer on a model folder written by Export"
        >
          Explore an export…
        </button>
        <button className="button primary" onClick={() => training.openTrainDialog()}>
          ▶ Start training…
        </button>
      </div>
      {error && <p className="error-text small">{error}</p>}
      {loaded && !list.length && !error && (
        <p className="muted">{scope === 'document' ? 'No runs of this document yet.' : 'No runs yet.'}</p>
      )}
      {list.length > 0 && (
        <table className="runs-table">
          <thead>
            <tr>
              <th>Run</th>
              <th>Status</th>
              <th>Steps</th>
              <th>Backend</th>
              <th>Started</th>
              <th>Last losses (D / G)</th>
              <th title="FD (digit classifier) or FID of the newest measurement, the best so far, and class accuracy">
                Quality (FD · best)
              </th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.id} className={r.id === watched ? 'current' : ''} data-run-id={r.id} data-testid="run-row">
                <td title={`${r.id}\n${r.dir}`}>
                  <button className="link-button" onClick={() => void training.library.openRun(r.id)}>
                    {r.name}
                  </button>
                  <div className="muted small mono">{r.id}</div>
                </td>
                <td title={r.message}>
                  <StatusPill status={r.status} />
                </td>
                <td className="mono">
                  {r.step.toLocaleString()} / {r.totalSteps.toLocaleString()}
                </td>
                <td>{r.backend || '–'}</td>
                <td>{formatTime(r.createdAt)}</td>
                <td className="mono">
                  {r.lastLosses ? `${formatLoss(r.lastLosses.lossD)} / ${formatLoss(r.lastLosses.lossG)}` : '–'}
                </td>
                <td>
                  <QualitySummaryText quality={r.quality} />
                </td>
                <td className="row-actions">
                  <div>
                    <button
                      className="button small"
                      onClick={() => void training.library.openRun(r.id)}
                      data-testid="run-open"
                    >
                      Open
                    </button>
                    {canResume(r) && (
                      <button
                        className="button small"
                        disabled={!!busy[r.id]}
                        onClick={() => void training.control.resume(r.id)}
                        data-testid="run-row-resume"
                      >
                        Resume
                      </button>
                    )}
                    {r.checkpointStep !== null && (
                      <button
                        className="button small"
                        disabled={!!busy[r.id]}
                        onClick={() => training.exporter.exportRun(r.id)}
                      >
                        Export…
                      </button>
                    )}
                    {r.checkpointStep !== null && (
                      <button
                        className="button small"
                        onClick={() => openLatentExplorer({ kind: 'run', runId: r.id }, r.name)}
                        data-testid="run-row-latent"
                        title="Grids, truncation and interpolation drawn from this run's checkpoints"
                      >
                        Latent…
                      </button>
                    )}
                    <button
                      className="button small danger"
                      disabled={r.status === 'running' || r.status === 'paused'}
                      onClick={() => void training.library.deleteRun(r.id)}
                      title={
                        r.status === 'running' || r.status === 'paused'
                          ? 'Stop the run before deleting it'
                          : 'Delete this run'
                      }
                    >
                      Delete
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
