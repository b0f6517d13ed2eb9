import type { CompositeDefinition } from '../../graph-schemas';
import { documentBlock } from '../../graph-schemas';
import { useEditor, useStudio } from '../app/studio';
import { FieldInput } from '../panels/FieldInput';
import { checkWithSchema, fieldsOf } from '../panels/schema-fields';
import { setDefinitionParam } from '../store/composite-edits';
import { ExposeToggle } from './ExposeToggle';

/** The params of one node inside a composite block's definition; a change applies to every use of the block. */
export function DefinitionParams({ def, innerId }: { def: CompositeDefinition; innerId: string }) {
  const studio = useStudio();
  const blocks = useEditor((s) => s.doc.blocks);
  const uses = useEditor(
    (s) => [...s.doc.generator.nodes, ...s.doc.discriminator.nodes].filter((n) => n.type === def.type).length,
  );
  const node = def.nodes.find((n) => n.id === innerId);
  const block = node && documentBlock({ blocks }, node.type);
  if (!node || !block) return null;
  const exposed = new Map(
    def.params.flatMap((p) => p.targets.filter((t) => t.node === innerId).map((t) => [t.param, p.name] as const)),
  );
  const commit = (key: string) => (value: unknown) => {
    const checked = checkWithSchema(block.params, { ...node.params, [key]: value }, key);
    if (!checked.ok) return checked.reason;
    const result = studio.editor.getState().execute(setDefinitionParam(def.type, innerId, key, value));
    return result.ok ? undefined : result.reason;
  };
  return (
    <aside className="definition-params" data-testid="definition-params">
      <h4>
        {block.title} <code>{innerId}</code>
      </h4>
      <p className="muted small">
        Changes here change {def.title} everywhere it is used ({uses} use{uses === 1 ? '' : 's'}); undo takes them back.
      </p>
      {fieldsOf(block.params).map((f) =>
        exposed.has(f.key) ? (
          <p key={f.key} className="muted small">
            {f.key}: set on each use (its “{exposed.get(f.key)}”).{' '}
            <ExposeToggle type={def.type} innerId={innerId} param={f.key} exposedAs={exposed.get(f.key)} />
          </p>
        ) : (
          <div key={f.key}>
            <FieldInput
              field={f}
              value={node.params[f.key] ?? ('default' in f ? f.default : undefined)}
              onCommit={commit(f.key)}
              testId="definition-param"
            />
            <ExposeToggle type={def.type} innerId={innerId} param={f.key} />
          </div>
        ),
      )}
    </aside>
  );
}
