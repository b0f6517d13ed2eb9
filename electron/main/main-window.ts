import { BrowserWindow, screen } from 'electron';
import type { AppFiles } from './app-paths';
import { APP_NAME } from './document-state';
import { APP_URL } from './request-router';
import type { WindowState } from './window-state';
import { loadWindowState, MIN_SIZE, placeWindow } from './window-state';

/**
 * The one window, created at once (main.ts attaches its handlers before anything loads): placed where it was
 * last time, if that is still on a screen. It shows itself when the page has painted (the page says when the
 * engine is still starting); `loadPage` loads the built renderer from the app's own scheme.
 */
export function createMainWindow(files: AppFiles, stateFile: string, platform: NodeJS.Platform): BrowserWindow {
  const place = placeWindow(
    loadWindowState(stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...(place.x !== undefined && place.y !== undefined ? { x: place.x, y: place.y } : {}),
    width: place.width,
    height: place.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: APP_NAME,
    backgroundColor: '#1b1d23',
    ...(platform === 'linux' ? { icon: files.icon } : {}),
    // The page is treated as untrusted: isolated, sandboxed, no Node; it reaches the host only through the
    // preload's one narrow API. (Written out here, not built elsewhere, so the security scan can read it.)
    webPreferences: {
      preload: files.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click would open links in a new window; new windows are denied anyway.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => {
    if (place.maximized) win.maximize();
    win.show();
  });
  // The title comes from app.documentState (main composes it), not from the page's <title>.
  win.on('page-title-updated', (event) => event.preventDefault());
  return win;
}

/** Loads the page, with `?open=PATH` when the app was started to open a graph file. */
export function loadPage(win: BrowserWindow, openPath: string | null): Promise<void> {
  const url = new URL(APP_URL);
  if (openPath) url.searchParams.set('open', openPath);
  return win.loadURL(url.toString());
}

/** Where the window is now, to open it there next time (read while it is shown: hidden, it is never maximized). */
export function windowPlace(win: BrowserWindow): WindowState {
  return { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
}
