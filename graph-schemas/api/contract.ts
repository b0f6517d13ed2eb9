import { z } from 'zod';
import { desktopEvents, desktopMethods } from './desktop-contract';
import { latentMethods } from './latent-contract';
import { sweepEvents, sweepMethods } from './sweep-contract';
import { trainingEvents, trainingMethods } from './training-contract';

/**
 * The one typed API between the UI and its host (the Electron main process, or the local web server).
 * Every method has a zod schema for its params and result; hosts validate every incoming message with them,
 * and feature code calls `api.files.read(...)` through the client, never a channel-name string.
 */

export const PresetSummarySchema = z.object({
  name: z.string(),
  title: z.string(),
  summary: z.string(),
  group: z.string(),
});
export const HostInfoSchema = z.object({
  kind: z.enum(['desktop', 'web']),
  appVersion: z.string(),
  platform: z.string(),
  /** Where graphs are saved by default (the user's documents folder or the server's working folder). */
  documentsDir: z.string(),
  homeDir: z.string(),
  pathSeparator: z.enum(['/', '\\']),
  /** The only folders a confined host (the web host: --dir and --data-dir) lets the page use; absent where any may be. */
  folders: z.array(z.string()).optional(),
});
export const FileEntrySchema = z.object({
  name: z.string(),
  path: z.string(),
  kind: z.enum(['file', 'dir']),
  size: z.number(),
  mtimeMs: z.number(),
});
export const DirectoryListingSchema = z.object({
  path: z.string(),
  parent: z.string().nullable(),
  entries: z.array(FileEntrySchema),
});
export const FileContentSchema = z.object({ path: z.string(), text: z.string(), mtimeMs: z.number() });
export const WrittenFileSchema = z.object({ path: z.string(), mtimeMs: z.number() });
export const RecentFileSchema = z.object({ path: z.string(), name: z.string(), openedAt: z.string() });
export const RecoverySnapshotSchema = z.object({
  text: z.string(),
  savedAt: z.string(),
  /** The file the snapshot belongs to, if it had been saved before. */
  path: z.string().nullable(),
  name: z.string(),
});

const path = z.string().min(1).max(4096);
const noParams = z.object({}).strict();

export const apiMethods = {
  'host.info': { params: noParams, result: HostInfoSchema },
  'presets.list': { params: noParams, result: z.array(PresetSummarySchema) },
  /** The preset's document as plain JSON; the UI loads it with loadGraph like any file. */
  'presets.get': { params: z.object({ name: z.string().min(1).max(200) }).strict(), result: z.unknown() },
  'files.list': { params: z.object({ path }).strict(), result: DirectoryListingSchema },
  'files.read': { params: z.object({ path }).strict(), result: FileContentSchema },
  /** Atomic (temp file, then rename). With expectedMtimeMs, refuses to overwrite a file changed on disk since it was read. */
  'files.write': {
    params: z
      .object({
        path,
        text: z.string().max(64 * 1024 * 1024),
        expectedMtimeMs: z.number().optional(),
        overwrite: z.boolean().default(true),
      })
      .strict(),
    result: WrittenFileSchema,
  },
  'files.recent': { params: noParams, result: z.array(RecentFileSchema) },
  'files.addRecent': { params: z.object({ path }).strict(), result: z.array(RecentFileSchema) },
  /** Autosave of the open document, so a crash loses nothing; the next start offers to restore it. */
  'recovery.save': {
    params: z
      .object({ text: z.string().max(64 * 1024 * 1024), path: path.nullable(), name: z.string().max(500) })
      .strict(),
    result: z.object({ savedAt: z.string() }),
  },
  'recovery.load': { params: noParams, result: RecoverySnapshotSchema.nullable() },
  'recovery.clear': { params: noParams, result: z.object({ cleared: z.boolean() }) },
  ...trainingMethods,
  ...sweepMethods,
  ...latentMethods,
  ...desktopMethods,
} as const;

export type ApiMethod = keyof typeof apiMethods;
export type ApiParams<M extends ApiMethod> = z.input<(typeof apiMethods)[M]['params']>;
export type ApiResult<M extends ApiMethod> = z.output<(typeof apiMethods)[M]['result']>;

/** Events the host pushes to the UI. */
export const apiEvents = {
  'host.notice': z.object({ level: z.enum(['info', 'warning', 'error']), message: z.string() }),
  ...trainingEvents,
  ...sweepEvents,
  ...desktopEvents,
} as const;
export type ApiEvent = keyof typeof apiEvents;
export type ApiEventPayload<E extends ApiEvent> = z.output<(typeof apiEvents)[E]>;

export type PresetSummary = z.output<typeof PresetSummarySchema>;
export type HostInfo = z.output<typeof HostInfoSchema>;
export type FileEntry = z.output<typeof FileEntrySchema>;
export type DirectoryListing = z.output<typeof DirectoryListingSchema>;
export type FileContent = z.output<typeof FileContentSchema>;
export type RecentFile = z.output<typeof RecentFileSchema>;
export type RecoverySnapshot = z.output<typeof RecoverySnapshotSchema>;

/** An error a host returns to the UI: a message for the user, and a code for the UI to act on. */
export const ApiErrorSchema = z.object({
  code: z.enum(['bad-request', 'not-found', 'conflict', 'permission', 'exists', 'internal', 'unavailable']),
  message: z.string(),
});
export type ApiErrorInfo = z.output<typeof ApiErrorSchema>;

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorInfo['code'],
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
