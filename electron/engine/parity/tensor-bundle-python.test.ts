import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTensorBundle, writeTensorBundle, type BundleTensor } from '../node/tensor-bundle';
import { TENSOR_BUNDLE_SCRIPT, pythonAvailability, runPython, torchAvailability } from './python';

// The TS and Python halves of the tensor-bundle format must agree: TS writes → Python reads → Python writes → TS reads.
const python = pythonAvailability();
const torch = torchAvailability();
const noPython = python.available ? '' : `skipped: ${python.reason}`;
const noTorch = noPython || (torch.available ? '' : `skipped: ${torch.reason}`);
const title = (text: string, skip: string) => (skip ? `${text} (${skip})` : text);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bundle-py-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sample(): Map<string, BundleTensor> {
  const big = new Float32Array(50_000);
  for (let i = 0; i < big.length; i++) big[i] = Math.sin(i * 0.37) * 1e3 + i * 1e-4;
  return new Map<string, BundleTensor>([
    [
      'special',
      {
        dtype: 'float32',
        shape: [2, 3],
        data: Float32Array.from([1.5, -0, Number.NaN, Number.NEGATIVE_INFINITY, 3.4028234663852886e38, 1e-45]),
      },
    ],
    ['big', { dtype: 'float32', shape: [50, 1000], data: big }],
    ['labels', { dtype: 'int32', shape: [4], data: Int32Array.from([0, 9, -2147483648, 2147483647]) }],
    ['counter', { dtype: 'int64', shape: [], data: Int32Array.from([12345]) }],
    ['empty', { dtype: 'int32', shape: [3, 0], data: new Int32Array(0) }],
  ]);
}

interface PySummary {
  meta: Record<string, unknown>;
  tensors: Record<string, { dtype: string; shape: number[]; first: (number | string)[]; sum: number }>;
}

/** Runs `tensor_bundle.py roundtrip` on a TS-written bundle, then checks what Python decoded and re-wrote. */
async function roundTrip(via: 'raw' | 'torch') {
  const src = join(dir, `ts-${via}`);
  const dst = join(dir, `py-${via}`);
  const meta = { seed: 7, text: 'ünïcode', list: [1, 2.5] };
  expect((await writeTensorBundle(src, sample(), meta)).ok).toBe(true);
  const run = await runPython(TENSOR_BUNDLE_SCRIPT, ['roundtrip', `${src}.json`, dst, '--via', via]);
  if (!run.ok) throw new Error(run.error);

  // Python decoded the values TS wrote.
  const summary = JSON.parse(run.value.stdout) as PySummary;
  expect(summary.meta).toEqual(meta);
  expect(Object.keys(summary.tensors)).toEqual([...sample().keys()]);
  for (const [name, t] of sample()) {
    const s = summary.tensors[name]!;
    expect([s.dtype, s.shape]).toEqual([t.dtype, t.shape]);
    const first = [...t.data.slice(0, 4)].map((v) =>
      Number.isFinite(v) ? v : String(v).replace('Infinity', 'inf').replace('NaN', 'nan'),
    );
    expect(s.first).toEqual(first);
    const finiteSum = [...t.data].filter(Number.isFinite).reduce((a, b) => a + b, 0);
    expect(s.sum).toBeCloseTo(finiteSum, 3);
  }

  // What Python wrote is byte-identical in data and reads back in TS unchanged.
  expect(await readFile(`${dst}.bin`)).toEqual(await readFile(`${src}.bin`));
  expect(JSON.parse(await readFile(`${dst}.json`, 'utf8'))).toEqual(JSON.parse(await readFile(`${src}.json`, 'utf8')));
  const back = await readTensorBundle(dst);
  if (!back.ok) throw new Error(back.error);
  expect(back.value.meta).toEqual(meta);
  expect([...back.value.tensors.entries()]).toEqual([...sample().entries()]);
}

describe('tensor bundle: TypeScript ↔ Python', () => {
  it.skipIf(noPython)(title("round-trips through Python's standard-library reader and writer", noPython), async () => {
    await roundTrip('raw');
  });

  it.skipIf(noTorch)(title('round-trips through torch tensors', noTorch), async () => {
    await roundTrip('torch');
  });

  it.skipIf(noPython)(title('Python names the file and tensor when the data file is short', noPython), async () => {
    const base = join(dir, 'short');
    expect((await writeTensorBundle(base, sample())).ok).toBe(true);
    await truncate(`${base}.bin`, 100);
    const run = await runPython(TENSOR_BUNDLE_SCRIPT, ['summary', base]);
    expect(run.ok ? 'ok' : run.error).toMatch(
      /exit 2[\s\S]*short\.json: tensor #1 \('big'\) ends at byte 200024 but .*short\.bin has only 100 bytes/,
    );
  });
});
