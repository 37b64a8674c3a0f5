import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Resolves request paths to files of the built UI, refusing anything that could reach outside
 * it: `..` and `.` segments (raw or percent-encoded), dotfiles, encoded slashes and backslashes,
 * NUL bytes, and symlinks pointing elsewhere.
 */

const CONTENT_TYPES: Record<string, string> = {
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

/** A file that may be served. */
export interface StaticFile {
  file: string;
  size: number;
  contentType: string;
}

/** The Content-Type for a file name; unknown kinds are served as opaque bytes. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Splits a request path (without query) into safe segments, or null if it must be refused.
 * `/` means `index.html`.
 */
export function safeSegments(urlPath: string): string[] | null {
  if (!urlPath.startsWith('/')) return null;
  if (urlPath === '/') return ['index.html'];
  const segments: string[] = [];
  for (const raw of urlPath.slice(1).split('/')) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return null;
    }
    // An empty segment (`//`, trailing `/`) would name a directory; a leading dot covers `.`, `..`
    // and dotfiles; encoded separators would smuggle a `..` past the split above.
    if (seg === '' || seg.startsWith('.') || /[/\\\0]/.test(seg)) return null;
    segments.push(seg);
  }
  return segments;
}

/**
 * Finds the file a request path names inside `root` (a real path), or null. The final check is
 * on the real path, so a symlink inside the UI folder cannot point out of it.
 */
export async function resolveStatic(root: string, urlPath: string): Promise<StaticFile | null> {
  const segments = safeSegments(urlPath);
  if (!segments) return null;
  const candidate = path.join(root, ...segments);
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return null;
  }
  if (!real.startsWith(root + path.sep)) return null;
  const info = await stat(real).catch(() => null);
  if (!info?.isFile()) return null;
  return { file: real, size: info.size, contentType: contentTypeFor(real) };
}

