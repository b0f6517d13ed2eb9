import type { GraphDocument } from '../document';
import { buildSagan128 } from './sagan-128';
import { buildSagan32 } from './sagan-32';
import { buildSaganMnist } from './sagan-mnist';

export interface PresetInfo {
  name: string;
  title: string;
  /** One line for `sagan-studio presets` and the gallery. */
  summary: string;
  group: 'SAGAN' | 'Baselines' | 'Ablation: attention placement' | 'Small';
  build(): GraphDocument;
}

export const presets: readonly PresetInfo[] = [
  {
    name: 'sagan-32',
    title: 'SAGAN-32',
    group: 'SAGAN',
    summary: 'Class-conditional SAGAN for 32×32 RGB, attention at feat16; identical to the PyTorch reference peer.',
    build: () => buildSagan32({ attention: true }),
  },
  {
    name: 'sagan-128',
    title: 'SAGAN-128',
    group: 'SAGAN',
    summary: 'The official 128×128 ImageNet SAGAN, attention at feat32 in G and D, paper TTUR.',
    build: () => buildSagan128(32),
  },
  {
    name: 'sngan-projection-32',
    title: 'SNGAN-projection-32',
    group: 'Baselines',
    summary: "SAGAN-32 without attention: the paper's SNGAN-projection baseline.",
    build: () => buildSagan32({ attention: false }),
  },
  {
    name: 'sagan-mnist',
    title: 'SAGAN-MNIST',
    group: 'Small',
    summary: 'Small class-conditional SAGAN for 32×32 digits; trains on a CPU in minutes.',
    build: buildSaganMnist,
  },
  ...([8, 16, 32, 64] as const).map((at) => ({
    name: `sagan-128-feat${at}`,
    title: `SAGAN-128 @ feat${at}`,
    group: 'Ablation: attention placement' as const,
    summary: `Paper Table 1 ablation: SAGAN-128 with attention at feat${at} in G and D.`,
    build: () => buildSagan128(at),
  })),
];

export function findPreset(name: string): PresetInfo | undefined {
  return presets.find((p) => p.name === name);
}
