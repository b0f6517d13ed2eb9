import { APP_NAME } from './document-state';

/**
 * On Linux the desktop entry is sagan-studio.desktop. A dock matches a window to it by the Wayland app_id, which
 * Electron takes from package.json's desktopName, or by the X11 WM_CLASS, which Electron 40 takes from app.name
 * (so a name with a space, "SAGAN Studio", would match nothing). electron-builder writes StartupWMClass from
 * desktopName too. app-identity.test.ts checks all of them agree.
 */
export const LINUX_APP_ID = 'sagan-studio';

export interface AppIdentity {
  /** app.name: the WM_CLASS on Linux; shown by macOS and Windows. */
  name: string;
  /** The user-data folder under the OS's app-data folder (state, window place); the same on every platform. */
  userDataFolder: string;
}

export function appIdentity(platform: NodeJS.Platform): AppIdentity {
  return { name: platform === 'linux' ? LINUX_APP_ID : APP_NAME, userDataFolder: APP_NAME };
}
