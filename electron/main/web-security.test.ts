import type { Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { guardWebContents, restrictPermissions } from './web-security';

type Listener = (event: { preventDefault(): void; defaultPrevented?: boolean }, url?: string) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (event: string, listener: Listener) => listeners.set(event, listener),
    setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
  } as unknown as Pick<WebContents, 'on' | 'setWindowOpenHandler'>;
  const fire = (event: string, url?: string) => {
    let prevented = false;
    listeners.get(event)!({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler!({ url }) };
}

describe('web contents guard', () => {
  it("blocks navigation and redirects away from the app's own pages, allows reloading them", () => {
    const { contents, fire } = fakeContents();
    const log: string[] = [];
    guardWebContents(contents, (l) => void log.push(l));
    expect(fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
    expect(fire('will-navigate', 'sagan://app/index.html')).toBe(false);
    expect(log).toEqual([
      'Blocked navigation to https://example.com/.',
      'Blocked navigation to file:///etc/passwd.',
      'Blocked a redirect to http://127.0.0.1:8080/.',
    ]);
  });

  it('denies every new window and every <webview>', () => {
    const { contents, fire, open } = fakeContents();
    guardWebContents(contents);
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    expect(open('sagan://app/index.html')).toEqual({ action: 'deny' });
    expect(fire('will-attach-webview')).toBe(true);
  });
});

describe('permissions', () => {
  it('grants writing to the clipboard to the app page only, and nothing else', () => {
    let request!: (contents: { getURL(): string }, permission: string, callback: (ok: boolean) => void) => void;
    let check!: (contents: unknown, permission: string, origin: string) => boolean;
    const session = {
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
    } as unknown as Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;
    restrictPermissions(session);
    const ask = (url: string, permission: string) => {
      let granted: boolean | undefined;
      request({ getURL: () => url }, permission, (ok) => (granted = ok));
      return granted;
    };
    expect(ask('sagan://app/index.html', 'clipboard-sanitized-write')).toBe(true);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read'])
      expect(ask('sagan://app/index.html', p)).toBe(false);
    expect(ask('https://example.com/', 'clipboard-sanitized-write')).toBe(false);
    expect(check(null, 'clipboard-sanitized-write', 'sagan://app')).toBe(true);
    expect(check(null, 'media', 'sagan://app')).toBe(false);
  });
});
