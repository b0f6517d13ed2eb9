import { BrowserWindow, screen } from 'electron';
import type { AppFiles } from './app-paths';
import { APP_NAME } from './document-state';
import { APP_URL } from './request-router';
import { loadWindowState, MIN_SIZE, placeWindow, saveWindowState } from './window-state';

/**
 * The one window: placed where it was last time (if that is still on a screen), showing the built renderer
 * from the app's own scheme, with `?open=PATH` when the app was started to open a graph file.
 */
export async function openMainWindow(
  files: AppFiles,
  stateFile: string,
  platform: NodeJS.Platform,
  openPath: string | null,
): Promise<BrowserWindow> {
  const place = placeWindow(
    await loadWindowState(stateFile),
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
  win.on('close', () => {
    const bounds = win.getNormalBounds();
    void saveWindowState(stateFile, { bounds, maximized: win.isMaximized() }).catch(() => undefined);
  });
  const url = new URL(APP_URL);
  if (openPath) url.searchParams.set('open', openPath);
  await win.loadURL(url.toString());
  return win;
}
