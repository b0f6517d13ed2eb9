import { useMemo, useState } from 'react';
import type { NetworkName } from '../../graph-schemas';
import { paramChoices } from '../../graph-schemas';
import { freeGroupName, groupSelection } from '../store/composite-edits';
import { Modal } from './Modal';
import { useEditor, useStudio } from './studio';
import { notify } from './ui-store';

const TYPE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,59}$/;
const key = (node: string, param: string) => `${node}.${param}`;

/**
 * "Group into block": the block's name and which of the selected parts' params each use sets (its exposed params,
 * starting at the parts' current values); the channel counts are ticked to begin with.
 */
export function GroupDialog({ network, nodeIds }: { network: NetworkName; nodeIds: readonly string[] }) {
  const studio = useStudio();
  const doc = useEditor((s) => s.doc);
  const choices = useMemo(() => paramChoices(doc, network, nodeIds), [doc, network, nodeIds]);
  const [picked, setPicked] = useState(
    () => new Set(choices.filter((c) => c.channels).map((c) => key(c.node, c.param))),
  );
  const [name, setName] = useState(() => freeGroupName(doc));
  const [error, setError] = useState<string | null>(null);
  const close = () => studio.ui.setState({ dialog: null });
  const nameProblem = TYPE_NAME.test(name)
    ? null
    : 'A block name is a letter, then letters, digits or "_" (at most 60), e.g. "AttentionUp".';
  const group = () => {
    if (nameProblem) return setError(nameProblem);
    const expose = choices.filter((c) => picked.has(key(c.node, c.param))).map(({ node, param }) => ({ node, param }));
    const result = studio.editor.getState().execute(groupSelection(network, nodeIds, name, expose));
    if (!result.ok) return setError(result.reason);
    close();
    notify(studio.ui, 'success', result.note ?? 'Grouped.');
  };
  const toggle = (k: string) =>
    setPicked((now) => {
      const next = new Set(now);
      if (!next.delete(k)) next.add(k);
      return next;
    });
  const nodes = [...new Set(choices.map((c) => c.node))];
  return (
    <Modal
      title="Group into block"
      onClose={close}
      testId="group-dialog"
      footer={
        <>
          <span className="muted small">
            {picked.size} param{picked.size === 1 ? '' : 's'} set on each use
          </span>
          <span className="spacer" />
          <button className="button" onClick={close}>
            Cancel
          </button>
          <button className="button primary" onClick={group}>
            Group
          </button>
        </>
      }
    >
      <div className="field">
        <label htmlFor="group-name">Block name</label>
        <input
          id="group-name"
          type="text"
          value={name}
          className={nameProblem ? 'invalid' : undefined}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
          onKeyDown={(e) => e.key === 'Enter' && group()}
        />
      </div>
      <p className="muted small">
        Tick the params each use of the block sets for itself (they start at the values below); the others stay as they
        are inside the block, the same for every use.
      </p>
      <div className="group-params" data-testid="group-params">
        {nodes.map((node) => (
          <fieldset key={node} className="group-params-node">
            <legend>
              <code>{node}</code> <span className="muted small">{choices.find((c) => c.node === node)!.block}</span>
            </legend>
            {choices
              .filter((c) => c.node === node)
              .map((c) => (
                <label key={c.param} className="group-param">
                  <input
                    type="checkbox"
                    checked={picked.has(key(c.node, c.param))}
                    onChange={() => toggle(key(c.node, c.param))}
                    aria-label={`${c.node} ${c.param}`}
                  />
                  <span className="field-key">{c.param}</span>
                  <span className="muted small">{String(c.value)}</span>
                </label>
              ))}
          </fieldset>
        ))}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </Modal>
  );
}
