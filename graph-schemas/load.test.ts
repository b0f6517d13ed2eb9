import { describe, expect, it } from 'vitest';
import v1Fixture from './fixtures/graph-v1.sagan.json';
import { GRAPH_DOCUMENT_VERSION } from './document';
import { loadGraph, parseGraphJson } from './load';
import { migrateDocument } from './migrations';
import type { DocumentMigration } from './migrations';
import { findPreset } from './presets';
import { validateGraph } from './validate';

describe('loadGraph', () => {
  it("bounds the depth and size of a node's params, naming the node", () => {
    const withParam = (value: unknown) => {
      const doc = JSON.parse(JSON.stringify(findPreset('sagan-mnist')!.build()));
      doc.discriminator.nodes[1].params.extra = value;
      return loadGraph(doc);
    };
    let nested: unknown = 1;
    for (let i = 0; i < 15; i++) nested = { a: nested };
    expect(withParam(nested).ok).toBe(true); // 16 levels, counting params itself
    const failures = [
      [{ a: nested }, /are nested more than 16 levels deep/],
      [Array.from({ length: 10_001 }, () => 0), /hold more than 10,000 values/],
      ['x'.repeat(100_001), /hold more than 100,000 characters of text/],
    ] as const;
    for (const [value, why] of failures) {
      const loaded = withParam(value);
      expect(loaded.ok).toBe(false);
      if (loaded.ok) continue;
      expect(loaded.error.issues).toEqual([
        { path: 'discriminator.nodes[1].params', message: expect.stringMatching(why) },
      ]);
      expect(loaded.error.message).toMatch(/the params of node "d_\w+"/);
    }
  });

  it('loads the shipped version-1 fixture and it validates', () => {
    const loaded = loadGraph(v1Fixture);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.value.doc.version).toBe(GRAPH_DOCUMENT_VERSION);
    expect(validateGraph(loaded.value.doc).valid).toBe(true);
  });

  it('migrates the version-1 fixture to version 2: no composite blocks, everything else as it was, and says so', () => {
    const loaded = loadGraph(v1Fixture);
    if (!loaded.ok) throw new Error(loaded.error.message);
    expect(GRAPH_DOCUMENT_VERSION).toBe(2);
    expect(loaded.value.doc.blocks).toEqual([]);
    expect(loaded.value.migrated).toEqual([
      'document migrated from version 1: composite blocks: the document now holds its own block types ("blocks", none yet)',
    ]);
    const { version: _v1, ...rest } = v1Fixture as unknown as Record<string, unknown>;
    const {
      version: _v2,
      blocks: _blocks,
      ...migrated
    } = JSON.parse(JSON.stringify(loaded.value.doc)) as Record<string, unknown>;
    expect(Object.keys(migrated).sort()).toEqual(Object.keys(rest).sort());
    expect((migrated.generator as { nodes: unknown[] }).nodes).toHaveLength(
      (v1Fixture.generator as { nodes: unknown[] }).nodes.length,
    );
  });

  it('round-trips a preset through JSON unchanged', () => {
    const doc = findPreset('sagan-32')!.build();
    const loaded = parseGraphJson(JSON.stringify(doc));
    expect(loaded.ok && loaded.value.doc).toEqual(doc);
  });

  it('fills defaults for omitted optional fields', () => {
    const raw = JSON.parse(JSON.stringify(v1Fixture));
    delete raw.description;
    delete raw.training.ema;
    const loaded = loadGraph(raw);
    expect(loaded.ok).toBe(true);
    if (loaded.ok) {
      expect(loaded.value.doc.description).toBe('');
      expect(loaded.value.doc.training.ema.enabled).toBe(false);
    }
  });

  it.each([
    ['not an object', 42, /expected a JSON object/],
    ['an array', [], /expected a JSON object/],
    ['another format', { format: 'comfyui', version: 1 }, /"format" should be "sagan-studio\/graph"/],
    ['no version', { format: 'sagan-studio/graph' }, /no valid "version"/],
    [
      'a newer version',
      { format: 'sagan-studio/graph', version: 99 },
      /version 99, newer than this SAGAN Studio understands/,
    ],
  ])('refuses %s with a clear message and never throws', (_what, raw, message) => {
    const loaded = loadGraph(raw);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.error.message).toMatch(message);
  });

  it('names the path of each structural problem', () => {
    const raw = JSON.parse(JSON.stringify(v1Fixture));
    raw.generator.nodes[2].id = '';
    raw.training.batchSize = -3;
    const loaded = loadGraph(raw);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    const paths = loaded.error.issues.map((i) => i.path);
    expect(paths).toContain('generator.nodes[2].id');
    expect(paths).toContain('training.batchSize');
    expect(loaded.error.message).toMatch(/2 problems/);
  });

  it('reports a JSON syntax error with its line', () => {
    const loaded = parseGraphJson('{\n  "format": "sagan-studio/graph",\n  oops\n}', 'model.sagan.json');
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.error.message).toMatch(/model\.sagan\.json is not valid JSON at line 3/);
  });

  it('keeps nodes with unknown types or bad params so the user can fix them (validation reports them)', () => {
    const raw = JSON.parse(JSON.stringify(v1Fixture));
    raw.generator.nodes.push({ id: 'mystery', type: 'QuantumBlock', params: { qubits: 3 } });
    raw.generator.nodes[2].params.units = -5;
    const loaded = loadGraph(raw);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const report = validateGraph(loaded.value.doc);
    expect(report.problems.find((p) => p.nodeId === 'mystery')?.message).toMatch(/unknown block type "QuantumBlock"/);
    expect(report.problems.find((p) => p.nodeId === 'g_linear' && p.param === 'units')?.message).toMatch(
      /parameter "units"/,
    );
  });
});

describe('migrateDocument', () => {
  const steps: DocumentMigration[] = [
    { from: 1, description: 'rename title to name', migrate: (d) => ({ ...d, name: d.title, title: undefined }) },
    { from: 2, description: 'add tags', migrate: (d) => ({ ...d, tags: [] }) },
  ];

  it('applies each step in order up to the target version without touching its input', () => {
    const old = { version: 1, title: 'old model' };
    const out = migrateDocument(old, steps, 3);
    expect(out).toMatchObject({
      ok: true,
      from: 1,
      doc: { version: 3, name: 'old model', tags: [] },
      applied: ['rename title to name', 'add tags'],
    });
    expect(old).toEqual({ version: 1, title: 'old model' });
  });

  it('fails clearly when a step is missing', () => {
    expect(migrateDocument({ version: 1 }, [steps[1]!], 3)).toEqual({
      ok: false,
      message: 'No migration from version 1 to 2 is known.',
    });
  });

  it('leaves a current document alone', () => {
    expect(migrateDocument({ version: 3, x: 1 }, steps, 3)).toMatchObject({
      ok: true,
      doc: { version: 3, x: 1 },
      applied: [],
    });
  });
});
