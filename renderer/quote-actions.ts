import type { ApiClient, ApiOutput } from '../shared/api';
import type { PassageRef } from '../shared/model';
import type { CitationStyle } from './preferences';

/**
 * Copying a coded passage as a quotation with its citation: main formats it (`passages.quote`,
 * citeproc in main/core/citations), the window puts it on the clipboard as both plain text and
 * HTML, so a word processor gets the italics of the reference and a plain editor gets clean text.
 */

/** What copying needs of the API client: just the one method (a fake in tests). */
export type QuoteApi = Pick<ApiClient, 'passages.quote'>;


export type Quotation = ApiOutput<'passages.quote'>;

/**
 * What copying did: the quotation and whether the clipboard took its HTML too (`'html'`) or only
 * its plain text (`'text'`, where the browser refused rich content); or why nothing was copied.
 */
export type CopyOutcome = { ok: true; quotation: Quotation; formats: 'html' | 'text' } | { ok: false; message: string };

/** The ways to reach the clipboard, most capable first; each is missing where the page has no such thing. */
export interface ClipboardAccess {
  /** The asynchronous Clipboard API with rich content (`navigator.clipboard.write`). */
  write?: (text: string, html: string) => Promise<void>;
  /** The asynchronous Clipboard API, plain text only. */
  writeText?: (text: string) => Promise<void>;
  /** `document.execCommand('copy')`: the formats it put on the clipboard, or null when refused. */
  command?: (text: string, html: string) => 'html' | 'text' | null;
}

/**
 * Puts the passage on the clipboard as a quotation in `style`. Never rejects: a failure (the
 * passage deleted meanwhile, main unreachable, every clipboard route refused) comes back as
 * `{ ok: false, message }` for the window to show.
 */
export async function copyQuotation(api: QuoteApi, passage: PassageRef, style: CitationStyle, clipboard: ClipboardAccess = pageClipboard()): Promise<CopyOutcome> {
  let quotation: Quotation;
  try {
    quotation = await api['passages.quote']({ documentId: passage.documentId, id: passage.id, style });
  } catch (e) {
    return { ok: false, message: `Copying the quotation failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  const formats = await writeClipboard(quotation.text, quotation.html, clipboard);
  return formats ? { ok: true, quotation, formats } : { ok: false, message: 'Copying the quotation failed: this window may not use the clipboard.' };
}

/** Tries each route in turn; the formats the first that worked put on the clipboard, or null. */
async function writeClipboard(text: string, html: string, clipboard: ClipboardAccess): Promise<'html' | 'text' | null> {
  if (clipboard.write) {
    try {
      await clipboard.write(text, html);
      return 'html';
    } catch {
      // Refused (no permission, the window not focused) or rich content unsupported: try plain text.
    }
  }
  if (clipboard.writeText) {
    try {
      await clipboard.writeText(text);
      return 'text';
    } catch {
      // Refused as well: the old command still works from a click or a key in most browsers.
    }
  }
  try {
    return clipboard.command?.(text, html) ?? null;
  } catch {
    return null;
  }
}

/** What the window says once copying is over. */
export function copyMessage(outcome: CopyOutcome): string {
  if (!outcome.ok) return outcome.message;
  const { inText, locator } = outcome.quotation;
  const plain = outcome.formats === 'text' ? ' as plain text' : '';
  // An unplaced passage has no paragraph or page to cite.
  return locator ? `Copied with citation ${inText}${plain}.` : `Copied with citation ${inText}${plain}, without a page or paragraph: the passage is not placed in the text.`;
}

/** The clipboard routes of this page. */
export function pageClipboard(): ClipboardAccess {
  const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard;
  const access: ClipboardAccess = {};
  if (clipboard && typeof clipboard.write === 'function' && typeof ClipboardItem === 'function') {
    access.write = (text, html) =>
      clipboard.write([new ClipboardItem({ 'text/plain': new Blob([text], { type: 'text/plain' }), 'text/html': new Blob([html], { type: 'text/html' }) })]);
  }
  if (clipboard && typeof clipboard.writeText === 'function') access.writeText = (text) => clipboard.writeText(text);
  if (typeof document !== 'undefined' && typeof document.execCommand === 'function') access.command = copyByCommand;
  return access;
}

/**
 * `document.execCommand('copy')` over a hidden textarea holding `text`. The copy event is caught
 * on its way to set the HTML as well; where the event carries no clipboard data, the textarea's
 * selected text is what is copied. The focus and the page's selection are put back afterwards.
 */
function copyByCommand(text: string, html: string): 'html' | 'text' | null {
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const selection = document.getSelection();
  const ranges = selection ? Array.from({ length: selection.rangeCount }, (_, i) => selection.getRangeAt(i)) : [];
  const area = document.createElement('textarea');
  area.value = text;
  area.readOnly = true;
  area.tabIndex = -1;
  area.setAttribute('aria-hidden', 'true');
  // Through CSSOM: the page's CSP refuses style attributes.
  Object.assign(area.style, { position: 'fixed', top: '0', left: '0', width: '1px', height: '1px', opacity: '0', pointerEvents: 'none' });
  let formats: 'html' | 'text' = 'text';
  const onCopy = (e: ClipboardEvent): void => {
    if (!e.clipboardData) return;
    e.clipboardData.setData('text/plain', text);
    e.clipboardData.setData('text/html', html);
    e.preventDefault();
    formats = 'html';
  };
  document.body.append(area);
  document.addEventListener('copy', onCopy, true);
  try {
    area.focus({ preventScroll: true });
    area.select();
    return document.execCommand('copy') ? formats : null;
  } finally {
    document.removeEventListener('copy', onCopy, true);
    area.remove();
    before?.focus({ preventScroll: true });
    if (selection && ranges.length) {
      selection.removeAllRanges();
      for (const r of ranges) selection.addRange(r);
    }
  }
}

/**
 * Whether a key press is Copy quotation: Alt+Shift+C (⌥⇧C on macOS), read from the physical key
 * because Alt types another character on macOS and some layouts. Ctrl+Shift+C (⌘⌥C) is the
 * browser's element inspector, Ctrl+Alt is AltGr on many layouts, and Alt with a letter alone
 * may be a code's key.
 */
export function isCopyQuotationKey(e: Pick<KeyboardEvent, 'altKey' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'code'>): boolean {
  return e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyC';
}

/** How Copy quotation's key is written for the user, and for `aria-keyshortcuts` (the same everywhere). */
export function copyQuotationKeyLabel(isMac: boolean): { label: string; aria: string } {
  return { label: isMac ? '⌥⇧C' : 'Alt+Shift+C', aria: 'Alt+Shift+C' };
}
