import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main';
import { captureIO } from '../test-io';

const tmp = mkdtempSync(join(tmpdir(), 'sagan-cli-metrics-'));
const run = join(tmp, 'run');
const cache = join(tmp, 'cache');

beforeAll(async () => {
  const io = captureIO();
  const code = await main(
    ['train', '--preset', 'sagan-mnist', '--data', 'mnist', '--steps', '2', '--batch', '4', '--out', run],
    io,
  );
  if (code !== 0) throw new Error(io.stderr.join('\n'));
}, 300_000);

describe('sagan-studio metrics', () => {
  it('measures a run with the digit classifier, then reads the reference statistics from the cache', async () => {
    const first = captureIO();
    expect(await main(['metrics', run, '--n', '60', '--cache', cache], first)).toBe(0);
    expect(first.stdout.join('\n')).toMatch(
      /at step 2: 60 samples against MNIST[\s\S]*FD \(digit classifier\): \d+\.\d{3}[\s\S]*KID \(digit classifier\)[\s\S]*class accuracy/,
    );
    expect(first.stderr.join('\n')).toMatch(/Reference statistics of MNIST .*10000\/10000 images/);
    const again = captureIO();
    expect(await main(['metrics', run, '--n', '60', '--cache', cache, '--json'], again)).toBe(0);
    expect(again.stderr).toEqual([]); // cached: nothing recomputed
    const r = JSON.parse(again.stdout.join('')) as Record<string, unknown>;
    expect(r).toMatchObject({ kind: 'run', step: 2, samples: 60, network: 'digit-classifier-v1' });
    expect(r.fd).toBeGreaterThan(0);
    expect(r.accuracy).toBeGreaterThanOrEqual(0);
    expect(r.fd).toBe(JSON.parse(JSON.stringify(r)).fd); // finite, JSON-safe
  }, 300_000);

  it('names the checkpoints it has when asked for one it does not', async () => {
    const io = captureIO();
    expect(await main(['metrics', run, '--checkpoint', '1', '--cache', cache], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/has no checkpoint at step 1; it keeps steps 0, 2/);
  });
});
