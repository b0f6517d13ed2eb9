import { parseArgs } from 'node:util';
import { formatShape, getBlock, validateGraph } from '../../graph-schemas';
import type { CliIO } from '../io';
import { documentSource, loadDocument } from '../load-document';

export const validateUsage = 'sagan-studio validate FILE|--preset NAME [--json]';

export async function validateCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { preset: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const loaded = await loadDocument(documentSource(positionals, values.preset));
  if (!loaded.ok) {
    if (values.json) {
      io.out(
        JSON.stringify(
          {
            valid: false,
            problems: [
              { nodeId: null, message: loaded.message },
              ...loaded.details.map((d) => ({ nodeId: null, message: d })),
            ],
            nodes: [],
            totals: null,
          },
          null,
          2,
        ),
      );
    } else {
      io.err(loaded.message);
      for (const d of loaded.details) io.err(`  ${d}`);
    }
    return 1;
  }
  const report = validateGraph(loaded.doc);
  const errors = report.problems.filter((p) => p.severity === 'error');
  if (values.json) {
    io.out(
      JSON.stringify(
        {
          valid: report.valid,
          problems: report.problems.map((p) => ({
            nodeId: p.nodeId ?? null,
            ...(p.port ? { port: p.port } : {}),
            ...(p.param ? { param: p.param } : {}),
            network: p.network ?? null,
            ...(p.insideOf ? { insideOf: p.insideOf } : {}),
            ...(p.block ? { block: p.block } : {}),
            severity: p.severity,
            message: p.message,
          })),
          nodes: report.nodes.map((n) => ({
            id: n.id,
            network: n.network,
            type: n.type,
            outputShape: n.outputShape,
            ...(n.resolution ? { resolution: n.resolution } : {}),
            params: n.params,
            ...(n.insideOf ? { insideOf: n.insideOf } : {}),
          })),
          totals: report.totals,
        },
        null,
        2,
      ),
    );
    return report.valid ? 0 : 1;
  }
  for (const note of loaded.notes) io.out(`note: ${note}`);
  io.out(`${loaded.doc.name}`);
  for (const network of ['generator', 'discriminator'] as const) {
    const rows = report.nodes.filter((n) => n.network === network);
    io.out('');
    io.out(network === 'generator' ? 'Generator' : 'Discriminator');
    const idW = Math.max(4, ...rows.map((r) => r.id.length));
    const typeW = Math.max(4, ...rows.map((r) => r.type.length));
    for (const n of rows) {
      const out = n.outputs.out
        ? formatShape(n.outputs.out)
        : getBlock(n.type)?.outputs.length === 0
          ? '(output)'
          : '?';
      io.out(
        `  ${n.id.padEnd(idW)}  ${n.type.padEnd(typeW)}  ${out.padEnd(16)} ${(n.resolution ?? '').padEnd(7)} ${n.params.toLocaleString('en-US').padStart(11)}`,
      );
    }
  }
  io.out('');
  io.out(
    `Parameters: G ${report.totals.generatorParams.toLocaleString('en-US')}, D ${report.totals.discriminatorParams.toLocaleString('en-US')}`,
  );
  for (const p of report.problems) {
    const where = [p.network, p.nodeId, p.port && `port ${p.port}`].filter(Boolean).join(' / ');
    (p.severity === 'error' ? io.err : io.out)(`${p.severity}: ${where ? `[${where}] ` : ''}${p.message}`);
  }
  io.out(report.valid ? 'valid' : `invalid: ${errors.length} error${errors.length === 1 ? '' : 's'}`);
  return report.valid ? 0 : 1;
}
