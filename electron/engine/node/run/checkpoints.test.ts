import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpointNear, readLatestCheckpoint, resumePoint, writeCheckpoint } from './run-folder';

const tmp = mkdtempSync(join(tmpdir(), 'sagan-checkpoints-'));

/** A run folder with checkpoints at `steps` (small real tensor bundles) and a metrics line per step up to `logged`. */
async function runWithCheckpoints(name: string, steps: number[], logged: number): Promise<string> {
  const dir = join(tmp, name);
  mkdirSync(join(dir, 'checkpoints'), { recursive: true });
  for (const step of steps)
    await writeCheckpoint(dir, {
      step,
      rng: { seed: step },
      data: null,
      tensors: new Map([['g/w', { shape: [2, 2], data: Float32Array.of(step, 1, 2, 3) }]]),
    });
  const lines = Array.from({ length: logged }, (_, i) => JSON.stringify({ step: i + 1, lossD: 1 }));
  writeFileSync(join(dir, 'metrics.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}
const file = (dir: string, name: string) => join(dir, 'checkpoints', name);

describe('checkpoints carry checksums; resume takes the newest intact one', () => {
  it('a truncated newest state file: resume names it, sets it aside and takes the one before', async () => {
    const dir = await runWithCheckpoints('truncated', [3, 6, 9], 11);
    const state = file(dir, 'step-00000009.state.json');
    writeFileSync(state, readFileSync(state, 'utf8').slice(0, 50));
    const point = await resumePoint(dir);
    expect(point.state?.step).toBe(6);
    expect(point.path).toBe(file(dir, 'step-00000006'));
    expect(point.notices[0]).toMatch(
      /^Skipped the checkpoint at step 9: step-00000009\.state\.json is unreadable or not valid JSON \(.*\)\. Its files were renamed to \*\.damaged; resuming from step 6\.$/,
    );
    expect(
      readdirSync(join(dir, 'checkpoints'))
        .filter((f) => f.includes('00000009'))
        .sort(),
    ).toEqual([
      'step-00000009.state.json.damaged',
      'step-00000009.weights.bin.damaged',
      'step-00000009.weights.json.damaged',
    ]);
    // metrics.jsonl is cut back to step 6; what was cut is kept beside it.
    expect(point.notices[1]).toMatch(
      /^metrics\.jsonl had 5 lines after step 6, from before the resume; moved to .*metrics\.cut-after-step-6-.*\.jsonl so that no step appears twice\.$/,
    );
    const steps = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { step: number }).step);
    expect(steps(readFileSync(join(dir, 'metrics.jsonl'), 'utf8'))).toEqual([1, 2, 3, 4, 5, 6]);
    const cut = readdirSync(dir).find((f) => f.startsWith('metrics.cut-after-step-6-'))!;
    expect(steps(readFileSync(join(dir, cut), 'utf8'))).toEqual([7, 8, 9, 10, 11]);
  });

  it('a weights file damaged on disk (same size, one byte changed) fails its checksum and is skipped', async () => {
    const dir = await runWithCheckpoints('bitrot', [3, 6], 6);
    const weights = file(dir, 'step-00000006.weights.bin');
    const bytes = readFileSync(weights);
    bytes[5]! ^= 0x40;
    writeFileSync(weights, bytes);
    const latest = await readLatestCheckpoint(dir);
    expect(latest?.state.step).toBe(3);
    expect(latest?.skipped).toEqual([
      {
        step: 6,
        files: ['.state.json', '.weights.bin', '.weights.json'].map((e) => file(dir, `step-00000006${e}`)),
        reason: `step-00000006.weights.bin does not match its checksum (${bytes.length} bytes, ${bytes.length} written): it was damaged on disk`,
      },
    ]);
    expect(Array.from(latest!.state.tensors.get('g/w')!.data)).toEqual([3, 1, 2, 3]);
  });

  it('with none intact, resume refuses and names every file and fault; nothing is changed', async () => {
    const dir = await runWithCheckpoints('ruined', [3, 6], 8);
    writeFileSync(file(dir, 'step-00000006.state.json'), '{"step": ');
    writeFileSync(file(dir, 'step-00000003.weights.json'), '');
    const metricsBefore = readFileSync(join(dir, 'metrics.jsonl'), 'utf8');
    await expect(resumePoint(dir)).rejects.toThrow(
      new RegExp(
        `^None of the 2 checkpoints in ${join(dir, 'checkpoints')} is intact, so the run cannot resume: step 6: step-00000006\\.state\\.json is unreadable or not valid JSON .*; step 3: step-00000003\\.weights\\.json does not match its checksum .*\\. Nothing was changed; restore the checkpoints from a backup, or start a new run\\.$`,
      ),
    );
    expect(readFileSync(join(dir, 'metrics.jsonl'), 'utf8')).toBe(metricsBefore);
    expect(existsSync(file(dir, 'step-00000006.state.json'))).toBe(true);
  });

  it('a run without any checkpoint resumes from step 0 with its metrics cut to nothing', async () => {
    const dir = await runWithCheckpoints('empty', [], 2);
    const point = await resumePoint(dir);
    expect(point).toMatchObject({ state: null, path: null });
    expect(readFileSync(join(dir, 'metrics.jsonl'), 'utf8')).toBe('');
  });
});

describe('the checkpoint for a scrubbed-back sample grid', () => {
  it('is the nearest at or before its step, else the oldest kept after it; a damaged one is passed over', async () => {
    // writeCheckpoint keeps the newest 3: 30, 40, 50.
    const dir = await runWithCheckpoints('near', [10, 20, 30, 40, 50], 50);
    const near = async (step: number) => (await readCheckpointNear(dir, step))?.state.step;
    expect(await near(40)).toBe(40);
    expect(await near(47)).toBe(40);
    expect(await near(1000)).toBe(50);
    expect(await near(12)).toBe(30); // 10 and 20 are pruned: the oldest kept
    writeFileSync(file(dir, 'step-00000040.weights.bin'), 'damaged');
    expect(await near(47)).toBe(30);
    expect((await readCheckpointNear(dir, 47))!.state.tensors.get('g/w')!.data[0]).toBe(30);
  });

  it('is null for a run without checkpoints', async () => {
    expect(await readCheckpointNear(await runWithCheckpoints('none', [], 3), 3)).toBeNull();
  });
});
