import { z } from 'zod';
import { RequestMessageSchema, ResponseMessageSchema } from '../../graph-schemas';

/**
 * Messages between the main process and the engine process (an Electron utilityProcess running the shared
 * host, electron/host). Both sides parse what they receive with these schemas: a process boundary is an entry point.
 */

/** What the engine process needs to create its host; sent once, first. */
export const EngineConfigSchema = z
  .object({
    appVersion: z.string(),
    /** Recent files, the recovery snapshot, the dataset cache. */
    stateDir: z.string().min(1),
    /** Where graphs are saved by default; runs go in its `runs` folder unless runsDir says otherwise. */
    documentsDir: z.string().min(1),
    runsDir: z.string().min(1).optional(),
  })
  .strict();
export type EngineConfig = z.output<typeof EngineConfigSchema>;

export const ToEngineSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), config: EngineConfigSchema }).strict(),
  /** An API request main has already validated; the engine validates it again with dispatchRequest. */
  z.object({ type: z.literal('request'), message: RequestMessageSchema }).strict(),
  /** Carries (in `ports`) a MessagePort to one page; the engine sends that page every host event. */
  z.object({ type: z.literal('connect-page') }).strict(),
  /** Stop every training run with a checkpoint, then answer `shutdown-done`. */
  z.object({ type: z.literal('shutdown') }).strict(),
]);
export type ToEngine = z.output<typeof ToEngineSchema>;

export const FromEngineSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }).strict(),
  z.object({ type: z.literal('response'), message: ResponseMessageSchema }).strict(),
  z.object({ type: z.literal('shutdown-done') }).strict(),
  /** Something the engine process cannot recover from (its host failed to start). */
  z.object({ type: z.literal('fatal'), message: z.string() }).strict(),
]);
export type FromEngine = z.output<typeof FromEngineSchema>;
