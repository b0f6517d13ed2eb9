import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { err, ok, type Result } from '../../../graph-schemas';

/**
 * Runs the PyTorch side of the parity test (torch_reference.py, tensor_bundle.py) from Node.
 * The interpreter is Debian's /usr/bin/python3 (where python3-torch installs), or $SAGAN_PYTHON.
 */
export const PYTHON = process.env.SAGAN_PYTHON ?? '/usr/bin/python3';
export const PARITY_DIR = dirname(fileURLToPath(import.meta.url));
export const TORCH_REFERENCE_SCRIPT = join(PARITY_DIR, 'torch_reference.py');
export const TENSOR_BUNDLE_SCRIPT = join(PARITY_DIR, 'tensor_bundle.py');

/**
 * sagan_torch.py, the reference model: in $SAGAN_REFERENCE_DIR, else ../shared/reference beside the repository
 * (CI clones shared/ there), else shared/reference inside it. Same search as torch_reference.py.
 */
export function referenceScript(): string {
  const repoRoot = resolve(PARITY_DIR, '..', '..', '..');
  const env = process.env.SAGAN_REFERENCE_DIR;
  const candidates = env ? [env] : [join(repoRoot, '..', 'shared', 'reference'), join(repoRoot, 'shared', 'reference')];
  for (const c of candidates) if (existsSync(join(c, 'sagan_torch.py'))) return resolve(c, 'sagan_torch.py');
  throw new Error(
    `sagan_torch.py not found (looked in ${candidates.map((c) => resolve(c)).join(', ')}); set SAGAN_REFERENCE_DIR to the folder that holds it.`,
  );
}

export type Availability = { available: true } | { available: false; reason: string };

const cache = new Map<string, Availability>();

/** Whether `python -c code` succeeds; the reason says what to install when it does not. Cached per process. */
function probe(code: string, missing: string): Availability {
  const known = cache.get(code);
  if (known) return known;
  const r = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8', timeout: 60_000 });
  const found: Availability =
    r.status === 0
      ? { available: true }
      : {
          available: false,
          reason: `${missing} (${r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`)})`,
        };
  cache.set(code, found);
  return found;
}

/** Python 3 itself (enough for tensor_bundle.py). */
export const pythonAvailability = (): Availability =>
  probe(
    'import sys; assert sys.version_info >= (3, 8)',
    `${PYTHON} (Python ≥ 3.8) is not available; install python3 or set SAGAN_PYTHON`,
  );

/** PyTorch under that Python (needed by torch_reference.py). */
export const torchAvailability = (): Availability =>
  probe('import torch', `PyTorch is not importable by ${PYTHON}; install python3-torch (apt) or set SAGAN_PYTHON`);

/** PyTorch, torchvision and scipy (the FID parity reference, fid_reference.py). */
export const fidReferenceAvailability = (): Availability =>
  probe(
    'import torch, torchvision, scipy',
    `torch, torchvision or scipy is not importable by ${PYTHON}; install python3-torchvision and python3-scipy (apt) or set SAGAN_PYTHON`,
  );

export interface PythonRun {
  stdout: string;
  stderr: string;
}

/** Runs `python script args…`; an error carries the command, exit status and the end of stderr. */
export function runPython(
  script: string,
  args: readonly string[],
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<Result<PythonRun, string>> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, [script, ...args], {
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    const command = `${PYTHON} ${[script, ...args].join(' ')}`;
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve(err(`Could not start ${command}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(ok({ stdout, stderr }));
      else
        resolve(
          err(
            `${command} failed (${signal ? `killed by ${signal}` : `exit ${code}`}):\n${stderr.trim().split('\n').slice(-15).join('\n')}`,
          ),
        );
    });
  });
}

/** Runs torch_reference.py (see README.md beside it for the subcommands). */
export const runTorchReference = (args: readonly string[], opts?: { timeoutMs?: number; env?: NodeJS.ProcessEnv }) =>
  runPython(TORCH_REFERENCE_SCRIPT, args, opts);
