import { parentPort } from 'node:worker_threads';
import { LatentRequestError } from '../../core/latent/latent-views';
import { selectBackend } from '../backend';
import { LatentExplorer, LatentSourceError } from './latent-explorer';
import type { FromLatentWorker, LatentAnswer, LatentFailureCode, LatentJob, ToLatentWorker } from './latent-protocol';

/**
 * The latent explorer's thread: it keeps the last checkpoint it loaded, so moving a slider or picking endpoints
 * draws at once instead of reading and compiling the model again. Only our own client (latent-client.ts) posts here.
 */
const port = parentPort;
if (!port) throw new Error('latent-worker.ts must run in a worker thread.');
const post = (m: FromLatentWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const explorer = new LatentExplorer();
const backend = selectBackend({ requested: 'auto' });

port.on('message', (msg: ToLatentWorker) => {
  if (msg.type !== 'latent') return;
  void backend
    .then(() => answer(msg.job))
    .then(
      (answer) =>
        post(
          { type: 'latent-result', requestId: msg.requestId, answer },
          answer.op === 'render' ? [answer.png.buffer as ArrayBuffer] : [],
        ),
      (e: unknown) =>
        post({ type: 'latent-error', requestId: msg.requestId, code: codeOf(e), message: (e as Error).message }),
    );
});

async function answer(job: LatentJob): Promise<LatentAnswer> {
  switch (job.op) {
    case 'describe':
      return { op: 'describe', model: await explorer.describe(job.source) };
    case 'render': {
      const { model, picture, png } = await explorer.render(job.source, job.view, job.scale);
      const { image, ...layout } = picture;
      return { op: 'render', model, layout: { width: image.width, height: image.height, ...layout }, png };
    }
    case 'save':
      return { op: 'save', ...(await explorer.save(job.source, job.view, job.path, job.scale)) };
  }
}

function codeOf(e: unknown): LatentFailureCode {
  if (e instanceof LatentSourceError) return e.notFound ? 'not-found' : 'bad-request';
  if (e instanceof LatentRequestError || e instanceof RangeError) return 'bad-request';
  return 'internal';
}
