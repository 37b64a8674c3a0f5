import { shell } from 'electron';
import type { Session, WebContents } from 'electron';
import { externalLinkTarget, isAllowedRequest, isAppUrl } from './app-url';

/**
 * Locks the desktop app to its own UI. The page is trusted code, but it renders text from
 * imported documents; these guards make sure that even a page gone wrong cannot load remote
 * content, navigate away, open windows, gain permissions or embed other pages.
 */

/** Applies to the session the window uses: no permissions, no requests beyond the app itself. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
  // Exports are written by main after its own save dialog (exportCodedPassagesCsv); a download
  // started by the page is never wanted.
  session.on('will-download', (event) => event.preventDefault());
}

/**
 * Applies to every web contents the app creates. Navigation stays on the app origin; new windows
 * are always denied, and a plain http(s) link the page asked to open in a new window is handed
 * to the system browser instead (so source links of documents work), never loaded in Gloss.
 */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalLinkTarget(url);
    if (external !== null) void shell.openExternal(external).catch(() => undefined);
    return { action: 'deny' };
  });
}
