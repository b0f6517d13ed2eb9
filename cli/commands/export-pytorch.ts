import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exportPyTorch, isRunFolder, readRunForExport } from '../../electron/engine/node/pytorch/export-pytorch';
import type { CliIO } from '../io';
import { UsageError } from '../io';
import { documentSource, loadDocument } from '../load-document';

export const exportPyTorchUsage = 'sagan-studio export-pytorch FILE|RUN_DIR|--preset NAME --out DIR';

/** Writes a graph (or a run: its graph and newest weights) as a PyTorch package for torchrun. */
export async function exportPyTorchCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, preset: { type: 'string' } },
  });
  if (!values.out) throw new UsageError('Give --out DIR, the folder to write the PyTorch package to.');
  const out = resolve(values.out);
  const source =
    positionals.length === 1 && values.preset === undefined && (await isRunFolder(resolve(positionals[0]!)))
      ? resolve(positionals[0]!)
      : null;
  let manifest;
  if (source) {
    const run = await readRunForExport(source);
    manifest = await exportPyTorch({ doc: run.doc, out, run: { dir: source, state: run.state } });
  } else {
    const loaded = await loadDocument(documentSource(positionals, values.preset));
    if (!loaded.ok) {
      io.err(loaded.message);
      for (const d of loaded.details) io.err(`  ${d}`);
      return 1;
    }
    manifest = await exportPyTorch({ doc: loaded.doc, out });
  }
  const init = manifest.init
    ? ` with the weights of ${source} at step ${manifest.init.step}${manifest.init.ema ? " (and G's EMA)" : ''} (init.json)`
    : '';
  io.out(`Wrote the PyTorch package of ${manifest.name} to ${out}${init}.`);
  io.out(
    `Train it: cd ${out} && torchrun --standalone --nproc_per_node N train.py --data IMAGE_FOLDER (see README.md).`,
  );
  return 0;
}
