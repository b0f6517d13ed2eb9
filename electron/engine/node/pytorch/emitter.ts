import type { CatalogBlockType, NodeReport, ParamsOf } from '../../../../graph-schemas';

/**
 * How an engine weight is stored in PyTorch: conv kernels [kh,kw,in,out] ↔ [out,in,kh,kw], dense kernels
 * [in,out] ↔ [out,in], everything else as is. `counter` is a torch-only int64 scalar (BatchNorm's
 * num_batches_tracked, unused with a fixed momentum): written as 0, ignored on import.
 */
export type WeightLayout = 'conv' | 'linear' | 'same' | 'counter';

/** One weight of a node: its name in the engine (after "<nodeId>/") and in the torch module (after "<attr>."). */
export interface WeightLink {
  engine: string | null;
  torch: string;
  layout: WeightLayout;
}

export type PyValue = number | boolean | string;

/** What an emitter sees of one node: its report (shapes) and its params after defaults, typed by its block. */
export interface EmitNode<T extends CatalogBlockType> {
  node: NodeReport;
  config: ParamsOf<T>;
  classes: number;
}

/** A block's Python module, written to blocks/<file>.py under a docstring taken from the catalog. */
export interface PythonBlockModule {
  file: string;
  className: string;
  /** Imports and the class; the class docstring says how it maps to the engine. */
  code: string;
}

/** A graph input: its value is an argument of forward() (z, y or x). */
export interface InputEmitter {
  role: 'input';
  argument: 'z' | 'y' | 'x';
}

/** The network's output: forward() returns what flows into it. */
export interface OutputEmitter {
  role: 'output';
}

/** How the export writes one block type; `emitters` holds one per catalog block, typed by its params. */
export type BlockEmitter<T extends CatalogBlockType> =
  | InputEmitter
  | OutputEmitter
  | {
      role: 'module';
      python: PythonBlockModule;
      /** Constructor keyword arguments for one node, in order. */
      args(n: EmitNode<T>): [string, PyValue][];
      /** Input ports passed to the module's forward, in order; an unconnected one is left out. */
      forwardPorts: readonly string[];
      weights(n: EmitNode<T>): WeightLink[];
    };

/** A node as the export writes it: its emitter applied to its params. */
export type EmittedNode =
  | InputEmitter
  | OutputEmitter
  | {
      role: 'module';
      python: PythonBlockModule;
      args: [string, PyValue][];
      forwardPorts: readonly string[];
      weights: WeightLink[];
    };

/** The channels (feature map) or length (vector) arriving at a port. */
export function inputWidth(node: NodeReport, port = 'in'): number {
  const v = node.inputs[port];
  if (!v || v.kind === 'label')
    throw new Error(`Node "${node.id}" has no shaped input at port "${port}"; validate the graph first.`);
  return v.kind === 'feature' || v.kind === 'image' ? v.shape[2] : v.shape[0];
}

const join = (prefix: string, name: string, sep: string) => (prefix === '' ? name : `${prefix}${sep}${name}`);

/** A conv, dense or embedding weight with optional bias and spectral-norm vector u. */
export function spectralLinks(opts: {
  engine: string;
  torch: string;
  layout: 'conv' | 'linear' | 'same';
  spectralNorm: boolean;
  bias: boolean;
  kernel?: string;
}): WeightLink[] {
  const { engine, torch } = opts;
  const links: WeightLink[] = [
    { engine: join(engine, opts.kernel ?? 'kernel', '/'), torch: join(torch, 'weight', '.'), layout: opts.layout },
  ];
  if (opts.bias) links.push({ engine: join(engine, 'bias', '/'), torch: join(torch, 'bias', '.'), layout: 'same' });
  if (opts.spectralNorm)
    links.push({ engine: join(engine, 'u', '/'), torch: join(torch, 'weight_u', '.'), layout: 'same' });
  return links;
}

/** nn.BatchNorm2d ↔ the engine's BatchNorm layer. */
export function batchNormLinks(engine: string, torch: string): WeightLink[] {
  const t = (name: string) => join(torch, name, '.');
  const e = (name: string) => join(engine, name, '/');
  return [
    { engine: e('gamma'), torch: t('weight'), layout: 'same' },
    { engine: e('beta'), torch: t('bias'), layout: 'same' },
    { engine: e('running_mean'), torch: t('running_mean'), layout: 'same' },
    { engine: e('running_var'), torch: t('running_var'), layout: 'same' },
    { engine: null, torch: t('num_batches_tracked'), layout: 'counter' },
  ];
}

/** layers.ConditionalBatchNorm2d ↔ the engine's ConditionalBatchNorm layer. */
export function conditionalBatchNormLinks(engine: string, torch: string): WeightLink[] {
  const t = (name: string) => join(torch, name, '.');
  const e = (name: string) => join(engine, name, '/');
  return [
    { engine: e('gamma_embedding'), torch: t('gamma.weight'), layout: 'same' },
    { engine: e('beta_embedding'), torch: t('beta.weight'), layout: 'same' },
    { engine: e('running_mean'), torch: t('bn.running_mean'), layout: 'same' },
    { engine: e('running_var'), torch: t('bn.running_var'), layout: 'same' },
    { engine: null, torch: t('bn.num_batches_tracked'), layout: 'counter' },
  ];
}

/** The norm of residual block k: the engine's `<cbn|bn>k` sub-layer ↔ torch `normk` (nothing for "none"). */
export function blockNormLinks(norm: ParamsOf<'ResBlock'>['norm'], k: number): WeightLink[] {
  if (norm === 'cbn') return conditionalBatchNormLinks(`cbn${k}`, `norm${k}`);
  if (norm === 'bn') return batchNormLinks(`bn${k}`, `norm${k}`);
  return [];
}

/** Conv sub-layer `name` of a block (same name on both sides). */
export function convLinks(name: string, config: { spectralNorm: boolean; bias: boolean }): WeightLink[] {
  return spectralLinks({
    engine: name,
    torch: name,
    layout: 'conv',
    spectralNorm: config.spectralNorm,
    bias: config.bias,
  });
}
