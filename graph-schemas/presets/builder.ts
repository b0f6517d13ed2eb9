import type { GraphEdge, GraphNode, NetworkName } from '../document';

type Source = string | readonly [string, string];

/** Writes a network as a readable chain of calls; lays nodes out top to bottom, side inputs to the left. */
export class NetworkBuilder {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  private row = 0;
  private sideRow = 0;

  constructor(private readonly network: NetworkName) {}

  /** A node on the main column, fed from `inputs` (port name → node id, or [node id, port]). */
  add(id: string, type: string, params: Record<string, unknown> = {}, inputs: Record<string, Source> = {}): string {
    const x = this.network === 'generator' ? 0 : 700;
    this.nodes.push({ id, type, version: 1, params, position: { x, y: this.row++ * 120 } });
    this.connect(id, inputs);
    return id;
  }

  /** A source node beside the main column (noise, labels). */
  side(id: string, type: string, params: Record<string, unknown> = {}): string {
    const x = this.network === 'generator' ? -300 : 400;
    this.nodes.push({ id, type, version: 1, params, position: { x, y: this.sideRow++ * 120 } });
    return id;
  }

  private connect(target: string, inputs: Record<string, Source>) {
    for (const [targetPort, src] of Object.entries(inputs)) {
      const [source, sourcePort] = typeof src === 'string' ? [src, 'out'] : src;
      this.edges.push({ id: `${source}.${sourcePort}->${target}.${targetPort}`, source, sourcePort, target, targetPort });
    }
  }

  build() {
    return { nodes: this.nodes, edges: this.edges };
  }
}
