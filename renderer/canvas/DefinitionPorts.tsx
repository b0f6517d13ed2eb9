import type { CompositeDefinition, PortKind } from '../../graph-schemas';
import { portKindNames } from '../../graph-schemas';
import { useStudio } from '../app/studio';
import { notify } from '../app/ui-store';
import type { Command } from '../store/command';
import { addPortTo, removePortOf, setPortKindOf } from '../store/definition-edits';

const kinds: PortKind[] = ['feature', 'vector', 'noise', 'label', 'image'];

/**
 * The inputs or the outputs of a block of the document (its "$in" or "$out" node clicked): what each carries, and
 * removing or adding one. Every use follows; a use whose connections no longer fit says so on its node.
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
                <code>{p.name}</code>
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
