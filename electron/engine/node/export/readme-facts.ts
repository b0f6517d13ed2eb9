import type { GraphDocument, ValidationReport } from '../../../../graph-schemas';

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * The training settings as a Markdown table for an export's README: steps trained (null: none yet, the weights
 * are fresh), batch, loss, both optimizers, EMA and seed.
 */
export function trainingSettingsTable(doc: GraphDocument, stepsTrained: number | null): string {
  const t = doc.training;
  const adam = (o: GraphDocument['training']['generatorOptimizer']) => `Adam, lr ${o.lr}, β1 ${o.beta1}, β2 ${o.beta2}`;
  const rows: [string, string][] = [
    [
      'steps trained',
      stepsTrained === null
        ? `none yet (the document asks for ${fmt(t.steps)})`
        : `${fmt(stepsTrained)} of ${fmt(t.steps)}`,
    ],
    ['batch', String(t.batchSize)],
    ['loss', `${t.objective}, ${t.dStepsPerGStep} D step${t.dStepsPerGStep === 1 ? '' : 's'} per G step`],
    ['generator optimizer', adam(t.generatorOptimizer)],
    ['discriminator optimizer', adam(t.discriminatorOptimizer)],
    ['EMA of G', t.ema.enabled ? `decay ${t.ema.decay} from step ${fmt(t.ema.startStep)}` : 'off'],
    ['seed', String(t.seed)],
  ];
  return ['| setting | value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

export interface AttentionSite {
  network: 'generator' | 'discriminator';
  nodeId: string;
  /** The feature map it attends over, [H, W, C]; null when its shape is unknown. */
  shape: number[] | null;
}

/** Every self-attention node of the graph (those inside composite blocks too), G's first, each in network order. */
export function attentionSites(report: ValidationReport): AttentionSite[] {
  const sites: AttentionSite[] = [];
  for (const network of ['generator', 'discriminator'] as const) {
    const byId = new Map(report.nodes.filter((n) => n.network === network).map((n) => [n.id, n]));
    const order = [...report.order[network], ...[...byId.keys()].filter((id) => !report.order[network].includes(id))];
    for (const id of order) {
      const node = byId.get(id);
      if (node?.type === 'SelfAttention') sites.push({ network, nodeId: id, shape: node.outputShape });
    }
  }
  return sites;
}

/** Where attention sits, as a Markdown table (or a sentence when the graph has none). */
export function attentionTable(report: ValidationReport): string {
  const sites = attentionSites(report);
  if (sites.length === 0) return 'This graph has no self-attention block.';
  return [
    '| network | node | feature map [H, W, C] | attends over |',
    '| --- | --- | --- | --- |',
    ...sites.map((s) => {
      const [h, w] = s.shape ?? [];
      const over =
        h !== undefined && w !== undefined ? `${h}×${w} = ${fmt(h * w)} positions${h === w ? ` (feat${h})` : ''}` : '';
      return `| ${s.network} | \`${s.nodeId}\` | ${s.shape ? `[${s.shape.join(', ')}]` : 'unknown'} | ${over} |`;
    }),
  ].join('\n');
}
