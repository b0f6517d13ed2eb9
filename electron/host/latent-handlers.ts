import type { ApiHandlers, LatentSourceChoice } from '../../graph-schemas';
import { ApiError } from '../../graph-schemas';
import type { LatentEngine } from '../engine/node/latent/latent-client';
import { LatentFailure } from '../engine/node/latent/latent-client';
import type { LatentSource } from '../engine/node/latent/latent-explorer';

type LatentHandlers = Pick<ApiHandlers, 'latent.describe' | 'latent.render' | 'latent.save'>;

export interface LatentHandlerDeps {
  latent: LatentEngine;
  /** A run's folder, once the run is known to exist and lie in the host's folders. */
  runDir(runId: string): Promise<string>;
  /** A path from the UI, resolved and checked against the host's folders. */
  allowed(path: string, action: string): Promise<string>;
}

/** The latent explorer's API: sources resolved and checked here, the drawing done in the engine's latent thread. */
export function latentHandlers({ latent, runDir, allowed }: LatentHandlerDeps): LatentHandlers {
  const source = async (s: LatentSourceChoice): Promise<LatentSource> =>
    s.kind === 'run'
      ? { dir: await runDir(s.runId), ...(s.step !== undefined ? { step: s.step } : {}) }
      : { dir: await allowed(s.dir, 'open the export') };
  const asked = <T>(work: Promise<T>) =>
    work.catch((e: unknown) => {
      if (e instanceof LatentFailure) throw new ApiError(e.code, e.message);
      throw e;
    });
  return {
    'latent.describe': async (p) => (await asked(latent.ask({ op: 'describe', source: await source(p.source) }))).model,
    'latent.render': async (p) => {
      const answer = await asked(
        latent.ask({ op: 'render', source: await source(p.source), view: p.view, scale: p.scale }),
      );
      return {
        model: answer.model,
        pngBase64: Buffer.from(answer.png).toString('base64'),
        ...answer.layout,
        scale: p.scale,
      };
    },
    'latent.save': async (p) => {
      const path = await allowed(p.path, 'save the picture to');
      const answer = await asked(
        latent.ask({ op: 'save', source: await source(p.source), view: p.view, scale: p.scale, path }),
      );
      return { path: answer.path, bytes: answer.bytes };
    },
  };
}
