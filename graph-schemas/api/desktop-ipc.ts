// No imports: the sandboxed preload bundles this file, and it should not pull zod in with it.

/**
 * The Electron IPC channels between the preload and the main process; only the preload and main use them.
 * Requests go renderer → main (validated there) → engine process; host events come straight from the engine
 * process over a MessagePort (`enginePort`), the shell's own events (menu commands) over `event`.
 */
export const desktopIpc = {
  /** invoke(RequestMessage) → ResponseMessage */
  request: 'sagan:request',
  /** main → page: an EventMessage of the shell itself (app.command, host.notice) */
  event: 'sagan:event',
  /** page → main: "send me a port to the engine process" (on every page load) */
  connect: 'sagan:connect',
  /** main → page: carries the MessagePort whose messages are the engine's EventMessages */
  enginePort: 'sagan:engine-port',
} as const;
