import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../graph-schemas';
import { InterruptedRuns } from './interrupted-runs';

function run(id: string, over: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    name: `Run ${id}`,
    docPath: null,
    status: 'running',
    step: 0,
    totalSteps: 10_000,
    backend: 'wasm',
    createdAt: '2025-01-01T00:00:00Z',
    lastLosses: null,
    checkpointStep: null,
    message: '',
    dir: `/runs/${id}`,
    ...over,
  };
}

describe('runs an engine crash interrupted', () => {
  it('are the runs main saw start or resume and not stop; each is named with the checkpoint to resume from', () => {
    const runs = new InterruptedRuns();
    runs.saw('training.start', { id: 1, result: run('a') });
    runs.saw('training.start', { id: 2, result: run('b') });
    runs.saw('training.start', { id: 3, result: run('c') });
    runs.saw('training.stop', { id: 4, result: run('b', { status: 'stopped' }) });
    runs.saw('training.resume', { id: 5, error: { code: 'not-found', message: 'no run d' } });
    runs.saw('host.info', { id: 6, result: { kind: 'desktop' } });
    // After the crash the new engine lists them: the status file said running, so they show as stopped.
    const report = runs.report([
      run('a', { status: 'stopped', step: 1623, checkpointStep: 1500, name: 'SAGAN-MNIST' }),
      run('b', { status: 'stopped', step: 800, checkpointStep: 500 }),
      run('c', { status: 'stopped', step: 40, checkpointStep: null, name: 'Tiny' }),
      run('old', { status: 'stopped', step: 10, checkpointStep: 5 }),
    ]);
    expect(report.runIds).toEqual(['a', 'c']);
    expect(report.message).toBe(
      '“SAGAN-MNIST” stopped at step 1623: resume it from its last checkpoint (step 1500) in the run list. “Tiny” stopped at step 40, before its first checkpoint: start it again.',
    );
    // Reported once.
    expect(runs.report([run('a', { status: 'stopped' })])).toEqual({ runIds: [], message: null });
  });

  it('runs that finished or failed on their own before the crash are not reported', () => {
    const runs = new InterruptedRuns();
    runs.saw('training.resume', { id: 1, result: run('a') });
    expect(runs.report([run('a', { status: 'finished', step: 10_000, checkpointStep: 10_000 })])).toEqual({
      runIds: [],
      message: null,
    });
  });
});
