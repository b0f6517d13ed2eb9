// The window's preload (sandboxed: it may only require('electron'); scripts/build-electron.mjs bundles it to CommonJS).
import { contextBridge, ipcRenderer } from 'electron';
import { createHostBridge } from './host-bridge';

contextBridge.exposeInMainWorld(
  'saganHost',
  createHostBridge(ipcRenderer, (line) => console.error(line)),
);
