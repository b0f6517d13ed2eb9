import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyMnistDoc } from '../../electron/engine/node/run/test-fixtures';
import { decodePng } from '../../electron/engine/node/png';
import { main } from '../main';
import { captureIO } from '../test-io';

const tmp = mkdtempSync(join(tmpdir(), 'sagan-cli-latent-'));
const run = join(tmp, 'run');

beforeAll(async () => {
  const doc = join(tmp, 'tiny.sagan.json');
  writeFileSync(doc, JSON.stringify(tinyMnistDoc({ steps: 2, checkpointEvery: 2 })));
  const io = captureIO();
  const code = await main(['train', doc, '--out', run, '--backend', 'wasm', '--threads', '1'], io);
  if (code !== 0) throw new Error(io.stderr.join('\n'));
}, 300_000);

describe('sagan-studio latent', () => {
  it('writes a class × noise grid, and a truncated interpolation strip, as PNG', async () => {
    const grid = captureIO();
    const out = join(tmp, 'grid.png');
    expect(await main(['latent', run, '--seed', '3', '--cols', '4', '--classes', '1,7', '--out', out], grid)).toBe(0);
    expect(grid.stdout.join('')).toMatch(/Wrote a grid of seed 3 \(4 columns\) of Tiny MNIST test model at step 2/);
    expect(decodePng(readFileSync(out))).toMatchObject({ width: 4 * 32 + 5 * 2, height: 2 * 32 + 3 * 2 });

    const strip = captureIO();
    const file = join(tmp, 'strip.png');
    const args = ['latent', run, '--from', '3:0', '--to', '9:2', '--class', '5', '--frames', '5', '--mode', 'linear'];
    expect(await main([...args, '--truncation', '0.8', '--scale', '2', '--out', file], strip)).toBe(0);
    expect(strip.stdout.join('')).toMatch(/5 frames from 3:0 to 9:2 \(linear, class 5, truncated at \|z\| ≤ 0.8\)/);
    expect(decodePng(readFileSync(file)).width).toBe((5 * 32 + 6 * 2) * 2);
  });

  it('says what is wrong with its input', async () => {
    const half = captureIO();
    expect(await main(['latent', run, '--from', '1:0', '--out', join(tmp, 'x.png')], half)).toBe(2);
    expect(half.stderr.join('')).toMatch(/needs both --from SEED:COL and --to SEED:COL/);
    const range = captureIO();
    expect(await main(['latent', run, '--classes', '3,10', '--out', join(tmp, 'x.png')], range)).toBe(1);
    expect(range.stderr.join('')).toMatch(/Class 10 is out of range: Tiny MNIST test model has 10 classes \(0–9\)/);
    const step = captureIO();
    expect(await main(['latent', run, '--step', '1', '--out', join(tmp, 'x.png')], step)).toBe(1);
    expect(step.stderr.join('')).toMatch(/no checkpoint at step 1; it keeps steps 0, 2/);
    const trunc = captureIO();
    expect(await main(['latent', run, '--truncation', '0', '--out', join(tmp, 'x.png')], trunc)).toBe(2);
    expect(trunc.stderr.join('')).toMatch(/--truncation: /);
    const help = captureIO();
    expect(await main(['latent', '--help'], help)).toBe(0);
    expect(help.stdout.join('')).toMatch(/sagan-studio latent RUN_OR_EXPORT_DIR/);
  });
});
