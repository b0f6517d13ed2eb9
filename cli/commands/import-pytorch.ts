import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importPyTorchCheckpoint } from '../../electron/engine/node/pytorch/import-pytorch';
import type { CliIO } from '../io';
import { UsageError } from '../io';
import { documentSource, loadDocument } from '../load-document';
import { selectDefaultBackend } from './export';

export const importPyTorchUsage = 'sagan-studio import-pytorch CHECKPOINT --graph FILE|--preset NAME --out RUN_DIR';

/** Turns a checkpoint of the exported PyTorch package (weights bundle, .pt, or training folder) into a run. */
export async function importPyTorchCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { graph: { type: 'string' }, preset: { type: 'string' }, out: { type: 'string' } },
  });
  if (positionals.length !== 1)
    throw new UsageError(
      'Give one CHECKPOINT: step-N.weights.json (or .pt) written by the exported train.py, or its output folder.',
    );
  if (!values.out) throw new UsageError('Give --out RUN_DIR, a new folder for the run.');
  if (values.graph === undefined && values.preset === undefined)
    throw new UsageError(
      'Give --graph FILE, the graph the checkpoint was trained from (graph.sagan.json in the exported package).',
    );
  const loaded = await loadDocument(documentSource(values.graph === undefined ? [] : [values.graph], values.preset));
  if (!loaded.ok) {
    io.err(loaded.message);
    for (const d of loaded.details) io.err(`  ${d}`);
    return 1;
  }
  await selectDefaultBackend();
  const r = await importPyTorchCheckpoint({
    checkpoint: resolve(positionals[0]!),
    doc: loaded.doc,
    out: resolve(values.out),
  });
  io.out(
    `Imported ${loaded.doc.name} at step ${r.step}${r.ema ? " (with G's EMA)" : ''} from ${r.checkpoint} into ${r.runDir}${r.metrics ? ` with ${r.metrics} logged steps` : ''}${r.samples ? ` and ${r.samples} sample grid${r.samples === 1 ? '' : 's'} from the training` : ''}; sample grid ${r.sample}.`,
  );
  io.out(
    `Open it in SAGAN Studio's run list, continue it with sagan-studio train --resume ${r.runDir}, or sagan-studio export ${r.runDir} --out DIR.`,
  );
  return 0;
}
