import type { Problem } from '../../graph-schemas';
import { action } from '../app/actions';
import { formatShortcut } from '../app/shortcuts';
import type { Studio } from '../app/studio';
import { useStudio, useUi, useValidation } from '../app/studio';

/** Selects the node a problem is about and brings it into view (showing its network if hidden). */
export function revealProblem(studio: Studio, problem: Problem): void {
  const network = problem.network ?? 'generator';
  const { view } = studio.ui.getState();
  studio.ui.setState({
    activeNetwork: network,
    rightTab: 'node',
    ...(view !== 'both' && view !== network ? { view: network } : {}),
  });
  // A problem inside a composite node selects that node (its inside is not on the canvas); one in a block's
  // definition names a node of the definition, not of the network.
  const nodeId = problem.insideOf ?? (problem.block ? undefined : problem.nodeId);
  if (!nodeId) return;
  studio.editor.getState().select({ network, nodes: [nodeId], edges: [] });
  requestAnimationFrame(() => studio.ui.getState().panes[network]?.focusNode(nodeId));
}

export function ProblemsPanel() {
  const studio = useStudio();
  const report = useValidation((s) => s.report);
  const ms = useValidation((s) => s.ms);
  const open = useUi((s) => s.problemsOpen);
  const problems = report?.problems ?? [];
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const toggle = action('view.problems');
  const sorted = [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return (
    <section className={`problems${open ? ' open' : ''}`} data-testid="problems">
      <header
        onClick={() => studio.ui.setState({ problemsOpen: !open })}
        title={`${open ? 'Hide' : 'Show'} problems (${formatShortcut(toggle.shortcuts[0]!)})`}
      >
        <span className="caret">{open ? '▾' : '▸'}</span>
        <strong>Problems</strong>
        {report && problems.length === 0 && <span className="ok-text">✓ The graph is valid</span>}
        {errors > 0 && (
          <span className="badge badge-error">
            {errors} error{errors === 1 ? '' : 's'}
          </span>
        )}
        {warnings > 0 && (
          <span className="badge badge-warning">
            {warnings} warning{warnings === 1 ? '' : 's'}
          </span>
        )}
        <span className="spacer" />
        {report && <span className="muted small">validated in {ms.toFixed(1)} ms</span>}
      </header>
      {open && (
        <ul className="problem-list">
          {sorted.map((p, i) => (
            <li
              key={i}
              className={`problem problem-${p.severity}${p.nodeId ? ' clickable' : ''}`}
              onClick={() => revealProblem(studio, p)}
              title={p.nodeId ? 'Select this node' : undefined}
            >
              <span className="problem-icon">{p.severity === 'error' ? '✕' : '!'}</span>
              <span className={`net-tag tag-${p.network ?? 'generator'}`}>
                {p.network === 'discriminator' ? 'D' : 'G'}
              </span>
              {p.nodeId && <code className="problem-node">{p.nodeId}</code>}
              <span className="problem-message">{p.message}</span>
            </li>
          ))}
          {problems.length === 0 && <li className="muted">No problems. Shapes and parameter counts are up to date.</li>}
        </ul>
      )}
    </section>
  );
}
