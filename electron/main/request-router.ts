import type { ApiHandlers, ApiMethod, RequestMessage, ResponseMessage } from '../../graph-schemas';
import { ApiError, apiMethods, dispatchRequest } from '../../graph-schemas';
import type { DesktopHandlers } from './desktop-handlers';

/** Where requests that need no Electron API go: the engine process's host. */
export interface EngineRequester {
  request(message: RequestMessage): Promise<ResponseMessage>;
}

/**
 * Every request from a page passes here: dispatchRequest validates it (method, then params with zod) and the
 * result. The desktop methods run in main; all others go on to the engine process, which validates again.
 */
export function createRequestRouter(
  desktop: DesktopHandlers,
  engine: EngineRequester,
): (raw: unknown) => Promise<ResponseMessage> {
  let nextId = 1;
  const forward = (method: ApiMethod) => async (params: unknown) => {
    const response = await engine.request({ id: nextId++, method, params });
    if ('error' in response) throw new ApiError(response.error.code, response.error.message);
    return response.result;
  };
  const handlers = Object.fromEntries(
    (Object.keys(apiMethods) as ApiMethod[]).map((method) => [
      method,
      Object.hasOwn(desktop, method) ? desktop[method as keyof DesktopHandlers] : forward(method),
    ]),
  ) as ApiHandlers;
  return (raw) => dispatchRequest(handlers, raw);
}

/** The page's own origin: the scheme and host main serves the built renderer on (see renderer-protocol.ts). */
export const APP_SCHEME = 'sagan';
export const APP_HOST = 'app';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True for URLs of the app's own pages (WHATWG URL gives custom schemes an opaque origin, so compare the parts). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === `${APP_SCHEME}:` &&
      parsed.host === APP_HOST &&
      parsed.username === '' &&
      parsed.password === '' &&
      parsed.port === ''
    );
  } catch {
    return false;
  }
}

/** Only the app's own top-level page may call the API; a frame or a page from anywhere else is refused. */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined): boolean {
  return !!frame && !frame.parent && isAppUrl(frame.url);
}
