import { resolveStaticPath } from '../core/static-files';

/**
 * The `app://gloss/` origin the UI is served from, and the pure checks built on it: which URLs
 * are ours, which IPC senders are trusted, which requests may load at all, and which file a
 * request names. Kept free of `electron` so it is tested in plain Node.
 */

/** The privileged scheme the UI is served on (registered as standard and secure). */
export const APP_SCHEME = 'app';
/** The one host of that scheme. */
export const APP_HOST = 'gloss';
/** Every URL of the UI starts with this. */
export const APP_URL_PREFIX = `${APP_SCHEME}://${APP_HOST}/`;
/** The page the window loads. */
export const APP_ENTRY_URL = `${APP_URL_PREFIX}index.html`;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Whether `url` belongs to the UI's origin. Parsed rather than prefix-matched so that look-alikes
 * (`app://gloss.evil/`, `app://gloss@evil/`, `app://gloss:81/`) are refused.
 */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.hostname === APP_HOST && u.port === '' && u.username === '' && u.password === '';
}

/** The frame an IPC message came from, reduced to what decides trust. */
export interface SenderFrame {
  url: string;
  /** True only for the top-level frame of Gloss's own window. */
  isMainFrame: boolean;
}

/**
 * Whether an IPC message may be acted on: it must come from the main frame of our window while
 * that frame shows our UI. Subframes, DevTools, and any page that was navigated elsewhere are
 * refused (the navigation guards should make the last impossible; this is the second lock).
 */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  return frame != null && frame.isMainFrame && isAppUrl(frame.url);
}

/**
 * Whether the session may load `url` at all: our UI, DevTools' own pages, and inline `data:`
 * images (allowed by the CSP). Everything else, in particular any network address and `file:`,
 * is cancelled before a request is made.
 */
export function isAllowedRequest(url: string): boolean {
  if (isAppUrl(url)) return true;
  const u = parse(url);
  return u !== null && (u.protocol === 'devtools:' || u.protocol === 'data:');
}

/**
 * The file under `root` (the built UI folder) that an `app://gloss/…` request names, or null if
 * the request is not for our origin or its path is refused by `resolveStaticPath` (no `.`/`..`
 * in any spelling, no encoded separators, NUL or dotfiles; see main/core/static-files.ts). `/`
 * means `index.html`; query and fragment are ignored.
 */
export function resolveAppFile(requestUrl: string, root: string): string | null {
  if (!isAppUrl(requestUrl)) return null;
  // The URL parser has already folded literal `..`; the path is checked again regardless.
  return resolveStaticPath(root, new URL(requestUrl).pathname || '/');
}

/**
 * The address to hand to the system browser for a link the UI asked to open in a new window,
 * or null to ignore it. Only plain `http:`/`https:` URLs without credentials qualify; the
 * browser, not Gloss, then deals with whatever is there.
 */
export function externalLinkTarget(url: string): string | null {
  if (url.length > 2048) return null;
  const u = parse(url);
  if (u === null || (u.protocol !== 'https:' && u.protocol !== 'http:')) return null;
  if (u.username !== '' || u.password !== '' || u.hostname === '') return null;
  return u.href;
}
