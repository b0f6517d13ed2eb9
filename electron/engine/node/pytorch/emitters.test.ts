import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockCatalog, presets } from '../../../../graph-schemas';
import type { NamedArray } from '../../core/model/weights';
import { PYTHON, pythonAvailability } from '../../parity/python';
import { emitters } from './blocks';
import { compositeDocument, everyBlockDocument, nestedCompositeDocument } from './test-fixtures';
import { modelSource } from './model-source';
import { packageFiles } from './package-files';
import { planExport, pythonNames } from './plan';
import { LINE_LIMIT } from './python-source';
import { engineWeightsFromTorch, stateLinks, torchStateFromEngine } from './state-mapping';

const documents = () => [
  ...presets.map((p) => p.build()),
  everyBlockDocument(),
  compositeDocument(),
  nestedCompositeDocument(),
];

describe('PyTorch emitters', () => {
  it('cover exactly the block catalog', () => {
    const catalog = blockCatalog.map((b) => b.type).sort();
    expect(Object.keys(emitters).sort()).toEqual(catalog);
  });

  it('each module block has its own Python file and class, named as the block', () => {
    const modules = Object.entries(emitters).flatMap(([type, e]) =>
      e.role === 'module' ? [[type, e.python] as const] : [],
    );
    expect(new Set(modules.map(([, p]) => p.file)).size).toBe(modules.length);
    for (const [type, p] of modules) {
      expect(p.className).toBe(type);
      expect(p.code).toMatch(new RegExp(`^class ${type}\\(`, 'm'));
    }
  });
});

describe('composite blocks in the export', () => {
  it('are one module per composite type, one instance per use, with state_dict keys node.inner', () => {
    const plan = planExport(compositeDocument());
    const source = modelSource(plan);
    expect(source.match(/^class ResBlockUpCopy\(nn\.Module\):/gm)).toHaveLength(1);
    expect(source.match(/^class ResBlockDownCopy\(nn\.Module\):/gm)).toHaveLength(1);
    expect(source.match(/= ResBlockUpCopy\(/g)).toHaveLength(3);
    expect(source).toMatch(/g_up2 = self\.g_up2\(g_up1, y\)/);
    const keys = stateLinks(plan).map((l) => [l.engineKey, l.torchKey]);
    expect(keys).toContainEqual(['generator/g_up2/conv1/kernel', 'G.g_up2.conv1.weight']);
    expect(keys).toContainEqual(['generator/g_up3/cbn2/gamma_embedding', 'G.g_up3.cbn2.gamma.weight']);
  });

  it('that hold other composites are one class per type, the outer one building the inner one', () => {
    const plan = planExport(nestedCompositeDocument());
    const source = modelSource(plan);
    for (const type of ['ResBlockUpCopy', 'AttentionUp', 'Tail'])
      expect(source.match(new RegExp(`^class ${type}\\(nn\\.Module\\):`, 'gm')), type).toHaveLength(1);
    // Inner classes come before the classes that build them.
    expect(source.indexOf('class ResBlockUpCopy(')).toBeLessThan(source.indexOf('class AttentionUp('));
    expect(source.indexOf('class AttentionUp(')).toBeLessThan(source.indexOf('class Tail('));
    expect(source).toContain('        self.g_attention_up = AttentionUp(**g_attention_up)\n');
    expect(source).toContain('        self.g_up3 = ResBlockUpCopy(**g_up3)\n');
    expect(source).toContain('        self.g_up2 = ResBlockUpCopy(**g_up2)\n');
    expect(source).toContain('        g_attention_up = self.g_attention_up(x_in, x_label)\n');
    expect(source).toContain('        g_up3 = self.g_up3(g_attention_up, x_label)\n');
    expect(source).toMatch(/g_tail = self\.g_tail\(g_up1, y\)/);
    expect(source).toMatch(/self\.g_tail = Tail\(\n {12}g_attention_up=dict\(\n {16}g_up2=dict\(\n {20}cbn1=dict\(/);
    const keys = stateLinks(plan).map((l) => [l.engineKey, l.torchKey]);
    expect(keys).toContainEqual([
      'generator/g_tail/g_attention_up/g_up2/conv1/kernel',
      'G.g_tail.g_attention_up.g_up2.conv1.weight',
    ]);
    expect(keys).toContainEqual(['generator/g_tail/g_up3/conv2/u', 'G.g_tail.g_up3.conv2.weight_u']);
    expect(keys).toContainEqual([
      'generator/g_tail/g_attention_up/g_attention/gamma',
      'G.g_tail.g_attention_up.g_attention.gamma',
    ]);
  });
});

describe('the generated package', () => {
  it('is the same for the same document, formatted, with a docstring per file', () => {
    for (const doc of documents()) {
      const a = packageFiles(planExport(doc), { init: null });
      const b = packageFiles(planExport(structuredClone(doc)), { init: null });
      expect([...a.entries()]).toEqual([...b.entries()]);
      for (const [path, text] of a) {
        if (!path.endsWith('.py') || path === 'tensor_bundle.py') continue;
        const lines = text.split('\n');
        expect(text.endsWith('\n') && !text.endsWith('\n\n'), `${path} ends with one newline`).toBe(true);
        expect(
          lines.filter((l) => l.length > LINE_LIMIT || /\s$/.test(l) || l.includes('\t')),
          `${path} lines`,
        ).toEqual([]);
        expect(text, path).toMatch(/^(#!.*\n)?"""/);
      }
    }
  });

  it('ships tensor_bundle.py byte for byte as the engine has it', async () => {
    const { readFileSync } = await import('node:fs');
    const files = packageFiles(planExport(presets[0]!.build()), { init: null });
    expect(files.get('tensor_bundle.py')).toBe(
      readFileSync(new URL('../../parity/tensor_bundle.py', import.meta.url), 'utf8'),
    );
  });

  it('writes one module per block type the graph uses and a Generator attribute per node', () => {
    const files = packageFiles(planExport(presets.find((p) => p.name === 'sagan-mnist')!.build()), { init: null });
    expect([...files.keys()].filter((f) => f.startsWith('blocks/')).sort()).toEqual(
      [
        '__init__',
        'batch_norm',
        'conv2d',
        'global_sum_pool',
        'linear',
        'projection_head',
        'relu',
        'res_block_down',
        'res_block_up',
        'reshape',
        'self_attention',
        'tanh',
      ].map((f) => `blocks/${f}.py`),
    );
    const model = files.get('model.py')!;
    expect(model).toContain('self.g_attention = SelfAttention(');
    expect(model).toContain('pooled_keys=True');
    expect(model).toContain('g_up1 = self.g_up1(g_reshape, y)  # [B, 64, 8, 8]');
    expect(model).toContain('d_projection = self.d_projection(d_sum, y)  # [B, 1]');
    expect(files.get('config.py')).toContain('G_OPTIMIZER = {"lr": 2e-4, "beta1": 0, "beta2": 0.9, "epsilon": 1e-8}');
  });

  it("the README states the training settings, the run's steps, and where attention sits", () => {
    const plan = planExport(presets.find((p) => p.name === 'sagan-mnist')!.build());
    const fresh = packageFiles(plan, { init: null }).get('README.md')!;
    expect(fresh).toContain('| steps trained | none yet (the document asks for 1,000) |');
    expect(fresh).toContain('| batch | 32 |');
    expect(fresh).toContain('| generator optimizer | Adam, lr 0.0002, β1 0, β2 0.9 |');
    expect(fresh).toContain('| seed | 0 |');
    expect(fresh).toContain('| generator | `g_attention` | [16, 16, 32] | 16×16 = 256 positions (feat16) |');
    expect(fresh).toContain('| discriminator | `d_attention` | [16, 16, 16] | 16×16 = 256 positions (feat16) |');
    const fromRun = packageFiles(plan, { init: { runDir: '/runs/r1', step: 800, ema: false } }).get('README.md')!;
    expect(fromRun).toContain('| steps trained | 800 of 1,000 |');
  });

  it.skipIf(!pythonAvailability().available)('is valid Python for every preset and the every-block graph', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sagan-pytorch-compile-'));
    try {
      const paths: string[] = [];
      documents().forEach((doc, i) => {
        for (const [path, text] of packageFiles(planExport(doc), { init: null })) {
          if (!path.endsWith('.py')) continue;
          const file = join(dir, String(i), path);
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, text);
          paths.push(file);
        }
      });
      const r = spawnSync(
        PYTHON,
        ['-c', 'import ast, sys\nfor p in sys.argv[1:]: ast.parse(open(p, encoding="utf-8").read(), p)', ...paths],
        { encoding: 'utf8' },
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('node names in Python', () => {
  it('are safe, unique identifiers', () => {
    const names = pythonNames(['g-up 1', 'g_up_1', 'class', 'self', '2nd', '_x', 'forward', 'g.up.1']);
    expect([...names.values()]).toEqual([
      'g_up_1',
      'g_up_1_2',
      'class_2',
      'self_2',
      'n2nd',
      'n_x',
      'forward_2',
      'g_up_1_3',
    ]);
  });
});

describe('weight mapping', () => {
  it('round-trips every engine weight of every preset through torch names and layouts', () => {
    for (const doc of documents()) {
      const plan = planExport(doc);
      const engine = new Map<string, NamedArray>();
      let seed = 1;
      for (const l of stateLinks(plan)) {
        if (!l.engineKey) continue;
        const shape = l.layout === 'conv' ? [3, 1, 2, 4] : l.layout === 'linear' ? [5, 3] : [6];
        engine.set(l.engineKey, {
          shape,
          data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => seed++),
        });
      }
      const torch = torchStateFromEngine(plan, engine);
      const back = engineWeightsFromTorch(plan, torch.tensors, 'test');
      expect([...back.weights.keys()].sort()).toEqual([...engine.keys()].sort());
      for (const [k, v] of engine) expect(back.weights.get(k), k).toEqual(v);
    }
  });

  it('puts conv kernels in [out, in, kh, kw] and dense kernels in [out, in]', () => {
    const plan = planExport(presets.find((p) => p.name === 'sagan-mnist')!.build());
    const engine = new Map<string, NamedArray>();
    for (const l of stateLinks(plan))
      if (l.engineKey) engine.set(l.engineKey, { shape: [1], data: new Float32Array(1) });
    engine.set('generator/g_conv_out/kernel', {
      shape: [3, 3, 2, 1],
      data: Float32Array.from({ length: 18 }, (_, i) => i),
    });
    engine.set('generator/g_linear/kernel', { shape: [2, 3], data: Float32Array.of(0, 1, 2, 3, 4, 5) });
    const { tensors } = torchStateFromEngine(plan, engine);
    const conv = tensors.get('G.g_conv_out.weight')!;
    expect(conv.shape).toEqual([1, 2, 3, 3]);
    expect(Array.from(conv.data).slice(0, 3)).toEqual([0, 2, 4]); // in-channel 0, row 0: kernel[0][0..2][0][0]
    expect(tensors.get('G.g_linear.weight')).toMatchObject({ shape: [3, 2], data: Float32Array.of(0, 3, 1, 4, 2, 5) });
    expect(tensors.get('G.g_up1.norm1.bn.num_batches_tracked')).toMatchObject({ dtype: 'int64', shape: [] });
  });

  it('refuses a state from another graph, naming the tensor', () => {
    const mnist = planExport(presets.find((p) => p.name === 'sagan-mnist')!.build());
    const engine = new Map<string, NamedArray>();
    for (const l of stateLinks(mnist))
      if (l.engineKey) engine.set(l.engineKey, { shape: [1], data: new Float32Array(1) });
    const { tensors } = torchStateFromEngine(mnist, engine);
    const sagan32 = planExport(presets[0]!.build());
    expect(() => engineWeightsFromTorch(sagan32, tensors, 'ckpt.json')).toThrow(
      /ckpt\.json (holds \d+ tensors this graph does not have|has no tensor)/,
    );
    tensors.delete('D.d_projection.embedding.weight');
    expect(() => engineWeightsFromTorch(mnist, tensors, 'ckpt.json')).toThrow(
      /ckpt\.json has no tensor "D\.d_projection\.embedding\.weight" \(node "d_projection"\)/,
    );
  });
});
