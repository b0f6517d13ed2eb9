import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../../electron/engine/node/data/mnist';
import { encodePng } from '../../electron/engine/node/png';
import { main } from '../main';
import { captureIO } from '../test-io';

const tmp = mkdtempSync(join(tmpdir(), 'sagan-cli-sweep-'));
const data = join(tmp, 'digits');
const out = join(tmp, 'sweep');
const args = [
  'sweep',
  'sagan-mnist',
  '--attention-at',
  'feat8,feat16',
  '--steps',
  '2',
  '--batch',
  '2',
  '--data',
  data,
  '--n',
  '20',
  '--out',
  out,
  '--cache',
  join(tmp, 'cache'),
  '--backend',
  'wasm',
];

/** Four digits of each class as PNG class folders: reference statistics in well under a second. */
beforeAll(async () => {
  const mnist = await loadMnist();
  const one = new Float32Array(32 * 32);
  for (let c = 0; c < 10; c++) {
    mkdirSync(join(data, String(c)), { recursive: true });
    for (let i = 0; i < 4; i++) {
      const index = c * 1000 + i * 37;
      mnist.copyImage(index, one, 0);
      const rgba = new Uint8ClampedArray(32 * 32 * 4);
      one.forEach((v, p) => rgba.set([(v + 1) * 127.5, (v + 1) * 127.5, (v + 1) * 127.5, 255], p * 4));
      writeFileSync(join(data, String(c), `${i}.png`), encodePng({ width: 32, height: 32, rgba }));
    }
  }
});

describe('sagan-studio sweep', () => {
  it('trains sagan-mnist with attention at feat8 and at feat16 and writes the table', async () => {
    const io = captureIO();
    const code = await main(args, io);
    expect(code, io.stderr.join('\n')).toBe(0);
    const md = readFileSync(join(out, 'table.md'), 'utf8');
    expect(md).toMatch(
      /\| Variant \| Attention \| FD \(digit classifier\) ↓ \| KID \(digit classifier\) ↓ \| Class accuracy ↑ \| it\/s \| Parameters \(G \+ D\) \|/,
    );
    expect(md).toMatch(/\| feat8 \| G: g_attention after g_up1; D: d_attention after d_block2 \| (\*\*)?\d+\.\d\d/);
    expect(md).toMatch(/\| feat16 \| G: g_attention after g_up2; D: d_attention after d_block1 \| (\*\*)?\d+\.\d\d/);
    const csv = readFileSync(join(out, 'table.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'variant,placement,step,samples,ema,fd_name,fd,kid,kid_std,accuracy,it_per_s,generator_params,discriminator_params',
    );
    const rows = csv.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => [r[0], r[2], r[3]])).toEqual([
      ['feat8', '2', '20'],
      ['feat16', '2', '20'],
    ]);
    for (const r of rows) {
      expect(Number(r[6])).toBeGreaterThan(0); // FD
      expect(Number(r[10])).toBeGreaterThan(0); // it/s
    }
    // Attention's parameters depend on the channels where it sits: feat8 (64 channels in G) costs more than feat16.
    expect(Number(rows[0]![11])).toBeGreaterThan(Number(rows[1]![11]));
    expect(io.stdout.join('\n')).toMatch(/Tables: .*table\.md and .*table\.csv/);
  }, 120_000);

  it('resumes: a second run with the same arguments keeps what is done', async () => {
    const before = readFileSync(join(out, 'table.csv'), 'utf8');
    const io = captureIO();
    expect(await main(args, io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/Resuming the sweep[\s\S]*feat8: done in an earlier run[\s\S]*feat16: done/);
    expect(readFileSync(join(out, 'table.csv'), 'utf8')).toBe(before);
  });

  it('refuses other settings in the same folder, and a placement the graph does not have', async () => {
    const other = captureIO();
    expect(
      await main(
        args.map((a) => (a === '2' ? '3' : a)),
        other,
      ),
    ).toBe(1);
    expect(other.stderr.join('\n')).toMatch(/holds a sweep started with other settings/);
    const io = captureIO();
    const bad = ['sweep', '--preset', 'sagan-mnist', '--attention-at', 'feat64', '--out', join(tmp, 'bad')];
    expect(await main(bad, io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(
      /feat64: G has no 64×64 feature map for attention \(it has feat4, feat8, feat16, feat32\)/,
    );
  });
});
