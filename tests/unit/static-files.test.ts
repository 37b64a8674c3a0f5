import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../shared/csp';
import { contentTypeFor, resolveStaticPath, staticPathSegments } from '../../main/core/static-files';

// Which file a request for the UI names, shared by the desktop app's app:// scheme and browser
// mode's server. The adapters' own tests cover what needs them: origins, symlinks, missing files.

const root = path.resolve('ui-root', 'dist', 'renderer');

describe('resolveStaticPath', () => {
  it('maps request paths to files under the UI folder', () => {
    expect(resolveStaticPath(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveStaticPath(root, '/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveStaticPath(root, '/app.js')).toBe(path.join(root, 'app.js'));
    expect(resolveStaticPath(root, '/fonts/source-serif.woff2')).toBe(path.join(root, 'fonts', 'source-serif.woff2'));
    expect(resolveStaticPath(root, '/app.js.map')).toBe(path.join(root, 'app.js.map'));
  });

  it('decodes each segment once', () => {
    expect(resolveStaticPath(root, '/%61pp.js')).toBe(path.join(root, 'app.js'));
    expect(staticPathSegments('/sub/%78.json')).toEqual(['sub', 'x.json']);
  });

  it('resolves a relative root to an absolute path', () => {
    expect(resolveStaticPath('dist/renderer', '/app.js')).toBe(path.resolve('dist/renderer', 'app.js'));
  });

  it.each([
    // `..` and `.`, raw or encoded, alone or with encoded separators
    '/../secret.txt',
    '/../../../etc/passwd',
    '/a/./../../b.js',
    '/%2e%2e/secret.txt',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/.%2e/.%2e/x.js',
    '/%2E%2E%2Fsecret.txt',
    '/%2e%2e%2f%2e%2e%2fpackage.json',
    '/..%2f..%2fpackage.json',
    '/..%2F..%2Fpackage.json',
    '/sub/..%2F..%2Fsecret.txt',
    '/..%5Csecret.txt',
    '/..%5c..%5cpackage.json',
    '/fonts/..%5c..%5c..%5cpackage.json',
    '/a%2fb.js',
    '/a\\b.js',
    // drive letters, stream names, NUL
    '/C:%5cWindows%5cwin.ini',
    '/C:/Windows/win.ini',
    '/index.html:$DATA',
    '/app.js%00',
    '/app.js%00.html',
    // dotfiles, empty segments (directories), malformed escapes
    '/.env',
    '/%2eenv',
    '/sub/',
    '/fonts/',
    '//app.js',
    '//etc/passwd',
    '/%E0%A4%A',
    // beyond plain file names
    '/fonts/Source%20Serif.woff2',
    '/caf%C3%A9.js',
    // not a path at all
    '',
    'app.js',
    '?token=x',
  ])('refuses %j', (urlPath) => {
    expect(resolveStaticPath(root, urlPath)).toBeNull();
    expect(staticPathSegments(urlPath)).toBeNull();
  });
});

describe('contentTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['app.js', 'text/javascript; charset=utf-8'],
    ['worker.mjs', 'text/javascript; charset=utf-8'],
    ['STYLES.CSS', 'text/css; charset=utf-8'],
    ['x.json', 'application/json; charset=utf-8'],
    ['app.js.map', 'application/json; charset=utf-8'],
    ['icon.svg', 'image/svg+xml'],
    ['font.woff2', 'font/woff2'],
    [path.join('a', 'b', 'logo.png'), 'image/png'],
  ])('serves %s as %s', (name, type) => {
    expect(contentTypeFor(name)).toBe(type);
  });

  it('serves everything else as opaque bytes', () => {
    expect(contentTypeFor('thing.exe')).toBe('application/octet-stream');
    expect(contentTypeFor('LICENSE')).toBe('application/octet-stream');
  });
});

describe('SECURITY_HEADERS', () => {
  it('carries the policy and forbids sniffing, referrers, sharing across origins and framing', () => {
    expect(SECURITY_HEADERS).toEqual({
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
    });
  });

  it('cannot be changed by an adapter', () => {
    expect(Object.isFrozen(SECURITY_HEADERS)).toBe(true);
  });
});
