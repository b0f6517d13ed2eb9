import * as tf from '@tensorflow/tfjs';
import type { GraphDocument, NetworkName, NodeReport, ValidationReport } from '../../../../graph-schemas';
import { expandComposites, validateGraph } from '../../../../graph-schemas';
import type { AttentionProbe, CompiledGan, SpectralProbe } from './compiled-gan';
import { buildNode } from './node-builders';
import type { BuildContext, SymbolicValue } from './node-builders';
import { ProjectionHead, SelfAttention, SNConv2D, SNDense } from '../layers';

export class CompileError extends Error {
  constructor(
    message: string,
    readonly problems: ValidationReport['problems'],
  ) {
    super(message);
    this.name = 'CompileError';
  }
}

/**
 * Turns a validated document into a generator and a discriminator made of tfjs layers, walking each network
 * in dependency order. Layer names are the node ids (sub-layers `nodeId/part`), so weights stay addressable.
 * Composite blocks are expanded first: the layers of a composite node's inside are named `node/inner`.
 */
export function compileGraph(given: GraphDocument, givenReport: ValidationReport = validateGraph(given)): CompiledGan {
  if (!givenReport.valid) {
    const errors = givenReport.problems.filter((p) => p.severity === 'error');
    throw new CompileError(
      `The graph has ${errors.length} problem${errors.length === 1 ? '' : 's'}; first: ${errors[0]?.message}`,
      errors,
    );
  }
  const doc = expandComposites(given);
  const report = doc === given ? givenReport : validateGraph(doc);
  const attention: AttentionProbe[] = [];
  const spectral: SpectralProbe[] = [];
  const g = compileNetwork(doc, report, 'generator', attention, spectral);
  const d = compileNetwork(doc, report, 'discriminator', attention, spectral);
  return {
    generator: g.model,
    discriminator: d.model,
    zDim: g.mainInputShape[0]!,
    classes: doc.dataset.classes,
    generatorTakesLabel: g.takesLabel,
    discriminatorTakesLabel: d.takesLabel,
    imageShape: [doc.dataset.imageSize, doc.dataset.imageSize, doc.dataset.channels],
    attention,
    spectral,
    dispose: () => {
      g.model.dispose();
      d.model.dispose();
    },
  };
}

function compileNetwork(
  doc: GraphDocument,
  report: ValidationReport,
  network: NetworkName,
  attention: AttentionProbe[],
  spectral: SpectralProbe[],
) {
  const nodes = new Map(report.nodes.filter((n) => n.network === network).map((n) => [n.id, n]));
  const edges = doc[network].edges;
  const values = new Map<string, SymbolicValue>();
  let mainInput: tf.SymbolicTensor | undefined;
  let labelInput: tf.SymbolicTensor | undefined;
  let output: tf.SymbolicTensor | undefined;
  const ctx: BuildContext = {
    network,
    classes: doc.dataset.classes,
    seed: doc.training.seed,
    mainInput: (shape) => (mainInput ??= tf.input({ shape, name: network === 'generator' ? 'z' : 'image' })),
    labelInput: () =>
      (labelInput ??= tf.input({ shape: [1], dtype: 'int32', name: network === 'generator' ? 'g_label' : 'd_label' })),
    setOutput: (t) => {
      output = t;
    },
    addAttention: (probe) => attention.push(probe),
  };
  for (const id of report.order[network]) {
    const node = nodes.get(id) as NodeReport;
    const inputs: Record<string, SymbolicValue> = {};
    for (const e of edges) {
      if (e.target !== id) continue;
      const v = values.get(e.source);
      if (v) inputs[e.targetPort] = v;
    }
    const out = buildNode(node, inputs, ctx);
    if (out) values.set(id, out);
  }
  if (!mainInput || !output) throw new CompileError(`The ${network} has no input or output to compile.`, []);
  const takesLabel = labelInput !== undefined;
  const model = tf.model({
    inputs: takesLabel ? [mainInput, labelInput!] : [mainInput],
    outputs: output,
    name: network,
  });
  // Every spectrally normalised layer (also those inside residual blocks) is named "nodeId" or "nodeId/part".
  for (const layer of model.layers) {
    const sigmas = spectralParts(layer);
    if (sigmas) spectral.push({ nodeId: layer.name.split('/')[0]!, network, layerName: layer.name, sigmas });
  }
  return { model, takesLabel, mainInputShape: mainInput.shape.slice(1) as number[] };
}

/** σ read-outs of a layer's spectrally normalised weights, or null when it has none. */
function spectralParts(layer: tf.layers.Layer): (() => { name: string; sigma: tf.Scalar }[]) | null {
  if ((layer instanceof SNConv2D || layer instanceof SNDense) && layer.spectralNorm)
    return () => [{ name: layer.name, sigma: layer.sigma() }];
  if (layer instanceof SelfAttention && layer.spectralNorm) {
    return () =>
      (['query', 'key', 'value', 'out'] as const).map((p) => ({ name: `${layer.name}/${p}`, sigma: layer.sigma(p) }));
  }
  if (layer instanceof ProjectionHead && layer.spectralNorm) {
    return () => (['linear', 'embedding'] as const).map((p) => ({ name: `${layer.name}/${p}`, sigma: layer.sigma(p) }));
  }
  return null;
}
