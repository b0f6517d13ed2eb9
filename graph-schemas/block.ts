import type { z } from 'zod';
import type { PortKind, PortValue } from './ports';

export type NetworkRole = 'generator' | 'discriminator';

export type BlockCategory =
  | 'Inputs'
  | 'Dense'
  | 'Convolution'
  | 'Residual'
  | 'Attention'
  | 'Normalization'
  | 'Activation'
  | 'Resampling'
  | 'Heads'
  | 'Outputs';

export interface InputPortSpec<P> {
  name: string;
  accepts: readonly PortKind[];
  /** Whether the block cannot work without this input; may depend on params (CBN needs its label). */
  required: boolean | ((params: P) => boolean);
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
}

/** A migration of one block's params from `from` to `from + 1`. Never edit a shipped one; add the next. */
export interface ParamMigration {
  from: number;
  description: string;
  migrate(params: Record<string, unknown>): Record<string, unknown>;
}

export interface BlockDefinition<S extends z.ZodObject = z.ZodObject> {
  type: string;
  /** Version of the params schema; nodes saved with an older one are migrated on load. */
  version: number;
  title: string;
  category: BlockCategory;
  description: string;
  networks: readonly NetworkRole[];
  params: S;
  inputs: readonly InputPortSpec<z.output<S>>[];
  outputs: readonly OutputPortSpec[];
  migrations: readonly ParamMigration[];
  infer(input: InferInput<z.output<S>>): InferOutput;
}

/** Identity helper that keeps the params type flowing into ports and inference. */
/** Keeps the literal `type`, so the catalog's type names form a union (see CatalogBlockType). */
export function defineBlock<S extends z.ZodObject, T extends string>(
  def: BlockDefinition<S> & { type: T },
): BlockDefinition<S> & { type: T } {
  return def;
}

export function isRequired<P>(port: InputPortSpec<P>, params: P): boolean {
  return typeof port.required === 'function' ? port.required(params) : port.required;
}
