import '@xyflow/react/dist/style.css';
import './styles/app.css';
import './styles/layout.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { ApiTransport } from '../graph-schemas';
import { createApiClient } from '../graph-schemas';
import { preloadTransport } from './api/preload-transport';
import { apiSocketUrl, WebSocketTransport } from './api/web-transport';
import { App } from './app/App';
import type { Studio } from './app/studio';
import { createUiStore } from './app/ui-store';
import { keepViewPrefs } from './app/view-prefs';
import { blankDocument } from './files/blank-document';
import { createEditorStore } from './store/document-store';
import { Training } from './training/training';
import { startValidation } from './validation/validation-store';

/** The desktop shell's preload bridge when there is one, else the local web server's WebSocket. */
function connectToHost(ui: ReturnType<typeof createUiStore>): ApiTransport {
  // The desktop's status is its engine's: starting, restarting, or up.
  if (window.saganHost) return preloadTransport(window.saganHost, (connection) => ui.setState({ connection }));
  const socket = new WebSocketTransport({ url: apiSocketUrl(location) });
  socket.onStatus((connection) => ui.setState({ connection }));
  return socket;
}

const ui = createUiStore();
keepViewPrefs(ui, window.localStorage, window.innerWidth);
const editor = createEditorStore(blankDocument());
const validation = startValidation(
  editor,
  () => new Worker(new URL('./validation/validation.worker.ts', import.meta.url), { type: 'module' }),
);
const api = createApiClient(connectToHost(ui));
const training = new Training({ api, ui, docPath: () => editor.getState().file.path });
const studio: Studio = { editor, ui, validation: validation.store, training, api };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App studio={studio} />
  </StrictMode>,
);
