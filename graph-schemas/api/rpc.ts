import { z } from 'zod';
import type { ApiEvent, ApiEventPayload, ApiMethod, ApiParams, ApiResult } from './contract';
import { ApiError, ApiErrorSchema, apiEvents, apiMethods } from './contract';

/** Wire messages, the same over a WebSocket and over Electron IPC. */
export const RequestMessageSchema = z
  .object({ id: z.number().int(), method: z.string(), params: z.unknown() })
  .strict();
export const ResponseMessageSchema = z.union([
  z.object({ id: z.number().int(), result: z.unknown() }).strict(),
  z.object({ id: z.number().int(), error: ApiErrorSchema }).strict(),
]);
export const EventMessageSchema = z.object({ event: z.string(), payload: z.unknown() }).strict();
export type RequestMessage = z.output<typeof RequestMessageSchema>;
export type ResponseMessage = z.output<typeof ResponseMessageSchema>;
export type EventMessage = z.output<typeof EventMessageSchema>;

export type ApiHandlers = {
  [M in ApiMethod]: (params: z.output<(typeof apiMethods)[M]['params']>) => Promise<ApiResult<M>> | ApiResult<M>;
};

/** Host side: validates a raw message from the UI, runs the handler, validates what it returns. Never throws. */
export async function dispatchRequest(handlers: ApiHandlers, raw: unknown): Promise<ResponseMessage> {
  const req = RequestMessageSchema.safeParse(raw);
  if (!req.success) return { id: -1, error: { code: 'bad-request', message: 'Malformed request.' } };
  const { id, method } = req.data;
  if (!Object.hasOwn(apiMethods, method))
    return { id, error: { code: 'bad-request', message: `Unknown method "${method}".` } };
  const spec = apiMethods[method as ApiMethod];
  const params = spec.params.safeParse(req.data.params ?? {});
  if (!params.success) {
    const issue = params.error.issues[0];
    return {
      id,
      error: {
        code: 'bad-request',
        message: `Bad parameters for ${method}: ${issue ? `${issue.path.join('.') || 'params'}: ${issue.message}` : 'invalid'}.`,
      },
    };
  }
  try {
    const handler = handlers[method as ApiMethod] as (p: unknown) => unknown;
    const result = spec.result.parse(await handler(params.data));
    return { id, result };
  } catch (e) {
    if (e instanceof ApiError) return { id, error: { code: e.code, message: e.message } };
    return {
      id,
      error: { code: 'internal', message: `${method} failed: ${e instanceof Error ? e.message : String(e)}` },
    };
  }
}

export function eventMessage<E extends ApiEvent>(event: E, payload: ApiEventPayload<E>): EventMessage {
  return { event, payload: apiEvents[event].parse(payload) };
}

/** What a transport must do: send a request and deliver events. The WebSocket and Electron clients implement it. */
export interface ApiTransport {
  request(message: RequestMessage): Promise<ResponseMessage>;
  onEvent(listener: (message: EventMessage) => void): () => void;
}

type Namespaced<T extends string> = T extends `${infer NS}.${string}` ? NS : never;
type MethodsOf<NS extends string> = Extract<ApiMethod, `${NS}.${string}`>;
/** Methods whose params are all optional (or none) can be called without an argument. */
type ClientFn<M extends ApiMethod> =
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- "{}" is the empty params object here
  {} extends ApiParams<M>
    ? (params?: ApiParams<M>) => Promise<ApiResult<M>>
    : (params: ApiParams<M>) => Promise<ApiResult<M>>;
export type StudioApi = {
  [NS in Namespaced<ApiMethod>]: {
    [M in MethodsOf<NS> as M extends `${NS}.${infer Name}` ? Name : never]: ClientFn<M>;
  };
} & {
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void;
};

/** UI side: a typed facade (`api.files.read({ path })`) over any transport; errors arrive as ApiError. */
export function createApiClient(transport: ApiTransport): StudioApi {
  let nextId = 1;
  const call = async (method: ApiMethod, params: unknown) => {
    const res = await transport.request({ id: nextId++, method, params: params ?? {} });
    if ('error' in res) throw new ApiError(res.error.code, res.error.message);
    return apiMethods[method].result.parse(res.result);
  };
  const api: Record<string, unknown> = {
    on: (event: ApiEvent, listener: (payload: unknown) => void) =>
      transport.onEvent((msg) => {
        if (msg.event !== event) return;
        const parsed = apiEvents[event].safeParse(msg.payload);
        if (parsed.success) listener(parsed.data);
      }),
  };
  for (const method of Object.keys(apiMethods) as ApiMethod[]) {
    const [ns, name] = method.split('.') as [string, string];
    const group = (api[ns] ??= {}) as Record<string, unknown>;
    group[name] = (params?: unknown) => call(method, params);
  }
  return api as StudioApi;
}
