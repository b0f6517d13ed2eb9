import type { z } from 'zod';
import type { InsideReport } from './composite/as-block';
import type { Subgraph } from './composite/subgraph';
import type { PortKind, PortValue } from './ports';

export type NetworkRole = 'generator' | 'discriminator';

export type BlockCategory =
  | 'Inputs'
  | 'Dense'
  | 'Convolution'
  | 'Residual'
  | 'Merge'
  | 'Attention'
  | 'Normalization'
  | 'Activation'
  | 'Resampling'
  | 'Heads'
  | 'Outputs'
  | 'Composite';

/**
 * A function of a block's own params. Written as a method so a specific block still fits the catalog-wide view
 * (`AnyBlock`): generic code calls it only with params parsed by that block's schema.
 */
type OfParams<P, R> = { call(params: P): R }['call'];

export interface InputPortSpec<P> {
  name: string;
  accepts: readonly PortKind[];
  /** Whether the block cannot work without this input; may depend on params (CBN needs its label). */
  required: boolean | OfParams<P, boolean>;
  description: string;
}

export interface OutputPortSpec {
  name: string;
  kind: PortKind;
  /** The output takes the kind of this input (activations pass feature maps and vectors through). */
  sameKindAs?: string;
  description: string;
}

/** What the whole document tells a block during shape inference. */
export interface DocumentContext {
  imageSize: number;
  channels: number;
  /** 0 = unconditional. */
  classes: number;
  batchSize: number;
  network: NetworkRole;
}

export interface BlockProblem {
  severity: 'error' | 'warning';
  port?: string;
  message: string;
}

/** Memory cost of a block that users should see before training (attention matrices). */
export interface BlockCost {
  /** Bytes of the largest intermediate per sample (float32). */
  bytesPerSample: number;
  /** Human description, e.g. "attention matrix 1024×256". */
  what: string;
}

export interface InferInput<P> {
  params: P;
  /** Values arriving at the connected input ports (absent when unconnected or unknown upstream). */
  inputs: Partial<Record<string, PortValue>>;
  doc: DocumentContext;
}

export interface InferOutput {
  /** Values at the output ports; omitted when they cannot be inferred (a problem says why). */
  outputs: Partial<Record<string, PortValue>>;
  /** Trainable parameters, counted as PyTorch counts them (weights and biases; no SN vectors or running stats). */
  params: number;
  problems: BlockProblem[];
  cost?: BlockCost;
  /** A composite block's inside, validated with the values at its inputs (ids relative to the block). */
  inside?: InsideReport;
}

/** A migration of one block's params from `from` to `from + 1`. Never edit a shipped one; add the next. */
export interface ParamMigration {
  from: number;
  description: string;
  migrate(params: Record<string, unknown>): Record<string, unknown>;
}

/**
 * How a network must hold a block that starts or ends it: exactly one (D's image, each network's output) or at
 * least one (G's noise input; several nodes share the same z).
 */
export type RequiredInNetwork = 'exactly-one' | 'at-least-one';

export interface BlockDefinition<S extends z.ZodObject = z.ZodObject, T extends string = string> {
  type: T;
  /** Version of the params schema; nodes saved with an older one are migrated on load. */
  version: number;
  title: string;
  /** The name on a zoomed-out card, where `title` is too long to read ("Res up ×2"); `title` when absent. */
  shortTitle?: string;
  category: BlockCategory;
  description: string;
  networks: readonly NetworkRole[];
  params: S;
  inputs: readonly InputPortSpec<z.output<S>>[];
  outputs: readonly OutputPortSpec[];
  migrations: readonly ParamMigration[];
  infer(input: InferInput<z.output<S>>): InferOutput;
  /** Stem of new node ids, in the style of the presets: "up" gives g_up, g_up2, …. */
  idStem: string;
  /** Every network this block belongs in must hold it (its start or its end), validation checks how many. */
  requiredInNetwork?: RequiredInNetwork;
  /** A side input many nodes read (noise, class label): laid out beside the chain, not at its head. */
  sideInput?: boolean;
  /** The node learns an attention map and a γ that the training view charts and the explorer probes. */
  attention?: boolean;
  /**
   * The block drawn from catalog parts (residual blocks), given what arrives at its inputs: what opening the block
   * shows, what "Make editable copy" starts from; inner ids are the engine's sub-layer names.
   */
  inside?: { call(params: z.output<S>, inputs: Partial<Record<string, PortValue>>): Subgraph }['call'];
  /** A block type of the document (a composite), not of the catalog: compiled and exported by expanding it. */
  composite?: boolean;
  /** Short tags for the node card when the params' own fields do not say it well ("4×4×256" for a reshape). */
  chips?: OfParams<z.output<S>, string[]>;
}

/** Any block, its params erased: what code that handles every block alike (validation, inspector) sees. */
export type AnyBlock = BlockDefinition;

/**
 * Keeps the params type flowing into ports and inference, and the literal `type`, so the catalog's type names
 * form a union and registries keyed on it know each block's params (see CatalogBlockType, ParamsOf).
 */
export function defineBlock<S extends z.ZodObject, T extends string>(
  def: BlockDefinition<S, T>,
): BlockDefinition<S, T> {
  return def;
}

export function isRequired<P>(port: InputPortSpec<P>, params: P): boolean {
  return typeof port.required === 'function' ? port.required(params) : port.required;
}
