import type { ELK as ElkEngine } from 'elkjs/lib/elk-api';
import type { Network } from '../../graph-schemas';
import { getBlock } from '../../graph-schemas';
import type { Size, XY } from './flow-model';

let elk: Promise<ElkEngine> | undefined;
/** ELK is large; it loads the first time someone asks for a layout. */
function engine(): Promise<ElkEngine> {
  elk ??= import('elkjs/lib/elk.bundled.js').then(({ default: ELK }) => new ELK());
  return elk;
}

export const DEFAULT_NODE_SIZE: Size = { width: 240, height: 90 };

/**
 * Lays a network out top to bottom with ELK's layered algorithm: the main chain in one column, side
 * inputs (noise, labels) beside the blocks that use them, edges crossing as little as possible.
 */
export async function layoutNetwork(net: Network, sizes: ReadonlyMap<string, Size>): Promise<Record<string, XY>> {
  const ids = new Set(net.nodes.map((n) => n.id));
  const graph = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '46',
      'elk.spacing.nodeNode': '60',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.separateConnectedComponents': 'false',
    },
    children: net.nodes.map((n) => {
      const size = sizes.get(n.id) ?? DEFAULT_NODE_SIZE;
      const side = getBlock(n.type)?.sideInput === true;
      return {
        id: n.id,
        width: size.width,
        height: size.height,
        ...(side ? { layoutOptions: { 'elk.layered.layering.layerConstraint': 'NONE' } } : {}),
      };
    }),
    edges: net.edges
      .filter((e) => ids.has(e.source) && ids.has(e.target))
      .map((e, i) => ({ id: `e${i}`, sources: [e.source], targets: [e.target] })),
  };
  const result = await (await engine()).layout(graph);
  const positions: Record<string, XY> = {};
  for (const child of result.children ?? [])
    positions[child.id] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
  return positions;
}
