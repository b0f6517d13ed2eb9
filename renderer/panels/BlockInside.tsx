import { useMemo } from 'react';
import type { AnyBlock, GraphDocument, GraphNode, NetworkName, NodeReport } from '../../graph-schemas';
import { documentBlock, formatShape, inline, validateGraph } from '../../graph-schemas';
import { runAction } from '../app/actions';
import { useEditor, useStudio, useValidation } from '../app/studio';
import { formatCount } from '../canvas/node-view';

/** The reports of a node's inner parts: a composite's from the validation report, a built-in's by drawing it. */
function innerReports(
  doc: GraphDocument,
  network: NetworkName,
  node: GraphNode,
  block: AnyBlock,
  own: NodeReport | undefined,
  all: readonly NodeReport[],
): NodeReport[] {
  if (block.composite) return all.filter((n) => n.network === network && n.insideOf === node.id);
  if (!block.inside || !own?.config) return [];
  const drawn = { ...doc, [network]: inline(doc[network], node.id, block.inside(own.config, own.inputs)) };
  return validateGraph(drawn).nodes.filter((n) => n.network === network && n.id.startsWith(`${node.id}/`));
}

/**
 * What a residual or composite block is made of: each part with its shape and parameters (read-only; a
 * built-in's parts are edited through "Make editable copy", a composite's in its definition).
 */
export function BlockInside({ network, node, block }: { network: NetworkName; node: GraphNode; block: AnyBlock }) {
  const studio = useStudio();
  const doc = useEditor((s) => s.doc);
  const report = useValidation((s) => s.report);
  const own = report?.nodes.find((n) => n.network === network && n.id === node.id);
  const rows = useMemo(
    () => innerReports(doc, network, node, block, own, report?.nodes ?? []),
    [doc, network, node, block, own, report],
  );
  if (!block.inside && !block.composite) return null;
  const prefix = `${node.id}/`;
  return (
    <div className="block-inside" data-testid="block-inside">
      <h4>
        Inside <span className="muted small">{rows.length} parts</span>
      </h4>
      <nav className="breadcrumb muted small" aria-label="Where">
        {network === 'generator' ? 'Generator' : 'Discriminator'} › {node.id} ({block.title})
      </nav>
      <table className="inside-table">
        <tbody>
          {rows
            .filter((r) => !r.id.slice(prefix.length).includes('/'))
            .map((r) => (
              <tr key={r.id} data-testid="inside-row">
                <td>
                  <code>{r.id.slice(prefix.length)}</code>
                </td>
                <td>{documentBlock(doc, r.type)?.title ?? r.type}</td>
                <td>{r.outputs.out ? formatShape(r.outputs.out) : ''}</td>
                <td className="num">{r.params ? formatCount(r.params) : ''}</td>
              </tr>
            ))}
        </tbody>
      </table>
      {!block.composite && (
        <button className="button" onClick={() => runAction(studio, 'edit.makeEditableCopy')}>
          Make editable copy
        </button>
      )}
    </div>
  );
}
