/** One finished variant of an attention-placement sweep, as table.md and table.csv show it. */
export interface SweepRow {
  variant: string;
  /** Where attention sits, e.g. "G: g_attention after g_up1; D: d_attention after d_block2". */
  placement: string;
  step: number;
  samples: number;
  ema: boolean;
  names: { fd: string; kid: string };
  fd: number;
  kid: number;
  kidStd: number;
  accuracy: number | null;
  itPerSec: number | null;
  generatorParams: number;
  discriminatorParams: number;
}

const params = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n);

/** The paper's Table 1 for this sweep: one row per variant, in the order asked for. */
export function sweepMarkdown(title: string, about: string, rows: SweepRow[]): string {
  const names = rows[0]?.names ?? { fd: 'FD', kid: 'KID' };
  const best = rows.length > 1 ? Math.min(...rows.map((r) => r.fd)) : null;
  const lines = [
    `# ${title}`,
    '',
    about,
    '',
    `| Variant | Attention | ${names.fd} ↓ | ${names.kid} ↓ | Class accuracy ↑ | it/s | Parameters (G + D) |`,
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) =>
      [
        '',
        r.variant,
        r.placement,
        r.fd === best ? `**${r.fd.toFixed(2)}**` : r.fd.toFixed(2),
        `${r.kid.toFixed(4)} ± ${r.kidStd.toFixed(4)}`,
        r.accuracy === null ? '–' : `${(100 * r.accuracy).toFixed(1)}%`,
        r.itPerSec === null ? '–' : r.itPerSec.toFixed(2),
        `${params(r.generatorParams)} + ${params(r.discriminatorParams)}`,
        '',
      ]
        .join(' | ')
        .trim(),
    ),
    '',
  ];
  return lines.join('\n');
}

const csvCell = (v: string | number | boolean | null) => {
  const s = v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function sweepCsv(rows: SweepRow[]): string {
  const header = [
    'variant',
    'placement',
    'step',
    'samples',
    'ema',
    'fd_name',
    'fd',
    'kid',
    'kid_std',
    'accuracy',
    'it_per_s',
    'generator_params',
    'discriminator_params',
  ];
  const body = rows.map((r) =>
    [
      r.variant,
      r.placement,
      r.step,
      r.samples,
      r.ema,
      r.names.fd,
      r.fd,
      r.kid,
      r.kidStd,
      r.accuracy,
      r.itPerSec,
      r.generatorParams,
      r.discriminatorParams,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[header.join(','), ...body].join('\n')}\n`;
}
