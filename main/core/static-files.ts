import path from 'node:path';

/**
 * Serving the built UI, the parts both adapters share: which file a request path names (never
 * anything outside the UI folder) and the Content-Type it is served with. Reading the file, and
 * any check that needs the file system (the web server's symlink check), stays with the adapter:
 * the desktop app's UI may sit inside an asar archive, where real paths do not exist.
 */

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type a UI file is served with; unknown kinds are opaque bytes (never sniffed). */
export function contentTypeFor(name: string): string {
  return CONTENT_TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * What a decoded path segment may be: a plain file name of letters, digits and `._@+~-`, not
 * starting with a dot. That rules out, in any spelling, `.` and `..`, dotfiles, empty segments
 * (`//`, a trailing `/`), separators (`%2f`, `%5c`), NUL and other control characters, drive
 * letters and Windows stream names (`:`), and spaces. The UI's build output needs no more.
 */
const SAFE_SEGMENT = /^[A-Za-z0-9_@+~-][A-Za-z0-9._@+~-]*$/;

/**
 * Splits a request path (the part of a URL before `?`, starting with `/`) into the file names it
 * names, or null if it must be refused. Each segment is percent-decoded once, then must be a plain
 * file name (see SAFE_SEGMENT); a malformed escape refuses the whole path. `/` means `index.html`.
 */
export function staticPathSegments(urlPath: string): string[] | null {
  if (!urlPath.startsWith('/')) return null;
  if (urlPath === '/') return ['index.html'];
  const segments: string[] = [];
  for (const raw of urlPath.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (!SAFE_SEGMENT.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}

/**
 * The file under `rootDir` that a request path names, or null if the path is refused (see
 * `staticPathSegments`) or would resolve to `rootDir` itself or anything outside it. Pure: the
 * file may not exist, and symlinks are not followed.
 */
export function resolveStaticPath(rootDir: string, urlPath: string): string | null {
  const segments = staticPathSegments(urlPath);
  if (segments === null) return null;
  const root = path.resolve(rootDir);
  const file = path.join(root, ...segments);
  // Unreachable with the segment rule above; kept so that loosening the rule cannot open a hole.
  const relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return file;
}
