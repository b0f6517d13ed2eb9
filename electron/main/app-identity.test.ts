import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appIdentity, LINUX_APP_ID } from './app-identity';

const json = (path: string) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')) as never;
const pkg: { name: string; desktopName?: string } = json('package.json');
const builder: { executableName: string; linux: { desktop?: { entry?: { StartupWMClass?: string } } } } =
  json('build/electron-builder.json');

describe('what the app is called, per platform', () => {
  it('Linux: one id for the desktop entry, the Wayland app_id, the X11 WM_CLASS and StartupWMClass', () => {
    // Electron 40 takes the Wayland app_id from package.json desktopName and the X11 WM_CLASS from app.name;
    // electron-builder names the entry after executableName and takes StartupWMClass from desktopName.
    expect(pkg.desktopName).toBe(`${LINUX_APP_ID}.desktop`);
    expect(builder.executableName).toBe(LINUX_APP_ID);
    expect(builder.linux.desktop?.entry?.StartupWMClass ?? LINUX_APP_ID).toBe(LINUX_APP_ID);
    expect(appIdentity('linux').name).toBe(LINUX_APP_ID);
  });

  it('macOS and Windows show the product name; user data stays in the same folder everywhere', () => {
    expect(appIdentity('darwin').name).toBe('SAGAN Studio');
    expect(appIdentity('win32').name).toBe('SAGAN Studio');
    for (const platform of ['linux', 'darwin', 'win32'] as const)
      expect(appIdentity(platform).userDataFolder).toBe('SAGAN Studio');
  });
});
