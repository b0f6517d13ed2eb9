import type { NetworkName } from '../../graph-schemas';
import { action, runAction } from '../app/actions';
import { formatShortcut } from '../app/shortcuts';
import { useStudio, useUi, useValidation } from '../app/studio';
import { indexReport } from '../validation/report-index';
import { formatCount } from './node-view';

const titles: Record<NetworkName, string> = { generator: 'Generator', discriminator: 'Discriminator' };

/** The label of a network's region: its name, parameter total, problem counts and view buttons. */
export function PaneHeader({ network }: { network: NetworkName }) {
  const studio = useStudio();
  const report = useValidation((s) => s.report);
  const pending = useValidation((s) => s.pending);
  const view = useUi((s) => s.view);
  const total = report
    ? network === 'generator'
      ? report.totals.generatorParams
      : report.totals.discriminatorParams
    : undefined;
  const counts = report ? indexReport(report).counts(network) : { errors: 0, warnings: 0 };
  const maximise = action(
    view === network ? 'view.both' : network === 'generator' ? 'view.generator' : 'view.discriminator',
  );
  const layout = action('view.layout');
  return (
    <header className="pane-header">
      <span className={`pane-mark mark-${network}`}>{network === 'generator' ? 'G' : 'D'}</span>
      <h2>{titles[network]}</h2>
      <span
        className={`pane-total${pending ? ' stale' : ''}`}
        data-testid={`total-${network}`}
        title="Trainable parameters, counted as PyTorch counts them"
      >
        {total === undefined ? '…' : `${formatCount(total)} params`}
      </span>
      {counts.errors > 0 && (
        <span className="badge badge-error">
          {counts.errors} error{counts.errors === 1 ? '' : 's'}
        </span>
      )}
      {counts.warnings > 0 && (
        <span className="badge badge-warning">
          {counts.warnings} warning{counts.warnings === 1 ? '' : 's'}
        </span>
      )}
      <span className="spacer" />
      <button
        className="icon-button"
        title={`Auto-layout the ${network} (${formatShortcut(layout.shortcuts[0]!)})`}
        onClick={() => {
          studio.ui.setState({ activeNetwork: network });
          void studio.ui.getState().panes[network]?.autoLayout();
        }}
      >
        ⊞<span className="btn-label"> Layout</span>
      </button>
      <button
        className="icon-button"
        title={`Fit the ${network} in view`}
        onClick={() => studio.ui.getState().panes[network]?.fitView()}
      >
        ⤢<span className="btn-label"> Fit</span>
      </button>
      <button
        className="icon-button"
        title={`${maximise.label} (${formatShortcut(maximise.shortcuts[0]!)})`}
        onClick={() => runAction(studio, maximise.id)}
      >
        {view === network ? '◫' : '▣'}
        <span className="btn-label">{view === network ? ' Both' : ' Only'}</span>
      </button>
    </header>
  );
}
