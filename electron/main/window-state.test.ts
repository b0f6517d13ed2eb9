import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, loadWindowState, MIN_SIZE, placeWindow, saveWindowState } from './window-state';

const laptop = { x: 0, y: 0, width: 1920, height: 1050 };
const rightMonitor = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('where the window opens', () => {
  it('first start: the default size, centred (no position), fitted to a small screen', () => {
    expect(placeWindow(null, [laptop])).toEqual({ ...DEFAULT_SIZE, maximized: false });
    expect(placeWindow(null, [{ x: 0, y: 0, width: 1280, height: 720 }])).toEqual({
      width: 1280,
      height: 720,
      maximized: false,
    });
  });

  it('the saved place when its title bar is still on a screen, the size fitted to that screen', () => {
    const saved = { bounds: { x: 2000, y: 100, width: 3000, height: 1000 }, maximized: true };
    expect(placeWindow(saved, [laptop, rightMonitor])).toEqual({
      x: 2000,
      y: 100,
      width: 2560,
      height: 1000,
      maximized: true,
    });
  });

  it('centred again when the screen it was on is gone; never smaller than the minimum', () => {
    const saved = { bounds: { x: 2000, y: 100, width: 400, height: 300 }, maximized: false };
    expect(placeWindow(saved, [laptop])).toEqual({ width: MIN_SIZE.width, height: MIN_SIZE.height, maximized: false });
  });
});

describe('remembering it', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sagan-window-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is written at once (the app may end right after), round-trips, and a broken file only costs the place', () => {
    const file = join(dir, 'nested', 'window-state.json');
    expect(loadWindowState(file)).toBeNull();
    saveWindowState(file, { bounds: { x: 10, y: 20, width: 1200, height: 800 }, maximized: false });
    expect(readdirSync(join(dir, 'nested'))).toEqual(['window-state.json']);
    expect(loadWindowState(file)).toEqual({
      bounds: { x: 10, y: 20, width: 1200, height: 800 },
      maximized: false,
    });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ maximized: false });
    writeFileSync(file, '{"bounds": {"x": "left"}');
    expect(loadWindowState(file)).toBeNull();
    writeFileSync(file, '{"bounds": {"x": 1, "y": 2, "width": -5, "height": 3}, "maximized": false}');
    expect(loadWindowState(file)).toBeNull();
  });
});
