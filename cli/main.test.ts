import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPreset, makeEditableCopy, presets, validateGraph } from '../graph-schemas';
import { cyclicDocument } from '../graph-schemas/bench-fixtures';
import { commands, main } from './main';
import { captureIO } from './test-io';

const tmp = mkdtempSync(join(tmpdir(), 'sagan-cli-'));

describe('sagan-studio COMMAND --help', () => {
  it('prints what every command does and its usage, and exits 0 without running it', async () => {
    for (const [name, command] of Object.entries(commands)) {
      for (const argv of [
        [name, '--help'],
        [name, '-h'],
        ['help', name],
        [name, '--preset', 'sagan-32', '--help'],
      ]) {
        const io = captureIO();
        expect(await main(argv, io)).toBe(0);
        const text = io.stdout.join('\n');
        expect(text).toContain(`sagan-studio ${name}: ${command.summary}`);
        expect(text).toContain(`Usage: ${command.usage}`);
        expect(io.stderr).toEqual([]);
      }
    }
  });
});

describe('sagan-studio presets', () => {
  it('lists every preset with a one-line description', async () => {
    const io = captureIO();
    expect(await main(['presets'], io)).toBe(0);
    expect(io.stdout).toHaveLength(presets.length);
    expect(io.stdout[0]).toMatch(/^sagan-32\s+Class-conditional SAGAN/);
  });
});

describe('sagan-studio validate', () => {
  it('reports sagan-32 valid with the reference parameter counts, as JSON', async () => {
    const io = captureIO();
    expect(await main(['validate', '--preset', 'sagan-32', '--json'], io)).toBe(0);
    const out = JSON.parse(io.stdout.join('\n'));
    expect(out.valid).toBe(true);
    expect(out.problems).toEqual([]);
    expect(out.totals).toEqual({ generatorParams: 4_386_756, discriminatorParams: 1_075_810 });
    expect(out.nodes.find((n: { id: string }) => n.id === 'g_attention')).toEqual({
      id: 'g_attention',
      network: 'generator',
      type: 'SelfAttention',
      outputShape: [16, 16, 256],
      resolution: 'feat16',
      params: 82_369,
    });
  });

  it('reports the shapes inside composite blocks, for each use, as JSON', async () => {
    const made = makeEditableCopy(findPreset('sagan-mnist')!.build(), 'generator', 'g_up2')!;
    const node = made.doc.generator.nodes.find((n) => n.id === 'g_up3')!;
    Object.assign(node, { type: made.type, params: { outChannels: 16 } });
    const file = join(tmp, 'composite.sagan.json');
    writeFileSync(file, JSON.stringify(made.doc));
    const io = captureIO();
    expect(await main(['validate', file, '--json'], io)).toBe(0);
    const out = JSON.parse(io.stdout.join('\n'));
    const nodes = out.nodes as { id: string; outputShape: number[]; insideOf?: string; type: string }[];
    expect(nodes.find((n) => n.id === 'g_up2')).toMatchObject({ type: 'ResBlockUpCopy', outputShape: [16, 16, 32] });
    expect(nodes.find((n) => n.id === 'g_up2/conv1')).toMatchObject({ insideOf: 'g_up2', outputShape: [16, 16, 32] });
    expect(nodes.find((n) => n.id === 'g_up3/conv1')).toMatchObject({ insideOf: 'g_up3', outputShape: [32, 32, 16] });
    expect(out.totals).toEqual(validateGraph(findPreset('sagan-mnist')!.build()).totals);
  });

  it('prints a table of shapes and totals for a file', async () => {
    const file = join(tmp, 'mnist.sagan.json');
    writeFileSync(file, JSON.stringify(presets.find((p) => p.name === 'sagan-mnist')!.build()));
    const io = captureIO();
    expect(await main(['validate', file], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/g_attention\s+SelfAttention\s+\[16, 16, 32\]\s+feat16/);
    expect(text).toMatch(/Parameters: G [\d,]+, D [\d,]+/);
    expect(io.stdout.at(-1)).toBe('valid');
  });

  it('exits 1 with one message per problem, naming the node', async () => {
    const doc = presets[0]!.build();
    doc.generator.nodes.find((n) => n.id === 'g_conv_out')!.params.filters = 1;
    doc.discriminator.edges = doc.discriminator.edges.filter(
      (e) => e.target !== 'd_projection' || e.targetPort !== 'label',
    );
    const file = join(tmp, 'broken.sagan.json');
    writeFileSync(file, JSON.stringify(doc));
    const io = captureIO();
    expect(await main(['validate', file, '--json'], io)).toBe(1);
    const out = JSON.parse(io.stdout.join('\n'));
    expect(out.valid).toBe(false);
    const errors = out.problems.filter((p: { severity: string }) => p.severity === 'error');
    expect(errors.map((p: { nodeId: string }) => p.nodeId).sort()).toEqual(['d_projection', 'g_out']);
    expect(out.problems.find((p: { nodeId: string }) => p.nodeId === 'd_label')).toMatchObject({
      severity: 'warning',
      message: expect.stringMatching(/leads nowhere/),
    });
    expect(out.problems.find((p: { nodeId: string }) => p.nodeId === 'd_projection').port).toBe('label');
  });

  it.each([
    ['a missing file', () => join(tmp, 'nope.json'), /Cannot read .*nope\.json: no such file/],
    ['a folder', () => tmp, /it is a folder, not a file/],
    [
      'broken JSON',
      () => {
        const f = join(tmp, 'bad.json');
        writeFileSync(f, '{"format": ');
        return f;
      },
      /bad\.json is not valid JSON/,
    ],
    [
      'another kind of JSON',
      () => {
        const f = join(tmp, 'other.json');
        writeFileSync(f, '{"nodes": []}');
        return f;
      },
      /not a SAGAN Studio graph/,
    ],
  ])('refuses %s with one clear line and no stack trace', async (_what, file, message) => {
    const io = captureIO();
    expect(await main(['validate', file()], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(message);
    expect(io.stderr.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('explains usage mistakes', async () => {
    const io = captureIO();
    expect(await main(['validate'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/Give one graph FILE or --preset NAME\.\nUsage: sagan-studio validate/);
    const io2 = captureIO();
    expect(await main(['validate', '--preset', 'nope'], io2)).toBe(2);
    expect(io2.stderr[0]).toMatch(/Unknown preset "nope"\. Presets: sagan-32, /);
    const io3 = captureIO();
    expect(await main(['frobnicate'], io3)).toBe(2);
  });
});

describe('damaged and hostile graph files, in a real process', () => {
  const bin = join(import.meta.dirname, '../bin/sagan-studio.js');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 512 * 1024 ** 2 });

  it('refuses params nested 100,000 deep in validate and in train (no stack overflow, no hang, no run folder)', () => {
    const doc = presets.find((p) => p.name === 'sagan-mnist')!.build();
    doc.generator.nodes.find((n) => n.id === 'z')!.params.note = 'DEEP';
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const file = join(tmp, 'deep-params.sagan.json');
    writeFileSync(file, JSON.stringify(doc).replace('"DEEP"', deep));
    const why = /the params of node "z" are nested more than 16 levels deep/;
    const validated = run('validate', file);
    expect(validated.signal).toBeNull();
    expect(validated.status).toBe(1);
    expect(validated.stderr).toMatch(why);
    const out = join(tmp, 'deep-run');
    const trained = run('train', file, '--data', 'mnist', '--steps', '1', '--out', out);
    expect(trained.signal).toBeNull();
    expect(trained.status).toBe(1);
    expect(trained.stderr).toMatch(why);
    expect(trained.stdout + trained.stderr).not.toMatch(/call stack|Run folder/);
    expect(existsSync(out)).toBe(false);
  });

  it('reports a 4,000-node cycle once, with its members truncated', () => {
    const file = join(tmp, 'cycle.sagan.json');
    writeFileSync(file, JSON.stringify(cyclicDocument(4000)));
    const validated = run('validate', file);
    expect(validated.status).toBe(1);
    const printed = validated.stdout + validated.stderr;
    expect(printed.match(/part of a cycle/g)).toHaveLength(1);
    expect(printed).toMatch(/"loop0" → "loop1" → .* → "loop7" → … \(4,000 nodes\)/);
    expect(printed.length).toBeLessThan(1024 ** 2); // a table row per node; not the cycle once per node (220 MB)
  });
});

describe('the installed bin', () => {
  it('runs as `sagan-studio` through npx after npm ci', () => {
    const out = execFileSync('npx', ['--no-install', 'sagan-studio', 'validate', '--preset', 'sagan-32', '--json'], {
      encoding: 'utf8',
    });
    expect(JSON.parse(out).totals.generatorParams).toBe(4_386_756);
    const bad = spawnSync('npx', ['--no-install', 'sagan-studio', 'validate', join(tmp, 'nope.json')], {
      encoding: 'utf8',
    });
    expect(bad.status).toBe(1);
  });
});
