import type { EventMessage, ResponseMessage } from '../../graph-schemas';
import { dispatchRequest } from '../../graph-schemas';
import type { Host } from '../host/handlers';
import type { EngineConfig, FromEngine } from './engine-protocol';
import { ToEngineSchema } from './engine-protocol';

/**
 * The engine process: an Electron utilityProcess that runs the shared host (files, presets, runs, training
 * in worker threads). Training events go from here straight to each page over its own MessagePort, so the
 * main process never touches the stream of samples and attention maps.
 */

/** The page's end of a MessageChannelMain, as the utility process receives it. */
export interface PagePort {
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
  on(event: 'close', listener: () => void): unknown;
}

/** `process.parentPort` of a utility process. */
export interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown; ports: PagePort[] }) => void): unknown;
  postMessage(message: unknown): void;
}

export type MakeHost = (config: EngineConfig, emit: (message: EventMessage) => void) => Host;

export function runEngineProcess(
  parent: ParentPortLike,
  makeHost: MakeHost,
  log: (line: string) => void = console.error,
): void {
  const pages = new Set<PagePort>();
  let host: Host | null = null;
  /** Why the host could not start: every request gets it (main ends this process and starts another). */
  let startFailure: string | null = null;
  const send = (message: FromEngine) => parent.postMessage(message);
  const emit = (message: EventMessage) => {
    for (const page of pages) page.postMessage(message);
  };

  parent.on('message', ({ data, ports }) => {
    const parsed = ToEngineSchema.safeParse(data);
    if (!parsed.success)
      return log(
        `Engine process: ignored a malformed message from the main process (${parsed.error.issues[0]?.message ?? 'invalid'}).`,
      );
    const message = parsed.data;
    switch (message.type) {
      case 'init':
        if (host) return;
        try {
          host = makeHost(message.config, emit);
          send({ type: 'ready' });
        } catch (e) {
          startFailure = `The engine could not start: ${e instanceof Error ? e.message : String(e)}`;
          send({ type: 'fatal', message: startFailure });
        }
        return;
      case 'request': {
        const current = host;
        const answer: Promise<ResponseMessage> = current
          ? dispatchRequest(current.handlers, message.message)
          : Promise.resolve({
              id: message.message.id,
              error: {
                code: 'unavailable',
                message: startFailure ?? 'The engine is still starting; try again in a moment.',
              },
            });
        void answer.then((response) => send({ type: 'response', message: response }));
        return;
      }
      case 'connect-page':
        for (const port of ports) {
          pages.add(port);
          port.on('close', () => pages.delete(port));
          port.start();
        }
        return;
      case 'shutdown':
        void (host ? host.shutdown() : Promise.resolve())
          .catch((e: unknown) =>
            log(`Engine process: stopping the runs failed: ${e instanceof Error ? e.message : String(e)}`),
          )
          .then(() => {
            for (const page of pages) page.close();
            pages.clear();
            send({ type: 'shutdown-done' });
          });
        return;
    }
  });
}
