import { describe, expect, it, vi } from 'vitest';
import type { AttentionAnswer, RunMetrics } from '../../graph-schemas';
import { nodeKey } from './metric-log';
import { grid, scriptedHost, stepEvent, summary } from './test-fakes';
import { runTrainingCommand } from './training';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Training: the stream folded into the store, runs steered through the API', () => {
  it('batches a burst of events into one store update per frame', async () => {
    const fake = scriptedHost();
    const { training } = fake;
    let updates = 0;
    training.store.subscribe(() => updates++);
    fake.emit('r1', {
      type: 'started',
      backend: 'wasm',
      backendReason: 'SIMD, 2 threads',
      step: 0,
      totalSteps: 100,
      resumed: false,
    });
    for (let s = 1; s <= 50; s++) fake.emit('r1', stepEvent(s));
    expect(updates).toBe(0);
    expect(fake.pendingFrames()).toBe(1);
    fake.frame();
    expect(updates).toBe(1);
    const run = training.store.getState().runs.r1!;
    expect(run.status).toBe('running');
    expect(run.backend).toBe('wasm');
    expect(run.backendReason).toBe('SIMD, 2 threads');
    expect(run.step).toBe(50);
    expect(run.log.length).toBe(50);
    expect(run.log.lossDReal[49]).toBe(51);
    expect(run.log.lossG[9]).toBe(-10);
    expect(run.lastLosses).toEqual({ lossD: 52, lossDReal: 51, lossDFake: 1, lossG: -50 });
    expect(run.itPerSec).toBe(4);
    expect(run.etaSec).toBe(12.5);
    expect(run.gammas[nodeKey('generator', 'g_attention')]!.gamma).toBeCloseTo(0.05);
    expect(run.gammaPeak[nodeKey('discriminator', 'd_attention')]).toBeCloseTo(0.025);
    expect(run.log.gammas.get('G:g_attention')!.values).toHaveLength(50);
    expect(run.attentionNodes.map((n) => n.nodeId)).toEqual(['g_attention', 'd_attention']);
  });

  it('keeps sample grids, σ, D’s scores, checkpoints, pause/resume and the stop with its checkpoint', () => {
    const fake = scriptedHost();
    const { training } = fake;
    fake.emit(
      'r1',
      stepEvent(1, {
        sigmas: [{ nodeId: 'g_linear', network: 'generator', name: 'kernel', sigma: 1.2 }],
        realScores: [1, 2],
        fakeScores: [-1, -2],
      }),
    );
    fake.emit('r1', { type: 'sample', grid: grid(1) });
    fake.emit('r1', stepEvent(2, { realScores: [3, 4], fakeScores: [-3, -4] }));
    fake.emit('r1', { type: 'sample', grid: grid(2) });
    fake.emit('r1', { type: 'checkpoint', step: 2 });
    fake.emit('r1', { type: 'paused', step: 2 });
    fake.frame();
    let run = training.store.getState().runs.r1!;
    expect(run.status).toBe('paused');
    expect(run.sampleSteps).toEqual([1, 2]);
    expect(run.latestGrid?.step).toBe(2);
    expect(run.sigmas['G:g_linear/kernel']).toMatchObject({ steps: [1], values: [1.2] });
    expect(run.scores).toEqual({ step: 2, real: [1, 2, 3, 4], fake: [-1, -2, -3, -4] });
    expect(run.checkpointStep).toBe(2);
    fake.emit('r1', { type: 'resumed', step: 2 });
    fake.emit('r1', {
      type: 'stopped',
      step: 3,
      reason: 'diverged',
      message: 'Training diverged at step 3: a loss became NaN.',
      checkpointStep: 2,
    });
    fake.frame();
    run = training.store.getState().runs.r1!;
    expect(run.status).toBe('diverged');
    expect(run.stopped).toEqual({
      reason: 'diverged',
      step: 3,
      message: 'Training diverged at step 3: a loss became NaN.',
      checkpointStep: 2,
    });
    expect(fake.notices()).toContainEqual({
      level: 'error',
      message: 'Training diverged at step 3: a loss became NaN.',
    });
  });

  it('a resumed run replays from its checkpoint: later rows are dropped, not duplicated', () => {
    const fake = scriptedHost();
    const { training } = fake;
    for (let s = 1; s <= 10; s++) fake.emit('r1', stepEvent(s));
    fake.emit('r1', { type: 'started', backend: 'wasm', backendReason: '', step: 6, totalSteps: 100, resumed: true });
    fake.emit('r1', stepEvent(7, { lossG: 99 }));
    fake.frame();
    const log = training.store.getState().runs.r1!.log;
    expect(log.step).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(log.lossG[6]).toBe(99);
    expect(log.gammas.get('G:g_attention')!.values).toHaveLength(7);
  });

  it('ignores events that fail the contract (the API client validates them)', () => {
    const fake = scriptedHost();
    const { training } = fake;
    fake.emitRaw({ event: 'training.event', payload: { runId: 'r1', event: { type: 'step', step: 'nope' } } });
    expect(fake.pendingFrames()).toBe(0);
    expect(training.store.getState().runs).toEqual({});
  });

  it('opening a run merges the host’s logged history in front of what streamed live', async () => {
    const history: RunMetrics = {
      step: [1, 2, 3, 4],
      lossDReal: [10, 20, 30, 40],
      lossDFake: [1, 2, 3, 4],
      lossG: [5, 6, 7, 8],
      itPerSec: [1, 1, 1, 1],
      gammas: [{ nodeId: 'g_attention', network: 'generator', values: [0, 0.1, 0.2, 0.3] }],
    };
    let resolveMetrics!: (m: RunMetrics) => void;
    const fake = scriptedHost({
      'runs.get': () => ({
        summary: summary('r1', { step: 4 }),
        doc: {},
        sampleSteps: [2, 4],
        attentionNodes: [{ nodeId: 'g_attention', network: 'generator' }],
        classNames: ['cats', 'dogs'],
      }),
      'runs.metrics': () => new Promise((r) => (resolveMetrics = r)),
      'runs.sample': ({ step }) => grid(step as number),
    });
    const { training } = fake;
    const opening = training.library.openRun('r1');
    // Steps stream in while the history loads: 3 and 4 are in both, 5 only live.
    for (const s of [3, 4, 5]) fake.emit('r1', stepEvent(s, { wallMs: 1000 * s }));
    fake.frame();
    await tick();
    resolveMetrics(history);
    await opening;
    const run = training.store.getState().runs.r1!;
    expect(training.store.getState().watched).toBe('r1');
    expect(run.log.step).toEqual([1, 2, 3, 4, 5]);
    expect(run.log.lossDReal).toEqual([10, 20, 4, 5, 6]);
    expect(run.log.wallMs).toEqual([null, null, 3000, 4000, 5000]);
    expect(run.log.gammas.get('G:g_attention')!.values).toEqual([0, 0.1, 0.003, 0.004, 0.005]);
    expect(run.log.gammas.get('D:d_attention')!.values).toEqual([null, null, -0.0015, -0.002, -0.0025]);
    expect(run.sampleSteps).toEqual([2, 4]);
    expect(run.latestGrid?.step).toBe(4);
    // Its sample rows are labelled, though it was not started here.
    expect(run.classNames).toEqual(['cats', 'dogs']);
    expect(run.gammaPeak['G:g_attention']).toBeCloseTo(0.1);
    expect(fake.calls.find((c) => c.method === 'runs.sample')?.params).toEqual({ runId: 'r1', step: 4 });
  });

  it('steers runs through the API and shows the host’s refusal', async () => {
    const fake = scriptedHost({
      'training.start': () => summary('r2', { status: 'running' }),
      'training.pause': () => summary('r2', { status: 'paused', step: 3 }),
      'training.stop': () => {
        throw new Error('Run r2 is not training now; resume it first.');
      },
      'runs.list': () => [summary('r2')],
    });
    const { training } = fake;
    await training.control.start({
      doc: {},
      docPath: '/docs/mnist.sagan.json',
      data: { kind: 'mnist' },
      steps: 20,
      batchSize: 4,
      backend: 'auto',
    });
    expect(training.store.getState().watched).toBe('r2');
    expect(training.store.getState().dockOpen).toBe(true);
    expect(fake.calls[0]).toMatchObject({
      method: 'training.start',
      params: { data: { kind: 'mnist' }, steps: 20, batchSize: 4 },
    });
    fake.emit('r2', stepEvent(2));
    fake.frame();
    await training.control.pause('r2');
    // Paused only once the engine says so, after the iteration in flight.
    expect(training.store.getState().runs.r2!).toMatchObject({ status: 'running', pauseRequested: true });
    fake.emit('r2', stepEvent(3));
    fake.emit('r2', { type: 'paused', step: 3 });
    fake.frame();
    expect(training.store.getState().runs.r2!).toMatchObject({ status: 'paused', pauseRequested: false, step: 3 });
    await training.control.stop('r2');
    expect(fake.notices().at(-1)).toEqual({ level: 'error', message: 'Run r2 is not training now; resume it first.' });
    expect(training.store.getState().busy.r2).toBeUndefined();
    training.dispose();
  });

  it('asks for attention with the picked points and that grid cell, asks the checkpoint of a stopped run, and says why a run without one cannot answer', async () => {
    const answer: AttentionAnswer = { step: 5, points: [{ x: 0.5, y: 0.25 }], samples: [9], maps: [] };
    const fake = scriptedHost({ 'training.attention': (p) => ({ ...answer, points: p.points, samples: p.samples }) });
    const { training } = fake;
    fake.emit('r1', stepEvent(5));
    fake.frame();
    training.store.setState({ watched: 'r1' });
    training.explorer.pickPoint(9, { x: 0.5, y: 0.25 });
    training.explorer.pickPoint(9, { x: 0.1, y: 0.9 });
    await tick();
    await tick();
    const asked = fake.calls.filter((c) => c.method === 'training.attention');
    expect(asked.at(-1)!.params).toEqual({
      runId: 'r1',
      points: [
        { x: 0.5, y: 0.25 },
        { x: 0.1, y: 0.9 },
      ],
      samples: [9],
    });
    expect(training.store.getState().explorer.answer?.points).toHaveLength(2);
    // Another cell starts over with one point.
    training.explorer.pickPoint(3, { x: 0.2, y: 0.2 });
    expect(training.store.getState().explorer.points).toEqual([{ x: 0.2, y: 0.2 }]);
    await tick();
    await tick();
    // A stopped run is still asked: the host answers from its newest checkpoint.
    fake.emit('r1', {
      type: 'stopped',
      step: 5,
      reason: 'stopped',
      message: 'Stopped at step 5; resume to continue.',
      checkpointStep: 5,
    });
    fake.frame();
    let before = fake.calls.length;
    training.explorer.pickPoint(3, { x: 0.3, y: 0.3 });
    await tick();
    expect(
      fake.calls
        .slice(before)
        .filter((c) => c.method === 'training.attention')
        .map((c) => c.params),
    ).toEqual([
      {
        runId: 'r1',
        points: [
          { x: 0.2, y: 0.2 },
          { x: 0.3, y: 0.3 },
        ],
        samples: [3],
      },
    ]);
    // Without a checkpoint there is nothing to ask, and the explorer says why.
    await tick();
    training.store.setState((s) => ({ runs: { ...s.runs, r1: { ...s.runs.r1!, checkpointStep: null } } }));
    before = fake.calls.length;
    training.explorer.pickPoint(4, { x: 0.3, y: 0.3 });
    await tick();
    expect(fake.calls.slice(before).some((c) => c.method === 'training.attention')).toBe(false);
    expect(training.store.getState().explorer.error).toMatch(/stopped and has no checkpoint/);
  });

  it('a grid scrubbed back asks the maps of its step (its checkpoint), and back at the newest the live model again', async () => {
    const fake = scriptedHost({
      'training.attention': (p) => ({
        step: p.step === undefined ? 12 : (p.step as number) - 4,
        from: p.step === undefined ? 'live' : 'checkpoint',
        points: p.points,
        samples: p.samples,
        maps: [],
      }),
    });
    const { training } = fake;
    fake.emit('r1', stepEvent(12));
    fake.frame();
    training.store.setState({ watched: 'r1' });
    const asked = () => fake.calls.filter((c) => c.method === 'training.attention').map((c) => c.params.step);
    // A point picked on the grid of step 8 asks for step 8's weights.
    training.explorer.pickPoint(2, { x: 0.5, y: 0.5 }, true, 8);
    await tick();
    expect(asked()).toEqual([8]);
    expect(training.store.getState().explorer).toMatchObject({ step: 8, answerFor: 8, answer: { step: 4 } });
    // Scrubbing to another step asks again for the same points; a new grid does not move a scrubbed-back answer.
    training.explorer.showStep('r1', 4);
    await tick();
    expect(asked()).toEqual([8, 4]);
    training.explorer.refresh();
    await tick();
    expect(asked()).toEqual([8, 4]);
    // Back at the newest grid: the live model, and new grids ask again.
    training.explorer.showStep('r1', null);
    await tick();
    expect(asked()).toEqual([8, 4, undefined]);
    expect(training.store.getState().explorer).toMatchObject({ answerFor: null, answer: { step: 12, from: 'live' } });
    training.explorer.refresh();
    await tick();
    expect(asked()).toEqual([8, 4, undefined, undefined]);
    // Clearing the points keeps the scrubbed step.
    training.explorer.showStep('r1', 4);
    await tick();
    training.explorer.clearPoints();
    expect(training.store.getState().explorer).toMatchObject({ step: 4, points: [], answer: null });
  });

  it('deletes a run only after confirmation, and its messages go with it; exports to the chosen folder with a toast naming it', async () => {
    const fake = scriptedHost({
      'runs.delete': () => ({ deleted: true }),
      'runs.export': (p) => ({ outDir: p.outDir, files: ['README.md', 'model.json'] }),
    });
    const { training, ui } = fake;
    training.store.setState({ list: [summary('r1', { status: 'stopped' })] });
    fake.emit('r1', { type: 'stopped', step: 3, reason: 'error', message: 'Run r1 failed.', checkpointStep: null });
    fake.frame();
    expect(fake.notices()).toEqual([{ level: 'error', message: 'Run r1 failed.' }]);
    let deleting = training.library.deleteRun('r1');
    fake.answerConfirm(false);
    await deleting;
    expect(fake.calls.some((c) => c.method === 'runs.delete')).toBe(false);
    deleting = training.library.deleteRun('r1');
    fake.answerConfirm(true);
    await deleting;
    expect(fake.calls.some((c) => c.method === 'runs.delete')).toBe(true);
    expect(training.store.getState().list).toEqual([]);
    expect(fake.notices()).toEqual([]);
    // The Export dialog opens (the web host has no native folder dialog: it browses folders in the app).
    training.exporter.exportRun('r3');
    expect(training.store.getState().dialog).toEqual({ kind: 'export', runId: 'r3' });
    expect(await training.exporter.exportTo('r3', '/out/model')).toBe(true);
    const toast = ui.getState().toasts.at(-1)!;
    expect(toast).toMatchObject({
      level: 'success',
      message: 'Exported the model to /out/model (2 files).',
      runId: 'r3',
    });
    // A browser cannot open the folder: it offers the path (on the clipboard, or said where copying is refused).
    expect(toast.action?.label).toBe('Copy path');
    toast.action!.run();
    await tick();
    expect(fake.notices().at(-1)).toEqual({
      level: 'info',
      message: 'The browser did not allow copying; the folder is /out/model.',
    });
    const copied: string[] = [];
    const clipboard = { writeText: async (text: string) => void copied.push(text) };
    // The browser's clipboard is the boundary here (Node has none).
    vi.stubGlobal('navigator', { clipboard });
    try {
      toast.action!.run();
      await tick();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(copied).toEqual(['/out/model']);
    expect(fake.notices().at(-1)).toEqual({ level: 'info', message: 'Copied /out/model to the clipboard.' });
  });

  it("a failed run's message goes once the live view shows the next run, not while it is still shown", async () => {
    const fake = scriptedHost({ 'training.start': () => summary('r2', { status: 'running' }) });
    const { training } = fake;
    training.store.setState({ watched: 'r1' });
    fake.emit('r1', {
      type: 'stopped',
      step: 0,
      reason: 'error',
      message: 'The folder does not exist.',
      checkpointStep: null,
    });
    fake.frame();
    expect(fake.notices()).toEqual([{ level: 'error', message: 'The folder does not exist.' }]);
    await training.control.start({ doc: {}, docPath: null, data: { kind: 'mnist' }, backend: 'auto' });
    expect(training.store.getState().watched).toBe('r2');
    expect(fake.notices()).toEqual([]);
  });

  it('on the desktop, export offers the format, asks the native folder dialog, then Open folder and Copy path', async () => {
    const fake = scriptedHost({
      'dialogs.chooseFolder': () => ({ path: '/home/me/export' }),
      'runs.export': (p) => ({ outDir: p.outDir, files: ['model.py'] }),
      'shell.showItem': () => ({}),
    });
    const { training, ui } = fake;
    expect(training.exporter.chooseFolder).toBeUndefined(); // a browser has the app's folder browser
    ui.setState({
      host: {
        kind: 'desktop',
        appVersion: 't',
        platform: 'linux',
        documentsDir: '/home/me',
        homeDir: '/home/me',
        pathSeparator: '/',
      },
    });
    // The menu's Export opens the same dialog as in a browser (TensorFlow.js or PyTorch), not straight a folder.
    training.exporter.exportRun('r1');
    expect(training.store.getState().dialog).toEqual({ kind: 'export', runId: 'r1' });
    expect(await training.exporter.chooseFolder!()).toBe('/home/me/export');
    expect(fake.calls.at(-1)).toMatchObject({ method: 'dialogs.chooseFolder' });
    expect(await training.exporter.exportTo('r1', '/home/me/export', 'pytorch')).toBe(true);
    expect(fake.calls.at(-1)).toEqual({
      method: 'runs.export',
      params: { runId: 'r1', outDir: '/home/me/export', format: 'pytorch' },
    });
    const toast = ui.getState().toasts.at(-1)!;
    expect(toast.message).toBe('Exported the PyTorch package to /home/me/export (1 files).');
    expect([toast.action?.label, toast.secondary?.label]).toEqual(['Open folder', 'Copy path']);
    toast.action!.run();
    await tick();
    expect(fake.calls.at(-1)).toEqual({ method: 'shell.showItem', params: { path: '/home/me/export' } });
    const copied: string[] = [];
    vi.stubGlobal('navigator', { clipboard: { writeText: async (text: string) => void copied.push(text) } });
    try {
      toast.secondary!.run();
      await tick();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(copied).toEqual(['/home/me/export']);
  });

  it('runs the desktop menu’s training commands', async () => {
    const fake = scriptedHost({
      'training.pause': () => summary('r1', { status: 'paused' }),
      'training.continue': () => summary('r1', { status: 'running' }),
      'runs.list': () => [],
    });
    const { training } = fake;
    expect(runTrainingCommand(training, 'toggle-training-panel')).toBe(true);
    expect(training.store.getState().dockOpen).toBe(true);
    runTrainingCommand(training, 'run-start');
    expect(training.store.getState().dialog).toEqual({ kind: 'train' });
    fake.emit('r1', stepEvent(1));
    fake.frame();
    training.store.setState({ watched: 'r1', dialog: null });
    runTrainingCommand(training, 'run-pause');
    await tick();
    expect(fake.calls.at(-1)?.method).toBe('training.pause');
    fake.emit('r1', { type: 'paused', step: 1 });
    fake.frame();
    runTrainingCommand(training, 'run-start');
    await tick();
    expect(fake.calls.at(-1)?.method).toBe('training.continue');
    expect(runTrainingCommand(training, 'save')).toBe(false);
  });
});

describe('Training when another document opens', () => {
  it('forgets a run that is over (status bar, live view, its messages) and keeps one still training', async () => {
    const fake = scriptedHost();
    const { training } = fake;
    training.store.setState({ watched: 'r1' });
    fake.emit('r1', stepEvent(3));
    fake.emit('r1', { type: 'stopped', step: 3, reason: 'error', message: 'Run r1 failed.', checkpointStep: null });
    fake.frame();
    expect(training.watchedRun()?.status).toBe('error');
    expect(fake.notices()).toEqual([{ level: 'error', message: 'Run r1 failed.' }]);
    training.store.setState((s) => ({ explorer: { ...s.explorer, runId: 'r1', points: [{ x: 1, y: 2 }] } }));
    training.documentOpened();
    expect(training.watchedRun()).toBeUndefined();
    expect(training.store.getState().explorer.points).toEqual([]);
    expect(fake.notices()).toEqual([]);

    training.store.setState({ watched: 'r2' });
    fake.emit('r2', stepEvent(1));
    fake.frame();
    training.documentOpened();
    expect(training.liveRun()?.runId).toBe('r2');
    fake.emit('r2', { type: 'paused', step: 1 });
    fake.frame();
    training.documentOpened();
    expect(training.liveRun()?.status).toBe('paused');
  });
});
