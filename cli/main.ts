import { metricsCommand, metricsUsage } from './commands/metrics';
import { presetsCommand } from './commands/presets';
import { exportCommand, exportUsage } from './commands/export';
import { exportPyTorchCommand, exportPyTorchUsage } from './commands/export-pytorch';
import { importPyTorchCommand, importPyTorchUsage } from './commands/import-pytorch';
import { latentCommand, latentUsage } from './commands/latent';
import { sampleCommand, sampleUsage } from './commands/sample';
import { serveCommand, serveUsage } from './commands/serve';
import { sweepCommand, sweepUsage } from './commands/sweep';
import { trainCommand, trainUsage } from './commands/train';
import { validateCommand, validateUsage } from './commands/validate';
import type { CliIO } from './io';
import { processIO, UsageError } from './io';

type Command = { usage: string; summary: string; run(args: string[], io: CliIO): number | Promise<number> };

export const commands: Record<string, Command> = {
  presets: { usage: 'sagan-studio presets', summary: 'list the shipped presets', run: presetsCommand },
  validate: {
    usage: validateUsage,
    summary: "print every node's output shape and the parameter counts; exit 1 on problems",
    run: validateCommand,
  },
  export: {
    usage: exportUsage,
    summary: "write a run's newest checkpoint as a tfjs model folder with the layers module, samples and a README",
    run: exportCommand,
  },
  'export-pytorch': {
    usage: exportPyTorchUsage,
    summary:
      'write a graph (or a run with its newest weights) as a PyTorch package: modules, train.py for torchrun/DDP, README',
    run: exportPyTorchCommand,
  },
  'import-pytorch': {
    usage: importPyTorchUsage,
    summary: 'turn a checkpoint trained with that package back into a run the app, export and sample open',
    run: importPyTorchCommand,
  },
  latent: {
    usage: latentUsage,
    summary:
      "draw a class × noise grid or an interpolation strip (linear or spherical, optionally truncated) from a run's checkpoint or an export as PNG",
    run: latentCommand,
  },
  metrics: {
    usage: metricsUsage,
    summary:
      "measure a run's checkpoint or an export: FD and KID (digit classifier for digits, FID's Inception-v3 for colour), class accuracy",
    run: metricsCommand,
  },
  sample: { usage: sampleUsage, summary: 'generate a sample grid PNG from an exported model', run: sampleCommand },
  serve: {
    usage: serveUsage,
    summary: 'open the editor in a browser: serve it and its API on 127.0.0.1 with a secret token, until Ctrl-C',
    run: serveCommand,
  },
  sweep: {
    usage: sweepUsage,
    summary:
      "train one variant per attention placement (same seed, data, steps), one after another and resumable, and write the paper's Table 1 for them (table.md, table.csv)",
    run: sweepCommand,
  },
  train: {
    usage: trainUsage,
    summary: 'train a graph on MNIST or an image folder; Ctrl-C checkpoints and stops; --resume continues a run',
    run: trainCommand,
  },
};

export function usage(): string {
  const lines = ['SAGAN Studio — compose, train and inspect self-attention GANs.', '', 'Usage:'];
  for (const c of Object.values(commands)) lines.push(`  ${c.usage}`, `      ${c.summary}`);
  return lines.join('\n');
}

/** One command's help: what it does and its usage line(s). */
export function commandHelp(name: string, command: Command): string {
  return `sagan-studio ${name}: ${command.summary}.\n\nUsage: ${command.usage}`;
}

/** Runs one CLI command and returns its exit code; never lets an exception escape as a stack trace. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  // `sagan-studio help train` is `sagan-studio train --help`.
  if (name === 'help' && rest[0] && commands[rest[0]]) return main([rest[0], '--help'], io);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(name, command));
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (
      e instanceof UsageError ||
      (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      io.err(`${e.message}\nUsage: ${command.usage}`);
      return 2;
    }
    io.err(`sagan-studio ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    if (process.env.SAGAN_DEBUG) io.err(e instanceof Error ? (e.stack ?? '') : '');
    return 1;
  }
}
