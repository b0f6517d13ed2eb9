import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { LatentViewChoice, NoiseRefChoice } from '../../graph-schemas';
import { LatentViewSchema } from '../../graph-schemas';
import type { CliIO } from '../io';
import { UsageError } from '../io';
import { selectDefaultBackend } from './export';

export const latentUsage =
  'sagan-studio latent RUN_OR_EXPORT_DIR [--step N] [--seed S] [--cols 8] [--classes 0,1,…] [--truncation T] --out FILE.png [--scale 1]\n' +
  '       sagan-studio latent DIR --from SEED:COL --to SEED:COL [--class K] [--frames 8] [--mode spherical|linear] [--truncation T] --out FILE.png';

/**
 * The latent explorer without the app: a class × noise grid (column c is the noise of seed S, column c, in every
 * class row) or, with --from and --to, an interpolation strip, from a run's checkpoint (EMA weights when kept) or an
 * export, as one PNG. --truncation T resamples noise components beyond |z| ≤ T (BigGAN's truncation trick).
 */
export async function latentCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      step: { type: 'string' },
      seed: { type: 'string', default: '0' },
      cols: { type: 'string', default: '8' },
      classes: { type: 'string' },
      truncation: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      class: { type: 'string', default: '0' },
      frames: { type: 'string', default: '8' },
      mode: { type: 'string', default: 'spherical' },
      scale: { type: 'string', default: '1' },
      out: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('Give one RUN_OR_EXPORT_DIR (a run folder or an export folder).');
  if (!values.out) throw new UsageError('Give --out FILE.png.');
  if ((values.from === undefined) !== (values.to === undefined))
    throw new UsageError('An interpolation needs both --from SEED:COL and --to SEED:COL.');
  const truncation = values.truncation === undefined ? null : Number(values.truncation);
  const raw =
    values.from !== undefined
      ? {
          kind: 'strip',
          from: noiseRef('--from', values.from),
          to: noiseRef('--to', values.to!),
          classIndex: Number(values.class),
          frames: Number(values.frames),
          mode: values.mode,
          truncation,
        }
      : {
          kind: 'grid',
          seed: Number(values.seed),
          cols: Number(values.cols),
          ...(values.classes !== undefined ? { classes: values.classes.split(',').map(Number) } : {}),
          truncation,
        };
  const view = LatentViewSchema.safeParse(raw);
  if (!view.success) {
    const issue = view.error.issues[0]!;
    const option = issue.path[0] === 'classIndex' ? 'class' : String(issue.path[0] ?? '');
    throw new UsageError(`--${option}: ${issue.message}.`);
  }
  const scale = Number(values.scale);
  if (!Number.isInteger(scale) || scale < 1 || scale > 16) throw new UsageError('--scale must be from 1 to 16.');
  let step: number | undefined;
  if (values.step !== undefined) {
    step = Number(values.step);
    if (!Number.isInteger(step) || step < 0) throw new UsageError('--step must be a whole number ≥ 0.');
  }
  await selectDefaultBackend();
  const { LatentExplorer } = await import('../../electron/engine/node/latent/latent-explorer');
  const explorer = new LatentExplorer();
  try {
    const dir = resolve(positionals[0]!);
    const saved = await explorer.save(
      { dir, ...(step !== undefined ? { step } : {}) },
      view.data as LatentViewChoice,
      resolve(values.out),
      scale,
    );
    const m = saved.model;
    io.out(
      `Wrote ${describe(view.data as LatentViewChoice)} of ${m.name} at step ${m.step} (${m.usesEma ? 'EMA weights' : 'G as trained'}) to ${saved.path}.`,
    );
    return 0;
  } finally {
    explorer.dispose();
  }
}

function noiseRef(option: string, text: string): NoiseRefChoice {
  const match = /^(\d+):(\d+)$/.exec(text);
  if (!match) throw new UsageError(`${option} is SEED:COLUMN (e.g. 3:0), got "${text}".`);
  return { seed: Number(match[1]), column: Number(match[2]) };
}

function describe(view: LatentViewChoice): string {
  const cut = view.truncation === null ? '' : `, truncated at |z| ≤ ${view.truncation}`;
  if (view.kind === 'grid') return `a grid of seed ${view.seed} (${view.cols} columns${cut})`;
  if (view.kind === 'strip')
    return `${view.frames} frames from ${view.from.seed}:${view.from.column} to ${view.to.seed}:${view.to.column} (${view.mode}, class ${view.classIndex}${cut})`;
  return `an image`;
}
