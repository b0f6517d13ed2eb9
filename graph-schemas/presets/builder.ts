import type { z } from 'zod';
import type { BlockOf, CatalogBlockType } from '../blocks';
import type { GraphEdge, GraphNode, NetworkName, TrainingSettings } from '../document';

type Source = string | readonly [string, string];
/** A block's params as a preset writes them: defaults may be left out, names and types are checked. */
type ParamsIn<T extends CatalogBlockType> = z.input<BlockOf<T>['params']>;

/** Writes a network as a readable chain of calls; lays nodes out top to bottom, side inputs to the left. */
export class NetworkBuilder {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  private row = 0;
  private sideRow = 0;

  constructor(private readonly network: NetworkName) {}

  /** A node on the main column, fed from `inputs` (port name → node id, or [node id, port]). */
  add<T extends CatalogBlockType>(
    id: string,
    type: T,
    params?: ParamsIn<T>,
    inputs: Record<string, Source> = {},
  ): string {
    const x = this.network === 'generator' ? 0 : 700;
    this.nodes.push({ id, type, version: 1, params: { ...params }, position: { x, y: this.row++ * 120 } });
    this.connect(id, inputs);
    return id;
  }

  /** A source node beside the main column (noise, labels). */
  side<T extends CatalogBlockType>(id: string, type: T, params?: ParamsIn<T>): string {
    const x = this.network === 'generator' ? -300 : 400;
    this.nodes.push({ id, type, version: 1, params: { ...params }, position: { x, y: this.sideRow++ * 120 } });
    return id;
  }

  private connect(target: string, inputs: Record<string, Source>) {
    for (const [targetPort, src] of Object.entries(inputs)) {
      const [source, sourcePort] = typeof src === 'string' ? [src, 'out'] : src;
      this.edges.push({
        id: `${source}.${sourcePort}->${target}.${targetPort}`,
        source,
        sourcePort,
        target,
        targetPort,
      });
    }
  }

  /** SAGAN's generator ending: BN, ReLU, an SN 3×3 conv to the image channels, tanh, and the output. */
  imageHead(from: string, channels: number) {
    this.add('g_bn', 'BatchNorm', {}, { in: from });
    this.add('g_relu', 'ReLU', {}, { in: 'g_bn' });
    this.add(
      'g_conv_out',
      'Conv2D',
      { filters: channels, kernelSize: 3, spectralNorm: true, bias: true },
      { in: 'g_relu' },
    );
    this.add('g_tanh', 'Tanh', {}, { in: 'g_conv_out' });
    this.add('g_out', 'GeneratorOutput', {}, { in: 'g_tanh' });
  }

  /** SAGAN's discriminator ending: ReLU, global sum pool, projection head on the label, and the score. */
  projectionScore(from: string, label: string) {
    this.add('d_relu', 'ReLU', {}, { in: from });
    this.add('d_sum', 'GlobalSumPool', {}, { in: 'd_relu' });
    this.add('d_projection', 'ProjectionHead', { spectralNorm: true, bias: true }, { in: 'd_sum', label });
    this.add('d_out', 'DiscriminatorOutput', {}, { in: 'd_projection' });
  }

  build() {
    return { nodes: this.nodes, edges: this.edges };
  }
}

/** The paper's training setup (TTUR: hinge, Adam β1 = 0, β2 = 0.9, lr_D 4e-4, lr_G 1e-4, 1:1), with a preset's own schedule. */
export function paperTraining(
  schedule: Pick<TrainingSettings, 'batchSize' | 'steps' | 'sampleEvery' | 'checkpointEvery'> & {
    emaStart: number;
    emaDecay?: number;
    /** Steps between quality measurements (default 1,000, so short runs are not measured). */
    metricsEvery?: number;
    lrG?: number;
  },
): TrainingSettings {
  const adam = (lr: number) => ({ type: 'adam' as const, lr, beta1: 0, beta2: 0.9, epsilon: 1e-8 });
  return {
    objective: 'hinge',
    generatorOptimizer: adam(schedule.lrG ?? 1e-4),
    discriminatorOptimizer: adam(4e-4),
    dStepsPerGStep: 1,
    batchSize: schedule.batchSize,
    steps: schedule.steps,
    seed: 0,
    ema: { enabled: false, decay: schedule.emaDecay ?? 0.9999, startStep: schedule.emaStart },
    sampleEvery: schedule.sampleEvery,
    checkpointEvery: schedule.checkpointEvery,
    metricsEvery: schedule.metricsEvery ?? 1000,
    metricsSamples: 2000,
  };
}
