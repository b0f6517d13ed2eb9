// The Electron main process: one secure window, native menus and dialogs, and the engine process that runs
// the shared host. Main stays thin and idle: requests pass through it (validated), host events do not. What can
// run without Electron lives in plain modules with their own tests (page-link, quit-flow, engine-connection, ...).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserWindow, MessageBoxOptions, WebContents } from 'electron';
import { app, dialog, ipcMain, Menu, MessageChannelMain, protocol, session, shell, utilityProcess } from 'electron';
import type { EventMessage, MenuCommand, RecentFile } from '../../graph-schemas';
import { createApiClient, desktopIpc, eventMessage } from '../../graph-schemas';
import { appIdentity } from './app-identity';
import { appFiles, appFolders, graphFileInArgs } from './app-paths';
import { createDesktopHandlers } from './desktop-handlers';
import { APP_NAME, confirmClose, windowTitle } from './document-state';
import { EngineConnection } from './engine-connection';
import { InterruptedRuns } from './interrupted-runs';
import { createMainWindow, loadPage, windowPlace } from './main-window';
import { buildMenuTemplate } from './menu';
import { PageLink } from './page-link';
import { QuitFlow } from './quit-flow';
import { APP_SCHEME_PRIVILEGES, serveRendererRequest } from './renderer-protocol';
import { APP_SCHEME, createRequestRouter, isTrustedSender } from './request-router';
import { guardWebContents, restrictPermissions } from './web-security';
import { saveWindowState } from './window-state';

const log = (line: string) => console.error(`[sagan-studio] ${line}`);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

// Before anything reads the user-data path (the single-instance lock does).
const identity = appIdentity(process.platform);
app.setName(identity.name);
app.setPath('userData', join(app.getPath('appData'), identity.userDataFolder));
app.enableSandbox();
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

const files = appFiles(app.getAppPath());
const folders = appFolders(process.env, { userData: app.getPath('userData'), documents: app.getPath('documents') });
const windowStateFile = join(app.getPath('userData'), 'window-state.json');
let win: BrowserWindow | null = null;
let dialogsShowing = 0;
let recent: RecentFile[] = [];

const liveWindow = () => (win && !win.isDestroyed() ? win : null);
const sendToPage = (event: EventMessage) => liveWindow()?.webContents.send(desktopIpc.event, event);
const sendCommand = (command: MenuCommand, path?: string) =>
  sendToPage(eventMessage('app.command', path ? { command, path } : { command }));
const notify = (level: 'info' | 'warning' | 'error', text: string) =>
  sendToPage(eventMessage('host.notice', { level, message: text }));

/** The page: ready for commands, alive, its document; files the OS opens wait here until it is ready. */
const page = new PageLink({ send: sendCommand, dialogOpen: () => dialogsShowing > 0 });
const fileToOpen = graphFileInArgs(process.argv, process.cwd());
if (fileToOpen) page.open(fileToOpen);

const interrupted = new InterruptedRuns();
const engine = new EngineConnection({
  fork: () =>
    utilityProcess.fork(files.engineEntry, [], {
      serviceName: `${APP_NAME} engine`,
      cwd: app.getAppPath(),
      stdio: 'inherit',
    }),
  config: { appVersion: app.getVersion(), ...folders },
  onCrash: (text) => {
    log(text);
    notify('error', text);
  },
  onRestart: () => {
    const current = liveWindow();
    if (current) connectPage(current.webContents);
    void reportInterruptedRuns();
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
    window: liveWindow,
    documentsDir: () => folders.documentsDir,
    onDialog: (showing) => (dialogsShowing += showing ? 1 : -1),
    onDocumentState: (state) => {
      const pathChanged = state.path !== page.document.path;
      const current = liveWindow();
      if (current) {
        current.setTitle(windowTitle(state));
        current.setDocumentEdited(state.dirty);
        if (process.platform === 'darwin') current.setRepresentedFilename(state.path ?? '');
      }
      if (pathChanged && state.path) app.addRecentDocument(state.path);
      page.reported(state);
      void refreshMenu();
    },
  }),
  {
    request: async (request) => {
      const response = await engine.request(request);
      interrupted.saw(request.method, response);
      return response;
    },
  },
);
/** Main's own calls (the recent list for the menu, running runs before quitting) go the same way as the page's. */
const api = createApiClient({ request: route, onEvent: () => () => undefined });

async function reportInterruptedRuns(): Promise<void> {
  try {
    await engine.whenReady();
    const { runIds, message: text } = interrupted.report(await api.runs.list({}));
    if (text) notify('warning', text);
    for (const runId of runIds) sendToPage(eventMessage('runs.changed', { runId }));
  } catch (e) {
    log(`Listing the runs after an engine restart failed: ${message(e)}`);
  }
}

/** The native menu with the recent list as last fetched (set at once at start-up, before the engine answers). */
function setMenu(): void {
  const template = buildMenuTemplate({
    platform: process.platform,
    appName: APP_NAME,
    recent,
    development: !app.isPackaged,
    send: sendCommand,
    editText: (command) => liveWindow()?.webContents[command](),
    showAbout,
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function refreshMenu(): Promise<void> {
  recent = await api.files.recent({}).catch(() => recent);
  setMenu();
}

const showMessage = (options: MessageBoxOptions) => {
  const current = liveWindow();
  return current ? dialog.showMessageBox(current, options) : dialog.showMessageBox(options);
};

function showAbout(): void {
  const detail = `Compose, train and inspect Self-Attention GANs on your own machine.\n\nElectron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}\nGraphs: ${folders.documentsDir}`;
  void showMessage({
    type: 'info',
    title: `About ${APP_NAME}`,
    message: `${APP_NAME} ${app.getVersion()}`,
    detail,
    buttons: ['OK'],
  });
}

/** Opens a graph the OS handed us (in the window once the page is ready) and brings the window forward. */
function openFromOs(path: string | null): void {
  if (path) page.open(path);
  const current = liveWindow();
  if (!current) return;
  if (current.isMinimized()) current.restore();
  current.focus();
}

async function countActiveRuns(): Promise<number> {
  if (!engine.running) return 0;
  return (await api.runs.list({})).filter((r) => r.status === 'running' || r.status === 'paused').length;
}

const quit = new QuitFlow({
  confirm: () =>
    confirmClose({
      state: () => page.document,
      pageAlive: () => page.alive,
      runningRuns: countActiveRuns,
      ask: showMessage,
      saveAndReport: () => page.requestSave(),
    }),
  savePlace: () => {
    const current = liveWindow();
    if (!current) return;
    try {
      saveWindowState(windowStateFile, windowPlace(current));
    } catch (e) {
      log(`Could not remember the window's place: ${message(e)}`);
    }
  },
  hide: () => liveWindow()?.hide(),
  stopEngine: () => engine.shutdown(),
  quit: () => app.quit(),
  exit: (code) => app.exit(code),
  log,
});

/** Right after the window exists: every handler main needs, before the page starts loading. */
function attachWindow(current: BrowserWindow): void {
  current.on('close', (event) => {
    if (quit.mayClose) return;
    event.preventDefault();
    quit.request();
  });
  current.on('closed', () => (win = null));
  const contents = current.webContents;
  contents.on('did-start-loading', () => page.loading());
  contents.on('render-process-gone', (_event, details) => {
    log(`The page's renderer process is gone (${details.reason}).`);
    if (page.gone() === 'reload' && !quit.quitting) contents.reload();
    else if (!quit.quitting)
      dialog.showErrorBox(
        `${APP_NAME}: the editor keeps crashing`,
        `Its renderer process ended again (${details.reason}). Quit and start ${APP_NAME} again; your last autosave is offered then.`,
      );
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => openFromOs(graphFileInArgs(argv, workingDirectory)));
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
    if (quit.mayClose) return;
    event.preventDefault();
    quit.request();
  });
  app.on('window-all-closed', () => app.quit());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => quit.signal());

  ipcMain.handle(desktopIpc.request, (event, raw: unknown) => {
    if (!isTrustedSender(event.senderFrame))
      return { id: -1, error: { code: 'permission', message: 'Only the SAGAN Studio page may use its API.' } };
    return route(raw);
  });
  ipcMain.on(desktopIpc.connect, (event) => {
    if (isTrustedSender(event.senderFrame)) connectPage(event.sender);
  });

  void app.whenReady().then(() => {
    if (!existsSync(join(files.rendererDir, 'index.html'))) {
      dialog.showErrorBox(
        `${APP_NAME} is not built`,
        `${files.rendererDir} has no index.html: run npm run build:renderer (npm start does it for you).`,
      );
      return app.exit(1);
    }
    mkdirSync(folders.documentsDir, { recursive: true });
    protocol.handle(APP_SCHEME, (request) => serveRendererRequest(files.rendererDir, request));
    restrictPermissions(session.defaultSession);
    // The window first, with its handlers: the page shows at once and says the engine is starting.
    win = createMainWindow(files, windowStateFile, process.platform);
    attachWindow(win);
    setMenu();
    void refreshMenu();
    loadPage(win, page.takeInitialOpen()).catch((e: unknown) => log(`Loading the page failed: ${message(e)}`));
  });
}
