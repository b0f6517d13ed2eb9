import { z } from 'zod';
import type { GraphDocument, NetworkName } from '../../graph-schemas';
import {
  CompositeDefinitionSchema,
  definitionsUsed,
  GraphEdgeSchema,
  GraphNodeSchema,
  mergeDefinitions,
} from '../../graph-schemas';
import type { Command } from './command';
import { edgeIdOf, makeEdge, withNetwork } from './doc-utils';
import { allNodeIds, newNodeId } from './node-ids';

/**
 * Copied nodes, the connections among them and the document's own blocks they use (with the blocks those use),
 * as plain JSON (it also goes to the system clipboard), so they paste into another document too.
 */
export const ClipboardContentSchema = z.object({
  format: z.literal('sagan-studio/nodes'),
  network: z.enum(['generator', 'discriminator']),
  nodes: z.array(GraphNodeSchema).min(1).max(5000),
  edges: z.array(GraphEdgeSchema).max(20000),
  blocks: z.array(CompositeDefinitionSchema).max(500).default([]),
});

export type ClipboardContent = z.output<typeof ClipboardContentSchema>;

export function copyNodes(
  doc: GraphDocument,
  network: NetworkName,
  nodeIds: readonly string[],
): ClipboardContent | undefined {
  const ids = new Set(nodeIds);
  const nodes = doc[network].nodes.filter((n) => ids.has(n.id));
  if (nodes.length === 0) return undefined;
  const edges = doc[network].edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  const blocks = definitionsUsed(
    doc,
    nodes.map((n) => n.type),
  );
  return structuredClone({ format: 'sagan-studio/nodes', network, nodes, edges, blocks });
}

/** Reads clipboard text written by copyNodes (checked against its schema); anything else is not ours. */
export function parseClipboard(text: string): ClipboardContent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = ClipboardContentSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Pastes copies with fresh ids, shifted by `offset`, into `network`, and selects them. The blocks they use join the
 * document's: an identical one already there is used, one whose name the document gives a different block comes
 * in renamed ("MyBlock2"), and the note says so.
 */
export function pasteNodes(
  network: NetworkName,
  content: ClipboardContent,
  offset: { x: number; y: number },
  label = 'Paste',
): Command {
  return {
    label,
    run: (doc) => {
      const merged = mergeDefinitions(doc.blocks, content.blocks ?? []);
      const taken = allNodeIds(doc);
      const rename = new Map<string, string>();
      const nodes = content.nodes.map((n) => {
        const type = merged.types.get(n.type) ?? n.type;
        const id = newNodeId(taken, network, type);
        taken.add(id);
        rename.set(n.id, id);
        const { label: nodeLabel, position, ...rest } = structuredClone(n);
        const at = position ?? { x: 0, y: 0 };
        return {
          ...rest,
          id,
          type,
          ...(nodeLabel ? { label: nodeLabel } : {}),
          position: { x: Math.round(at.x + offset.x), y: Math.round(at.y + offset.y) },
        };
      });
      const edges = content.edges
        .filter((e) => rename.has(e.source) && rename.has(e.target))
        .map((e) => makeEdge(rename.get(e.source)!, e.sourcePort, rename.get(e.target)!, e.targetPort));
      const next = withNetwork(doc, network, (net) => ({
        nodes: [...net.nodes, ...nodes],
        edges: [...net.edges, ...edges],
      }));
      const added = merged.blocks.length - doc.blocks.length;
      const note = merged.renamed.length
        ? `This document has a different ${merged.renamed.length === 1 ? 'block' : 'blocks'} called ${merged.renamed
            .map(([from, to]) => `"${from}" (the pasted one is "${to}")`)
            .join(', ')}; both are under "This document" in the palette.`
        : added > 0
          ? `Brought ${added} block${added === 1 ? '' : 's'} of the copied document along (${merged.blocks
              .slice(doc.blocks.length)
              .map((b) => `"${b.type}"`)
              .join(', ')}): the palette lists ${added === 1 ? 'it' : 'them'} under "This document".`
          : undefined;
      return {
        doc: added > 0 ? { ...next, blocks: merged.blocks } : next,
        selection: { network, nodes: nodes.map((n) => n.id), edges: edges.map(edgeIdOf) },
        ...(note ? { note } : {}),
      };
    },
  };
}
