import { describe, expect, it } from 'vitest';
import { formatShortcut, matchesShortcut } from './shortcuts';

const key = (
  k: string,
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {},
  code?: string,
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...(code ? { code } : {}),
  ...mods,
});

describe('shortcuts', () => {
  it('formats for menus on Linux/Windows and on a Mac', () => {
    expect(formatShortcut({ key: 'z', mod: true, shift: true }, false)).toBe('Ctrl+Shift+Z');
    expect(formatShortcut({ key: 'z', mod: true, shift: true }, true)).toBe('⇧⌘Z');
    expect(formatShortcut({ key: 'Delete' }, false)).toBe('Del');
  });

  it('matches the modifier of the platform exactly', () => {
    const undo = { key: 'z', mod: true };
    expect(matchesShortcut(key('z', { ctrlKey: true }, 'KeyZ'), undo, false)).toBe(true);
    expect(matchesShortcut(key('Z', { ctrlKey: true, shiftKey: true }, 'KeyZ'), undo, false)).toBe(false);
    expect(matchesShortcut(key('z', { metaKey: true }, 'KeyZ'), undo, true)).toBe(true);
    expect(matchesShortcut(key('z', { ctrlKey: true }, 'KeyZ'), undo, true)).toBe(false);
  });

  it('uses the physical key when Shift or Alt change the character', () => {
    expect(matchesShortcut(key('!', { shiftKey: true }, 'Digit1'), { key: '1', shift: true }, false)).toBe(true);
    expect(matchesShortcut(key('Delete'), { key: 'Delete' }, false)).toBe(true);
  });
});
