import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { LatentFailure, LatentWorkerClient } from './latent-client';

const empty = mkdtempSync(join(tmpdir(), 'sagan-latent-client-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

const describeJob = { op: 'describe' as const, source: { dir: empty } };

/** A thread that ends as soon as it is asked anything: a crash, as the client sees one. */
const crashingThread = () =>
  new Worker("require('node:worker_threads').parentPort.on('message', () => process.exit(3));", { eval: true });

/** A thread that answers every request with "not found". */
const answeringThread = () =>
  new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', (m) => parentPort.postMessage({ type: 'latent-error', requestId: m.requestId, code: 'not-found', message: 'nothing here' }));`,
    { eval: true },
  );

describe('LatentWorkerClient', () => {
  it('ends its thread after the idle time and starts another for the next request', async () => {
    const client = new LatentWorkerClient(300);
    try {
      await expect(client.ask(describeJob)).rejects.toMatchObject({ name: 'LatentFailure', code: 'not-found' });
      expect(client.running).toBe(true);
      await expect.poll(() => client.running, { timeout: 5000, interval: 50 }).toBe(false);
      await expect(client.ask(describeJob)).rejects.toMatchObject({ code: 'not-found' });
      expect(client.running).toBe(true);
    } finally {
      await client.dispose();
    }
    expect(client.running).toBe(false);
  }, 60_000);

  it('a thread that dies fails the requests it held with a message, and the next request gets a new thread', async () => {
    const threads = [crashingThread, answeringThread];
    const client = new LatentWorkerClient(60_000, () => threads.shift()!());
    try {
      const lost = await client.ask(describeJob).catch((e: unknown) => e);
      expect(lost).toBeInstanceOf(LatentFailure);
      expect((lost as LatentFailure).code).toBe('internal');
      expect((lost as LatentFailure).message).toMatch(/thread ended \(exit code 3\)/);
      expect(client.running).toBe(false);
      await expect(client.ask(describeJob)).rejects.toMatchObject({ code: 'not-found', message: 'nothing here' });
      expect(threads).toHaveLength(0);
    } finally {
      await client.dispose();
    }
  });

  it('closing it fails what is still pending instead of leaving it waiting', async () => {
    // A thread that never answers.
    const client = new LatentWorkerClient(60_000, () => new Worker('setInterval(() => {}, 1000);', { eval: true }));
    const pending = client.ask(describeJob).catch((e: unknown) => e);
    await client.dispose();
    expect(((await pending) as LatentFailure).message).toMatch(/closed before it answered/);
  });
});
