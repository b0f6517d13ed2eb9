import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exportRun } from '../../electron/engine/node/export/export-run';
import type { CliIO } from '../io';
import { UsageError } from '../io';

export const exportUsage = 'sagan-studio export RUN_DIR --out DIR';

export async function exportCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' } } });
  if (positionals.length !== 1) throw new UsageError('Give one RUN_DIR (a folder made by sagan-studio train).');
  if (!values.out) throw new UsageError('Give --out DIR, the folder to write the exported model to.');
  await selectDefaultBackend();
  const manifest = await exportRun(resolve(positionals[0]!), resolve(values.out));
  io.out(
    `Exported ${manifest.name} at step ${manifest.step} to ${resolve(values.out)} (generator, discriminator, sagan-layers.js, samples.png, README.md).`,
  );
  return 0;
}

/** Export and sampling are small jobs: the fastest installed backend, without threads. */
export async function selectDefaultBackend() {
  const { selectBackend } = await import('../../electron/engine/node/backend');
  return selectBackend({ requested: 'auto', threads: 1 });
}
