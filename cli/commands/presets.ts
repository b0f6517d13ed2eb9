import { presets } from '../../graph-schemas';
import type { CliIO } from '../io';

export function presetsCommand(_args: string[], io: CliIO): number {
  const width = Math.max(...presets.map((p) => p.name.length));
  for (const p of presets) io.out(`${p.name.padEnd(width)}  ${p.summary}`);
  return 0;
}
