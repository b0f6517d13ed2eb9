// The Electron main process: one secure window, native menus and dialogs, and the engine process that runs
// the shared host. Main stays thin and idle: requests pass through it (validated), host events do not.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserWindow, WebContents } from 'electron';
import { app, dialog, ipcMain, Menu, MessageChannelMain, protocol, session, shell, utilityProcess } from 'electron';
import type { EventMessage, MenuCommand, RecentFile, ResponseMessage } from '../../graph-schemas';
import { desktopIpc, eventMessage, RecentFileSchema } from '../../graph-schemas';
import { appFiles, appFolders, graphFileInArgs } from './app-paths';
import type { DocumentState } from './desktop-handlers';
import { createDesktopHandlers } from './desktop-handlers';
import { APP_NAME, confirmClose, windowTitle } from './document-state';
import { EngineConnection } from './engine-connection';
import { openMainWindow } from './main-window';
import { buildMenuTemplate } from './menu';
import { APP_SCHEME_PRIVILEGES, serveRendererRequest } from './renderer-protocol';
import { APP_SCHEME, createRequestRouter, isTrustedSender } from './request-router';
import { guardWebContents, restrictPermissions } from './web-security';

const log = (line: string) => console.error(`[sagan-studio] ${line}`);

app.setName(APP_NAME);
app.enableSandbox();
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

const files = appFiles({
  appPath: app.getAppPath(),
  isPackaged: app.isPackaged,
  resourcesPath: process.resourcesPath,
  platform: process.platform,
  arch: process.arch,
});
const folders = appFolders(process.env, { userData: app.getPath('userData'), documents: app.getPath('documents') });
let win: BrowserWindow | null = null;
let pendingOpen: string | null = graphFileInArgs(process.argv, process.cwd());
let documentState: DocumentState = { title: 'Untitled', path: null, dirty: false };
let saveWaiters: ((state: DocumentState) => void)[] = [];
let recent: RecentFile[] = [];
let quitting: 'no' | 'asking' | 'stopping' | 'done' = 'no';

function sendToPage(message: EventMessage): void {
  if (win && !win.isDestroyed()) win.webContents.send(desktopIpc.event, message);
}
const sendCommand = (command: MenuCommand, path?: string) =>
  sendToPage(eventMessage('app.command', path ? { command, path } : { command }));

const engine = new EngineConnection({
  fork: () =>
    utilityProcess.fork(files.engineEntry, [], {
      serviceName: `${APP_NAME} engine`,
      cwd: app.getAppPath(),
      stdio: 'inherit',
      env: { ...process.env, ...(files.esbuildBinary ? { ESBUILD_BINARY_PATH: files.esbuildBinary } : {}) },
    }),
  config: { appVersion: app.getVersion(), ...folders },
  onCrash: (message) => {
    log(message);
    sendToPage(eventMessage('host.notice', { level: 'error', message }));
  },
  onRestart: () => {
    if (win && !win.isDestroyed()) connectPage(win.webContents);
  },
  log,
});

function connectPage(contents: WebContents): void {
  const { port1, port2 } = new MessageChannelMain();
  engine.connectPage(port1);
  contents.postMessage(desktopIpc.enginePort, null, [port2]);
}

const route = createRequestRouter(
  createDesktopHandlers({
    dialog,
    shell,
    window: () => (win && !win.isDestroyed() ? win : null),
    documentsDir: () => folders.documentsDir,
    onDocumentState: (state) => {
      const pathChanged = state.path !== documentState.path;
      documentState = state;
      if (win && !win.isDestroyed()) {
        win.setTitle(windowTitle(state));
        win.setDocumentEdited(state.dirty);
        if (process.platform === 'darwin') win.setRepresentedFilename(state.path ?? '');
      }
      if (pathChanged && state.path) app.addRecentDocument(state.path);
      const waiters = saveWaiters;
      saveWaiters = [];
      for (const resolve of waiters) resolve(state);
      void refreshMenu();
    },
  }),
  engine,
);

/** Main's own API calls (the recent list for the menu, running runs before quitting) go the same way as the page's. */
let ownId = -1;
async function ask(method: string, params: unknown): Promise<unknown> {
  const response: ResponseMessage = await route({ id: ownId--, method, params });
  if ('error' in response) throw new Error(response.error.message);
  return response.result;
}

async function refreshMenu(): Promise<void> {
  recent = await ask('files.recent', {}).then(
    (r) => RecentFileSchema.array().parse(r),
    () => recent,
  );
  const template = buildMenuTemplate({
    platform: process.platform,
    appName: APP_NAME,
    recent,
    development: !app.isPackaged,
    send: sendCommand,
    showAbout,
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function showAbout(): void {
  const detail = `Compose, train and inspect Self-Attention GANs on your own machine.\n\nElectron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}\nGraphs: ${folders.documentsDir}`;
  const options = {
    type: 'info' as const,
    title: `About ${APP_NAME}`,
    message: `${APP_NAME} ${app.getVersion()}`,
    detail,
    buttons: ['OK'],
  };
  void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
}

/** Opens a graph the OS handed us: in the open window, or on the first page load. */
function openFromOs(path: string): void {
  if (win && !win.isDestroyed()) {
    if (win.isMinimized()) win.restore();
    win.focus();
    sendCommand('open-recent', path);
  } else pendingOpen = path;
}

async function countActiveRuns(): Promise<number> {
  if (!engine.running) return 0;
  const runs = (await ask('runs.list', {})) as { status: string }[];
  return runs.filter((r) => r.status === 'running' || r.status === 'paused').length;
}

/** Closing or quitting: ask about unsaved changes and running trainings, then checkpoint every run and quit. */
async function quitWhenConfirmed(): Promise<void> {
  if (quitting !== 'no') return;
  quitting = 'asking';
  const ok = await confirmClose({
    state: () => documentState,
    runningRuns: countActiveRuns,
    ask: (options) =>
      win && !win.isDestroyed() ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options),
    saveAndReport: () =>
      new Promise((resolve) => {
        saveWaiters.push(resolve);
        sendCommand('save');
      }),
  }).catch((e: unknown) => {
    log(`Closing failed: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  });
  if (!ok) {
    quitting = 'no';
    return;
  }
  await stopAndQuit();
}

async function stopAndQuit(): Promise<void> {
  quitting = 'stopping';
  win?.hide();
  await engine.shutdown();
  quitting = 'done';
  app.quit();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const path = graphFileInArgs(argv, workingDirectory);
    if (path) openFromOs(path);
    else if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openFromOs(path);
  });
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, log);
    // The page asks before unloading with unsaved changes; main has already asked natively by then.
    contents.on('will-prevent-unload', (event) => event.preventDefault());
  });
  app.on('before-quit', (event) => {
    if (quitting === 'done') return;
    event.preventDefault();
    void quitWhenConfirmed();
  });
  app.on('window-all-closed', () => app.quit());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stopAndQuit());

  ipcMain.handle(desktopIpc.request, (event, raw: unknown) => {
    if (!isTrustedSender(event.senderFrame))
      return { id: -1, error: { code: 'permission', message: 'Only the SAGAN Studio page may use its API.' } };
    return route(raw);
  });
  ipcMain.on(desktopIpc.connect, (event) => {
    if (isTrustedSender(event.senderFrame)) connectPage(event.sender);
  });

  void app.whenReady().then(async () => {
    if (!existsSync(join(files.rendererDir, 'index.html'))) {
      dialog.showErrorBox(
        `${APP_NAME} is not built`,
        `${files.rendererDir} has no index.html: run npm run build:renderer (npm start does it for you).`,
      );
      quitting = 'done';
      return app.quit();
    }
    mkdirSync(folders.documentsDir, { recursive: true });
    protocol.handle(APP_SCHEME, (request) => serveRendererRequest(files.rendererDir, request));
    restrictPermissions(session.defaultSession);
    await refreshMenu();
    const toOpen = pendingOpen;
    pendingOpen = null;
    win = await openMainWindow(files, join(app.getPath('userData'), 'window-state.json'), process.platform, toOpen);
    win.on('close', (event) => {
      if (quitting === 'done') return;
      event.preventDefault();
      void quitWhenConfirmed();
    });
    win.on('closed', () => (win = null));
  });
}
