import { useRef, useState } from 'react';
import type { CompositeDefinition, PortKind } from '../../graph-schemas';
import { portKindNames } from '../../graph-schemas';
import { useStudio } from '../app/studio';
import { notify } from '../app/ui-store';
import type { Command } from '../store/command';
import { addPortTo, removePortOf, renamePortOf, setPortKindOf } from '../store/definition-edits';

const kinds: PortKind[] = ['feature', 'vector', 'noise', 'label', 'image'];

/**
 * The inputs or the outputs of a block of the document (its "$in" or "$out" node clicked): each one's name and what
 * it carries, and removing or adding one. Every use follows; a use whose connections no longer fit says so on its node.
 */
export function DefinitionPorts({ def, side }: { def: CompositeDefinition; side: 'input' | 'output' }) {
  const studio = useStudio();
  const ports =
    side === 'input'
      ? def.inputs.map((p) => ({ name: p.name, kind: p.accepts[0]! }))
      : def.outputs.map((p) => ({ name: p.name, kind: p.kind }));
  const run = (command: Command) => {
    const result = studio.editor.getState().execute(command);
    if (!result.ok) notify(studio.ui, 'warning', result.reason);
    else if (result.note) notify(studio.ui, 'info', result.note);
  };
  return (
    <aside className="definition-params definition-ports" data-testid="definition-ports">
      <h4>
        {def.title}: {side === 'input' ? 'inputs' : 'outputs'}
      </h4>
      <p className="muted small">
        Every use of the block changes; a use whose connections no longer fit shows an error on its node. Undo takes a
        change back.
      </p>
      <table className="ports-table">
        <tbody>
          {ports.map((p) => (
            <tr key={p.name} data-port={p.name}>
              <td>
                <PortNameField type={def.type} side={side} name={p.name} />
              </td>
              <td>
                <select
                  aria-label={`What ${side} "${p.name}" carries`}
                  value={p.kind}
                  onChange={(e) => run(setPortKindOf(def.type, side, p.name, e.target.value as PortKind))}
                >
                  {kinds.map((k) => (
                    <option key={k} value={k}>
                      {portKindNames[k]}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <button
                  className="button small"
                  aria-label={`Remove ${side} "${p.name}"`}
                  disabled={side === 'output' && ports.length === 1}
                  title={
                    side === 'output' && ports.length === 1
                      ? 'A block needs at least one output.'
                      : `Remove "${p.name}", with its connections inside and on every use`
                  }
                  onClick={() => run(removePortOf(def.type, side, p.name))}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button className="button" onClick={() => run(addPortTo(def.type, side))}>
        + Add {side}
      </button>
    </aside>
  );
}

/** A port's name, renamed on Enter or when the field is left (Escape puts it back); a refusal shows under it. */
function PortNameField({ type, side, name }: { type: string; side: 'input' | 'output'; name: string }) {
  const studio = useStudio();
  const [value, setValue] = useState(name);
  const [error, setError] = useState<string | null>(null);
  const cancelled = useRef(false);
  const commit = () => {
    if (cancelled.current || value === name) return;
    cancelled.current = true; // once: the row goes with the old name, and a blur may follow Enter
    const result = studio.editor.getState().execute(renamePortOf(type, side, name, value));
    if (!result.ok) {
      cancelled.current = false;
      setError(result.reason);
    }
  };
  return (
    <form
      className="port-name"
      onSubmit={(e) => {
        e.preventDefault();
        commit();
      }}
    >
      <input
        aria-label={`Name of ${side} "${name}"`}
        value={value}
        maxLength={40}
        spellCheck={false}
        onFocus={() => (cancelled.current = false)}
        onChange={(e) => {
          setValue(e.target.value);
          setError(null);
        }}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          e.stopPropagation();
          cancelled.current = true;
          setValue(name);
          setError(null);
          e.currentTarget.blur();
        }}
      />
      {error && (
        <p className="field-error small" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
