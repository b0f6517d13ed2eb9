import { z } from 'zod';
import { CompositeDefinitionSchema } from './composite/definition';
import { GraphEdgeSchema, GraphNodeSchema } from './document-parts';

export { GraphEdgeSchema, GraphNodeSchema, PARAMS_LIMITS, paramsOutOfBounds } from './document-parts';
export type { CompositeDefinition, CompositeDefinitionInput, ExposedParam } from './composite/definition';

/** The current version of the graph document. Bump it only together with a new migration in migrations.ts. */
export const GRAPH_DOCUMENT_VERSION = 2;
export const GRAPH_FORMAT = 'sagan-studio/graph';

export const NetworkSchema = z.object({
  nodes: z.array(GraphNodeSchema).max(5000),
  edges: z.array(GraphEdgeSchema).max(20000),
});

export const OptimizerSchema = z.object({
  type: z.literal('adam').default('adam'),
  lr: z.number().gt(0).max(1).describe('Learning rate.'),
  beta1: z.number().min(0).lt(1).default(0).describe('Adam β1 (SAGAN: 0).'),
  beta2: z.number().min(0).lt(1).default(0.9).describe('Adam β2 (SAGAN paper: 0.9; official code: 0.999).'),
  epsilon: z.number().gt(0).max(1).default(1e-8).describe('Adam ε.'),
});

/** The longest run; an interval (sample grids) longer than that would never come, so it has the same cap. */
const MAX_STEPS = 100_000_000;

export const TrainingSchema = z.object({
  objective: z
    .enum(['hinge', 'non-saturating'])
    .default('hinge')
    .describe('Adversarial loss: hinge (SAGAN) or the non-saturating logistic loss.'),
  generatorOptimizer: OptimizerSchema,
  discriminatorOptimizer: OptimizerSchema,
  dStepsPerGStep: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(1)
    .describe('Discriminator updates per generator update (SAGAN: 1, thanks to TTUR).'),
  batchSize: z.number().int().min(1).max(4096).default(64),
  steps: z.number().int().min(1).max(MAX_STEPS).default(10_000).describe('Generator updates to train for.'),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(0),
  ema: z
    .object({
      enabled: z.boolean().default(false),
      decay: z.number().min(0).lt(1).default(0.9999),
      startStep: z.number().int().min(0).default(1000),
    })
    .default({ enabled: false, decay: 0.9999, startStep: 1000 })
    .describe("Exponential moving average of G's weights, used for samples."),
  sampleEvery: z.number().int().min(1).max(MAX_STEPS).default(100).describe('Steps between sample grids.'),
  checkpointEvery: z.number().int().min(1).default(500).describe('Steps between checkpoints.'),
  metricsEvery: z
    .number()
    .int()
    .min(0)
    .max(MAX_STEPS)
    .default(1000)
    .describe(
      'Steps between quality measurements (FD/FID, KID, class accuracy); 0 = never. A run shorter than this is not measured.',
    ),
  metricsSamples: z
    .number()
    .int()
    .min(50)
    .max(50_000)
    .default(2000)
    .describe('Images generated for each quality measurement (EMA weights when kept).'),
});

export const DatasetSchema = z.object({
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('mnist') }),
    z.object({ kind: z.literal('folder'), path: z.string().min(1) }),
  ]),
  imageSize: z.number().int().min(4).max(1024).describe('Height and width of the images.'),
  channels: z.union([z.literal(1), z.literal(3)]).describe('1 = grayscale, 3 = RGB.'),
  classes: z.number().int().min(0).max(100_000).describe('Number of classes; 0 = unconditional.'),
});

export const ProvenanceSchema = z.object({
  follows: z.enum(['paper', 'official-code', 'reference-peer', 'mixed', 'custom']),
  notes: z.array(z.string()).default([]),
});

export const GraphDocumentSchema = z.object({
  format: z.literal(GRAPH_FORMAT),
  version: z.literal(GRAPH_DOCUMENT_VERSION),
  name: z.string().min(1).max(200),
  description: z.string().max(5000).default(''),
  provenance: ProvenanceSchema.optional(),
  generator: NetworkSchema,
  discriminator: NetworkSchema,
  training: TrainingSchema,
  dataset: DatasetSchema,
  /** Composite block types of this document (version 2 on), used by nodes of either network by their type. */
  blocks: z.array(CompositeDefinitionSchema).max(500).default([]),
});

export type GraphNode = z.output<typeof GraphNodeSchema>;
export type GraphEdge = z.output<typeof GraphEdgeSchema>;
export type Network = z.output<typeof NetworkSchema>;
export type OptimizerSettings = z.output<typeof OptimizerSchema>;
export type TrainingSettings = z.output<typeof TrainingSchema>;
export type DatasetSettings = z.output<typeof DatasetSchema>;
export type GraphDocument = z.output<typeof GraphDocumentSchema>;
/** What a document may look like before defaults are filled in (presets and tests write this). */
export type GraphDocumentInput = z.input<typeof GraphDocumentSchema>;

export type NetworkName = 'generator' | 'discriminator';
export const networkNames: readonly NetworkName[] = ['generator', 'discriminator'];

/** A stable id for an edge without one. */
export function edgeKey(e: Pick<GraphEdge, 'source' | 'sourcePort' | 'target' | 'targetPort'>): string {
  return `${e.source}.${e.sourcePort}->${e.target}.${e.targetPort}`;
}
