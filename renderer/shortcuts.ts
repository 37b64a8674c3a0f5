import type { Code } from '../shared/model';
import { codesInTreeOrder } from './state';
import type { PanelId } from './panel-layout';

/**
 * Shortcut keys of codes. A code's key is a digit 1–9 or Alt with a letter, set by the user
 * (`Code.shortcut`). Until the user has given any code a key, the first nine codes in tree
 * order answer to 1–9, as they always did; from the first key set, only set keys count.
 */

/** Each code's key, by code id. */
export function shortcutsOf(codes: readonly Code[]): Map<string, string> {
  const keys = new Map<string, string>();
  for (const c of codes) if (c.shortcut) keys.set(c.id, c.shortcut);
  if (keys.size > 0) return keys;
  codesInTreeOrder(codes)
    .slice(0, 9)
    .forEach((c, i) => keys.set(c.id, String(i + 1)));
  return keys;
}

/**
 * The shortcut a key press means ("4", "Alt+S"), or null. Letters are read from the physical
 * key (`code`), because Alt with a letter types another character on macOS and some layouts.
 */
export function shortcutOfEvent(e: KeyboardEvent): string | null {
  if (e.ctrlKey || e.metaKey || e.shiftKey) return null;
  if (!e.altKey) return /^[1-9]$/.test(e.key) ? e.key : null;
  const m = /^Key([A-Z])$/.exec(e.code);
  return m ? `Alt+${m[1]}` : null;
}

/**
 * Whether a key press is In-vivo code: Ctrl+I, ⌘I on macOS. The letter is read from the
 * character typed where it is a Latin letter (so Dvorak's I is I), else from the physical key
 * (Cyrillic and other layouts, as browsers do for Ctrl+C and the like).
 */
export function isInVivoKey(e: KeyboardEvent, isMac = onMac()): boolean {
  if (e.altKey || e.shiftKey || (isMac ? !e.metaKey || e.ctrlKey : !e.ctrlKey || e.metaKey)) return false;
  return /^[a-z]$/i.test(e.key) ? e.key.toLowerCase() === 'i' : e.code === 'KeyI';
}

/**
 * Whether a key press is Find: Ctrl+F, ⌘F on macOS, the letter read as for In-vivo code (the
 * character where it is a Latin letter, else the physical key).
 */
export function isFindKey(e: KeyboardEvent, isMac = onMac()): boolean {
  if (e.altKey || e.shiftKey || (isMac ? !e.metaKey || e.ctrlKey : !e.ctrlKey || e.metaKey)) return false;
  return /^[a-z]$/i.test(e.key) ? e.key.toLowerCase() === 'f' : e.code === 'KeyF';
}

/**
 * Whether a key press steps to the next or previous match of Find (F3, or Ctrl/⌘+G, with Shift
 * going back): 1, −1, or 0 when it is neither.
 */
export function findStepOfKey(e: KeyboardEvent, isMac = onMac()): 1 | -1 | 0 {
  const mod = isMac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
  const f3 = e.key === 'F3' && !e.ctrlKey && !e.metaKey;
  const g = mod && (/^[a-z]$/i.test(e.key) ? e.key.toLowerCase() === 'g' : e.code === 'KeyG');
  if (e.altKey || (!f3 && !g)) return 0;
  return e.shiftKey ? -1 : 1;
}

/** How In-vivo code's key is written for the user, and for `aria-keyshortcuts`. */
export function inVivoKeyLabel(isMac = onMac()): { label: string; aria: string } {
  return isMac ? { label: '⌘I', aria: 'Meta+I' } : { label: 'Ctrl+I', aria: 'Control+I' };
}

/** The code a shortcut applies, if any. */
export function codeForShortcut(codes: readonly Code[], shortcut: string): Code | undefined {
  const keys = shortcutsOf(codes);
  return codes.find((c) => keys.get(c.id) === shortcut);
}

/** Every key a code can be given, in the order offered. */
export const SHORTCUT_KEYS: readonly string[] = [
  ...'123456789'.split(''),
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').map((l) => `Alt+${l}`),
];

/** How a key is written for the user on this platform ("⌥S" on macOS). */
export function shortcutLabel(shortcut: string, isMac: boolean): string {
  return isMac && shortcut.startsWith('Alt+') ? `⌥${shortcut.slice(4)}` : shortcut;
}

/** Whether the page runs on macOS (where Alt is written ⌥). */
export function onMac(): boolean {
  return typeof navigator !== 'undefined' && /mac/i.test(navigator.platform);
}

/** The letter of each panel's show/hide key, with Ctrl (⌘ on macOS) and Shift: free in Chromium, Electron and the app. */
export const PANEL_KEYS: Readonly<Record<PanelId, string>> = { documents: 'D', codes: 'K', passages: 'P' };

/** The panel a key press shows or hides (Ctrl+Shift+D, ⌘⇧D on macOS…), or null. Letters as for `isInVivoKey`. */
export function panelOfKey(e: KeyboardEvent, isMac = onMac()): PanelId | null {
  if (!e.shiftKey || e.altKey || (isMac ? !e.metaKey || e.ctrlKey : !e.ctrlKey || e.metaKey)) return null;
  const letter = /^[a-z]$/i.test(e.key) ? e.key.toUpperCase() : /^Key([A-Z])$/.exec(e.code)?.[1];
  const found = (Object.keys(PANEL_KEYS) as PanelId[]).find((p) => PANEL_KEYS[p] === letter);
  return found ?? null;
}

/** How a panel's key is written for the user, and for `aria-keyshortcuts`. */
export function panelKeyLabel(panel: PanelId, isMac = onMac()): { label: string; aria: string } {
  const letter = PANEL_KEYS[panel];
  return isMac ? { label: `⌘⇧${letter}`, aria: `Meta+Shift+${letter}` } : { label: `Ctrl+Shift+${letter}`, aria: `Control+Shift+${letter}` };
}
