/** A keyboard shortcut; `mod` is Ctrl, or ⌘ on a Mac. */
export interface Shortcut {
  key: string;
  mod?: boolean;
  shift?: boolean;
  alt?: boolean;
}

export const isMac =
  typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

const keyNames: Record<string, string> = { Delete: 'Del', Backspace: '⌫', Escape: 'Esc', ' ': 'Space' };

/** "Ctrl+Shift+Z" (or "⇧⌘Z" on a Mac), as menus and tooltips show it. */
export function formatShortcut(s: Shortcut, mac = isMac): string {
  const key = keyNames[s.key] ?? (s.key.length === 1 ? s.key.toUpperCase() : s.key);
  if (mac) return `${s.alt ? '⌥' : ''}${s.shift ? '⇧' : ''}${s.mod ? '⌘' : ''}${key}`;
  return [s.mod && 'Ctrl', s.alt && 'Alt', s.shift && 'Shift', key].filter(Boolean).join('+');
}

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function matchesShortcut(e: KeyLike, s: Shortcut, mac = isMac): boolean {
  const mod = mac ? e.metaKey : e.ctrlKey;
  if (!!s.mod !== mod || !!s.shift !== e.shiftKey || !!s.alt !== e.altKey) return false;
  if (!mac && e.metaKey) return false;
  // With Alt or Shift held, e.key may be another character ("!" for Shift+1); the physical key decides then.
  if (s.key.length === 1 && e.code) {
    const code = /^[a-z]$/i.test(s.key)
      ? `Key${s.key.toUpperCase()}`
      : /^\d$/.test(s.key)
        ? `Digit${s.key}`
        : undefined;
    if (code) return e.code === code;
  }
  return e.key.toLowerCase() === s.key.toLowerCase();
}

/** Keys typed into a text field belong to the field, except the few that act on the whole document. */
export function isTextTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return (
    target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'range'].includes(target.type)
  );
}
