import type { Session, WebContents } from 'electron';
import { isAppUrl } from './request-router';

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * No navigation away from the app, no new windows, no <webview>: a link or a dropped file can never turn
 * the window into a browser with our preload in it. Reloads of the app's own page are allowed.
 */
export function guardWebContents(contents: GuardedContents, log: (line: string) => void = () => {}): void {
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    log(`Blocked navigation to ${url}.`);
  });
  contents.on('will-redirect', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    log(`Blocked a redirect to ${url}.`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('Blocked a <webview>.');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`Blocked a new window for ${url}.`);
    return { action: 'deny' };
  });
}

/**
 * Copying nodes also puts them on the system clipboard as JSON; that write is the only permission the app uses.
 * Pasting into text needs no clipboard-read: the keys and Edit → Paste run Chromium's own (trusted) paste command.
 */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/** No camera, microphone, notifications, geolocation, ...: everything but writing to the clipboard is refused. */
export function restrictPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
): void {
  session.setPermissionRequestHandler((contents, permission, callback) =>
    callback(ALLOWED_PERMISSIONS.has(permission) && isAppUrl(contents.getURL())),
  );
  session.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin) =>
      ALLOWED_PERMISSIONS.has(permission) && requestingOrigin.startsWith('sagan://app'),
  );
}
