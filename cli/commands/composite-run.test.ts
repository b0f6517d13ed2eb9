import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../graph-schemas';
import { makeEditableCopy, parseGraphJson, validateGraph } from '../../graph-schemas';
import '../../electron/engine/core/layers';
import { loadModelFiles } from '../../electron/engine/node/export/model-files';
import { tinyMnistDoc } from '../../electron/engine/node/run/test-fixtures';

/*
 * An "attention residual block" drawn from parts (a residual block up with self-attention after its sum), a
 * composite block of the document used twice in tiny sagan-mnist's generator: trained with the real CLI, reloaded
 * from the run, exported for tfjs (which loads) and for PyTorch (one module for the block type).
 */
const tmp = mkdtempSync(join(tmpdir(), 'sagan-composite-'));
const bin = join(import.meta.dirname, '../../bin/sagan-studio.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });

function attentionResidualDocument(): GraphDocument {
  const made = makeEditableCopy(tinyMnistDoc({ steps: 3, sampleEvery: 3, checkpointEvery: 3 }), 'generator', 'g_up2')!;
  const def = made.doc.blocks[0]!;
  Object.assign(def, { type: 'AttentionResidual', title: 'Attention residual block' });
  def.nodes.push({ id: 'attention', type: 'SelfAttention', version: 1, params: { variant: 'official', keys: 'full' } });
  const out = def.edges.find((e) => e.target === '$out')!;
  def.edges.push({ source: 'attention', sourcePort: 'out', target: '$out', targetPort: 'out' });
  Object.assign(out, { target: 'attention', targetPort: 'in', id: 'add.out->attention.in' });
  for (const node of made.doc.generator.nodes)
    if (node.id === 'g_up2' || node.id === 'g_up3')
      Object.assign(node, { type: 'AttentionResidual', params: { outChannels: 8 } });
  return made.doc;
}

describe('an attention residual block drawn from parts, used twice', () => {
  it('validates, trains a few steps, reloads from the run, and exports for tfjs and PyTorch', async () => {
    const doc = attentionResidualDocument();
    const report = validateGraph(doc);
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.nodes.find((n) => n.id === 'g_up3/attention')).toMatchObject({ outputShape: [32, 32, 8] });
    const file = join(tmp, 'attention-residual.sagan.json');
    writeFileSync(file, JSON.stringify(doc));

    const run = join(tmp, 'run');
    const trained = cli('train', file, '--out', run, '--backend', 'wasm', '--threads', '1');
    expect(trained.status, trained.stdout + trained.stderr).toBe(0);
    const steps = readFileSync(join(run, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(steps.map((l) => (JSON.parse(l) as { step: number }).step).at(-1)).toBe(3);
    const saved = parseGraphJson(
      JSON.stringify((JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')) as { doc: unknown }).doc),
    );
    if (!saved.ok) throw new Error(saved.error.message);
    expect(saved.value.doc.blocks).toEqual(doc.blocks);

    const exported = join(tmp, 'export');
    const tfjs = cli('export', run, '--out', exported);
    expect(tfjs.status, tfjs.stdout + tfjs.stderr).toBe(0);
    const G = await loadModelFiles(join(exported, 'generator'));
    expect(G.layers.map((l) => l.name)).toEqual(expect.arrayContaining(['g_up2/attention', 'g_up3/conv1']));
    const images = G.predict([tf.randomNormal([2, 8]), tf.tensor2d([1, 2], [2, 1], 'int32')]) as tf.Tensor;
    expect(images.shape).toEqual([2, 32, 32, 1]);
    tf.dispose([images]);

    const torch = join(tmp, 'torch');
    const py = cli('export-pytorch', run, '--out', torch);
    expect(py.status, py.stdout + py.stderr).toBe(0);
    const model = readFileSync(join(torch, 'model.py'), 'utf8');
    expect(model.match(/^class AttentionResidual\(nn\.Module\):/gm)).toHaveLength(1);
    expect(model.match(/= AttentionResidual\(/g)).toHaveLength(2);
    expect(existsSync(join(torch, 'init.json'))).toBe(true);
  }, 300_000);
});
