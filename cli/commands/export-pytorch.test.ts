import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPreset } from '../../graph-schemas';
import { compileGraph } from '../../electron/engine/core/compile/compile';
import { readModelWeights } from '../../electron/engine/core/model/weights';
import { planExport } from '../../electron/engine/node/pytorch/plan';
import { torchStateFromEngine } from '../../electron/engine/node/pytorch/state-mapping';
import { perturbNeutralWeights } from '../../electron/engine/node/pytorch/test-fixtures';
import { readLatestCheckpoint, readRunInfo } from '../../electron/engine/node/run/run-folder';
import { writeTensorBundle } from '../../electron/engine/node/tensor-bundle';
import { main } from '../main';
import { captureIO } from '../test-io';
import { selectDefaultBackend } from './export';

/** export-pytorch and import-pytorch as commands: files, refusals, and an import that needs no Python. */
const dir = mkdtempSync(join(tmpdir(), 'sagan-cli-pytorch-'));
const run = async (args: string[]) => {
  const io = captureIO();
  const code = await main(args, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
};

beforeAll(() => selectDefaultBackend());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sagan-studio export-pytorch', () => {
  it('writes the package of a preset and replaces an earlier export, but never a folder of other files', async () => {
    const out = join(dir, 'sagan32');
    const first = await run(['export-pytorch', '--preset', 'sagan-32', '--out', out]);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(
      /Wrote the PyTorch package of SAGAN-32 to .*sagan32\.\nTrain it: cd .* && torchrun --standalone/,
    );
    for (const f of [
      'model.py',
      'config.py',
      'train.py',
      'sample.py',
      'layers.py',
      'data.py',
      'weights.py',
      'tensor_bundle.py',
      'README.md',
      'graph.sagan.json',
      'blocks/self_attention.py',
    ])
      expect(existsSync(join(out, f)), f).toBe(true);
    expect(existsSync(join(out, 'init.json'))).toBe(false);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toMatch(
      /torchrun --standalone --nproc_per_node 8 train\.py --data \/path\/to\/images --out runs\/sagan-32/,
    );
    expect((await run(['export-pytorch', '--preset', 'sagan-mnist', '--out', out])).code).toBe(0);
    expect(readFileSync(join(out, 'config.py'), 'utf8')).toContain('NAME = "SAGAN-MNIST"');

    mkdirSync(join(out, 'runs'));
    const kept = await run(['export-pytorch', '--preset', 'sagan-32', '--out', out]);
    expect(kept.code).toBe(1);
    expect(kept.err).toMatch(/holds an earlier export plus files of yours \(runs\)/);
    const foreign = join(dir, 'mine');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    expect((await run(['export-pytorch', '--preset', 'sagan-32', '--out', foreign])).err).toMatch(
      /already holds other files/,
    );
    expect(readFileSync(join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('explains usage mistakes and bad graphs', async () => {
    expect((await run(['export-pytorch', '--preset', 'sagan-32'])).err).toMatch(/Give --out DIR/);
    const broken = findPreset('sagan-32')!.build();
    broken.generator.nodes.find((n) => n.id === 'g_conv_out')!.params.filters = 1;
    const file = join(dir, 'broken.sagan.json');
    writeFileSync(file, JSON.stringify(broken));
    const r = await run(['export-pytorch', file, '--out', join(dir, 'broken')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/The graph has 1 problem; first \(node "g_out"\)/);
  });
});

describe('sagan-studio import-pytorch', () => {
  const doc = findPreset('sagan-mnist')!.build();
  const graph = join(dir, 'mnist.sagan.json');

  it('makes a run from a training folder (newest weights bundle, metrics up to its step) without Python', async () => {
    writeFileSync(graph, JSON.stringify(doc));
    const gan = compileGraph(doc);
    perturbNeutralWeights(gan, 4);
    const weights = await readModelWeights(gan);
    gan.dispose();
    const { tensors } = torchStateFromEngine(planExport(doc), weights);
    const training = join(dir, 'training');
    for (const step of [5, 7])
      expect(
        (
          await writeTensorBundle(join(training, 'checkpoints', `step-0000000${step}.weights`), tensors, {
            step,
            torch: '2.3.0',
            world_size: 8,
            device: 'cuda',
            dataset: { name: 'digits', size: 60000 },
          })
        ).ok,
      ).toBe(true);
    writeFileSync(
      join(training, 'metrics.jsonl'),
      Array.from({ length: 9 }, (_, i) => JSON.stringify({ step: i + 1, lossD: 1, lossG: 0.5 })).join('\n') +
        '\n{"step": 10, "lo',
    );

    const runDir = join(dir, 'imported');
    const r = await run(['import-pytorch', training, '--graph', graph, '--out', runDir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /Imported SAGAN-MNIST at step 7 from .*step-00000007\.weights\.json into .*imported with 7 logged steps/,
    );
    const info = await readRunInfo(runDir);
    expect(info.backend).toMatchObject({ name: 'pytorch', threads: 8 });
    expect(info.dataset).toEqual({ name: 'digits', size: 60000 });
    const latest = (await readLatestCheckpoint(runDir))!;
    expect(latest.state.step).toBe(7);
    for (const [k, v] of weights) expect(latest.state.tensors.get(k), k).toEqual(v);
    expect(readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(7);
    expect(existsSync(join(runDir, 'samples', 'step-00000007.png'))).toBe(true);

    const again = await run(['import-pytorch', training, '--graph', graph, '--out', runDir]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already holds files; choose a new folder/);
  });

  it('refuses a checkpoint of another graph, naming a tensor, and explains usage mistakes', async () => {
    const other = await run([
      'import-pytorch',
      join(dir, 'training'),
      '--preset',
      'sagan-32',
      '--out',
      join(dir, 'wrong'),
    ]);
    expect(other.code).toBe(1);
    expect(other.err).toMatch(
      /step-00000007\.weights\.json (holds \d+ tensors this graph does not have \([GD]\.|has no tensor ")/,
    );
    expect(existsSync(join(dir, 'wrong'))).toBe(false);
    expect((await run(['import-pytorch', join(dir, 'training'), '--out', join(dir, 'x')])).err).toMatch(
      /Give --graph FILE/,
    );
    expect(
      (await run(['import-pytorch', join(dir, 'nothing-here'), '--graph', graph, '--out', join(dir, 'x')])).err,
    ).toMatch(/nothing-here\.json cannot be read/);
  });
});
