import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiContract, apiMethods } from '../../shared/api';
import { DESKTOP_COMMANDS, isDesktopCommand } from '../../shared/desktop-bridge';
import { API_METHODS } from '../../shared/api-methods';
import { externalLinkTarget, isAllowedRequest, isAppUrl, isTrustedSender, resolveAppFile } from '../../main/electron/app-url';
import { LaunchArgsError, parseLaunchArgs } from '../../main/electron/args';
import { buildMenuTemplate, EXPORT_CSV_LABEL, IMPORT_DOCUMENTS_LABEL } from '../../main/electron/menu';
import { writeCsvExport } from '../../main/electron/csv-export';
import { CSV_EXPORT_FILE_NAME, parseExportCsvRequest } from '../../shared/csv-export';
import { PendingWork } from '../../main/electron/pending';

// The pure parts of the desktop adapter, tested without Electron (see tests/electron for the rest).

describe('parseLaunchArgs', () => {
  it.each([
    ['electron . (development)', ['/x/electron', '.', '--project', 'p'], 'p'],
    ['packaged app', ['/opt/Gloss/gloss', '--project', '/data/p'], '/data/p'],
    ['--project=DIR', ['/opt/Gloss/gloss', '--project=/data/p'], '/data/p'],
    ['folder with = in its name', ['gloss', '--project=/data/a=b'], '/data/a=b'],
    ['Playwright and Chromium switches around it', ['/x/electron', '--inspect=0', '--remote-debugging-port=0', '/app', '--project', '/tmp/p', '--no-sandbox'], '/tmp/p'],
    ['macOS Finder argument', ['/Applications/Gloss.app/Contents/MacOS/Gloss', '-psn_0_12345'], null],
    ['no arguments', ['gloss'], null],
    ['similar option names are not ours', ['gloss', '--projects', 'x', '--project-dir', 'y'], null],
    ['the last one wins', ['gloss', '--project', 'a', '--project', 'b'], 'b'],
  ])('finds the project folder: %s', (_name, argv, expected) => {
    expect(parseLaunchArgs(argv).projectDir).toBe(expected);
  });

  it('reads --user-data-dir in both spellings', () => {
    expect(parseLaunchArgs(['gloss', '--user-data-dir=/tmp/u']).userDataDir).toBe('/tmp/u');
    expect(parseLaunchArgs(['gloss', '--user-data-dir', '/tmp/u', '--project', 'p'])).toEqual({ userDataDir: '/tmp/u', projectDir: 'p' });
  });

  it.each([
    ['at the end', ['gloss', '--project']],
    ['followed by another option', ['gloss', '--project', '--no-sandbox']],
    ['empty after =', ['gloss', '--project=']],
    ['blank', ['gloss', '--project', '  ']],
  ])('refuses --project without a folder: %s', (_name, argv) => {
    expect(() => parseLaunchArgs(argv)).toThrow(LaunchArgsError);
    expect(() => parseLaunchArgs(argv)).toThrow(/--project needs a folder/);
  });
});

describe('isTrustedSender', () => {
  it.each(['app://gloss/index.html', 'app://gloss/', 'app://gloss/index.html#/doc/1'])('trusts the main frame at %s', (url) => {
    expect(isTrustedSender({ url, isMainFrame: true })).toBe(true);
  });

  it('refuses subframes, even on the app origin', () => {
    expect(isTrustedSender({ url: 'app://gloss/index.html', isMainFrame: false })).toBe(false);
  });

  it.each([
    'file:///home/u/dist/renderer/index.html',
    'http://127.0.0.1:5173/index.html',
    'https://gloss/index.html',
    'app://evil/index.html',
    'app://gloss.evil/index.html',
    'app://gloss@evil/index.html',
    'app://gloss:8080/index.html',
    'APP://evil/',
    'devtools://devtools/bundled/devtools_app.html',
    'about:blank',
    'data:text/html,<script>1</script>',
    '',
    'not a url',
  ])('refuses a main frame at %j', (url) => {
    expect(isTrustedSender({ url, isMainFrame: true })).toBe(false);
  });

  it('refuses a message without a frame (it was destroyed or navigated)', () => {
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });
});

describe('isAllowedRequest', () => {
  it.each(['app://gloss/app.js', 'devtools://devtools/bundled/inspector.html', 'data:image/png;base64,AAAA'])('lets %s load', (url) => {
    expect(isAllowedRequest(url)).toBe(true);
  });
  it.each(['https://example.com/', 'http://127.0.0.1:8080/api', 'ws://localhost/', 'file:///etc/passwd', 'ftp://x/', 'app://other/x.js', 'chrome://gpu'])('cancels %s', (url) => {
    expect(isAllowedRequest(url)).toBe(false);
  });
  it('agrees with isAppUrl for the app origin only', () => {
    expect(isAppUrl('app://gloss/x')).toBe(true);
    expect(isAppUrl('app://glossy/x')).toBe(false);
  });
});

// Which paths are refused is tested in static-files.test.ts; here, what the app:// URL adds.
describe('resolveAppFile (path confinement)', () => {
  const root = path.resolve('ui-root', 'dist', 'renderer');
  const inside = (file: string | null) => file !== null && path.relative(root, file) !== '' && !path.relative(root, file).startsWith('..') && !path.isAbsolute(path.relative(root, file));

  it('maps app URLs to files under the UI folder', () => {
    expect(resolveAppFile('app://gloss/', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile('app://gloss/index.html', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile('app://gloss/app.js?v=2#x', root)).toBe(path.join(root, 'app.js'));
    expect(resolveAppFile('app://gloss/fonts/Source%20Serif.woff2', root)).toBeNull(); // spaces are not plain names
    expect(resolveAppFile('app://gloss/fonts/source-serif.woff2', root)).toBe(path.join(root, 'fonts', 'source-serif.woff2'));
  });

  it.each([
    'app://gloss/..%2f..%2fpackage.json',
    'app://gloss/..%5c..%5cpackage.json',
    'app://gloss/app.js%00.html',
    'app://gloss/.env',
    'app://gloss//etc/passwd',
    'app://evil/app.js',
    'app://gloss@evil/app.js',
    'file:///etc/passwd',
    'https://gloss/app.js',
  ])('refuses %s', (url) => {
    expect(resolveAppFile(url, root)).toBeNull();
  });

  it.each(['app://gloss/../../../etc/passwd', 'app://gloss/%2e%2e/%2e%2e/etc/passwd', 'app://gloss/a/./../../b.js', 'app://gloss/.%2e/.%2e/x.js'])(
    'never leaves the UI folder, even where the URL parser folds dot segments: %s',
    (url) => {
      const file = resolveAppFile(url, root);
      expect(file === null || inside(file)).toBe(true);
    },
  );
});

describe('externalLinkTarget', () => {
  it('hands plain web links to the system browser', () => {
    expect(externalLinkTarget('https://www.nknews.org/2024/01/article')).toBe('https://www.nknews.org/2024/01/article');
    expect(externalLinkTarget('http://example.org')).toBe('http://example.org/');
  });
  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'app://gloss/index.html', 'smb://server/share', 'https://user:pw@example.org/', `https://example.org/${'a'.repeat(3000)}`, 'nonsense'])(
    'ignores %s',
    (url) => {
      expect(externalLinkTarget(url)).toBeNull();
    },
  );
});

type Item = MenuItemConstructorOptions;
const submenuOf = (item: Item | undefined): Item[] => (Array.isArray(item?.submenu) ? item.submenu : []);
const byLabel = (items: Item[], label: string) => items.find((i) => i.label === label);
const click = (item: Item | undefined) => (item?.click as (() => void) | undefined)?.();

describe('buildMenuTemplate', () => {
  const linux = (isPackaged = true) => {
    const send = vi.fn();
    return { send, menu: buildMenuTemplate(send, { platform: 'linux', isPackaged }) };
  };

  it('has File, Edit, View, Window and Help on Windows and Linux', () => {
    const { menu } = linux();
    expect(menu.map((i) => i.label ?? i.role)).toEqual(['File', 'Edit', 'View', 'windowMenu', 'Help']);
    expect(buildMenuTemplate(vi.fn(), { platform: 'win32', isPackaged: true }).map((i) => i.label ?? i.role)).toEqual(['File', 'Edit', 'View', 'windowMenu', 'Help']);
  });

  it('starts with the app menu on macOS, where File closes the window instead of quitting', () => {
    const menu = buildMenuTemplate(vi.fn(), { platform: 'darwin', isPackaged: true });
    expect(menu[0]).toEqual({ role: 'appMenu' });
    expect(submenuOf(byLabel(menu, 'File')).map((i) => i.role).filter(Boolean)).toEqual(['close']);
    expect(submenuOf(byLabel(linux().menu, 'File')).map((i) => i.role).filter(Boolean)).toEqual(['quit']);
  });

  it('sends export-csv from File › Export › Coded passages (CSV…)', () => {
    const { menu, send } = linux();
    const item = byLabel(submenuOf(byLabel(submenuOf(byLabel(menu, 'File')), 'Export')), 'Coded passages (CSV…)');
    expect(item?.label).toBe(EXPORT_CSV_LABEL);
    click(item);
    expect(send).toHaveBeenCalledExactlyOnceWith('export-csv');
  });

  it('sends import-documents from File › Import documents…, a command the preload lets through', () => {
    const { menu, send } = linux();
    const item = byLabel(submenuOf(byLabel(menu, 'File')), 'Import documents…');
    expect(item?.label).toBe(IMPORT_DOCUMENTS_LABEL);
    click(item);
    expect(send).toHaveBeenCalledExactlyOnceWith('import-documents');
    expect(isDesktopCommand('import-documents')).toBe(true);
  });

  it('makes Undo and Redo app commands, with the usual shortcuts', () => {
    const { menu, send } = linux();
    const edit = submenuOf(byLabel(menu, 'Edit'));
    const undo = byLabel(edit, 'Undo');
    const redos = edit.filter((i) => i.label === 'Redo');
    expect(undo).toMatchObject({ accelerator: 'CmdOrCtrl+Z' });
    expect(undo?.role).toBeUndefined();
    expect(redos.map((i) => [i.accelerator, i.visible ?? true])).toEqual([
      ['CmdOrCtrl+Shift+Z', true],
      ['Ctrl+Y', false],
    ]);
    click(undo);
    redos.forEach(click);
    expect(send.mock.calls).toEqual([['undo'], ['redo'], ['redo']]);
    expect(edit.map((i) => i.role).filter(Boolean)).toEqual(['cut', 'copy', 'paste', 'selectAll']);
  });

  it('has no Ctrl+Y twin on macOS', () => {
    const edit = submenuOf(byLabel(buildMenuTemplate(vi.fn(), { platform: 'darwin', isPackaged: true }), 'Edit'));
    expect(edit.filter((i) => i.label === 'Redo').map((i) => i.accelerator)).toEqual(['CmdOrCtrl+Shift+Z']);
  });

  it('offers Reload and DevTools in development only', () => {
    const roles = (isPackaged: boolean) => submenuOf(byLabel(linux(isPackaged).menu, 'View')).map((i) => i.role).filter(Boolean);
    expect(roles(true)).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
    expect(roles(false)).toEqual(['reload', 'toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
  });

  it('has Help › About Gloss', () => {
    expect(submenuOf(byLabel(linux().menu, 'Help'))).toEqual([{ role: 'about', label: 'About Gloss' }]);
  });

  it('only ever sends known commands', () => {
    const { menu, send } = linux(false);
    const walk = (items: Item[]): void => items.forEach((i) => (click(i), walk(submenuOf(i))));
    walk(menu);
    expect(send.mock.calls.length).toBeGreaterThan(0);
    expect(send.mock.calls.every(([c]) => isDesktopCommand(c))).toBe(true);
  });
});

describe('parseExportCsvRequest', () => {
  it('accepts a request with or without a byte-order mark', () => {
    expect(parseExportCsvRequest({ bom: true })).toEqual({ bom: true });
    expect(parseExportCsvRequest({ bom: false })).toEqual({ bom: false });
  });

  it.each([
    ['a missing bom', {}],
    ['a bom that is not a boolean', { bom: 'yes' }],
    ['a bom of 1', { bom: 1 }],
    ['a path (the user picks it, never the page)', { bom: false, path: '/etc/passwd' }],
    ['content (main writes the CSV itself)', { bom: false, content: 'a,b' }],
    ['no object at all', true],
    ['null', null],
    ['nothing', undefined],
  ])('refuses %s', (_name, input) => {
    expect(() => parseExportCsvRequest(input)).toThrow(/^exportCodedPassagesCsv: /);
  });

  it('proposes coded-passages.csv in the save dialog', () => {
    expect(CSV_EXPORT_FILE_NAME).toBe('coded-passages.csv');
  });
});

describe('writeCsvExport', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-desktop-export-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A core whose export writes `chunks` (then fails, if `failWith` is given). */
  function fakeCore(chunks: string[], failWith?: Error) {
    const calls: { bom: boolean }[] = [];
    return {
      calls,
      async exportCsv(out: NodeJS.WritableStream, opts: { bom: boolean }) {
        calls.push(opts);
        for (const chunk of chunks) await new Promise<void>((resolve, reject) => out.write(chunk, (e) => (e ? reject(e) : resolve())));
        if (failWith) throw failWith;
        await new Promise<void>((resolve) => out.end(resolve));
        return { rows: chunks.length - 1 };
      },
    };
  }

  it('streams the export into the chosen file and reports where and how many rows', async () => {
    const file = path.join(dir, 'coded-passages.csv');
    const core = fakeCore(['\uFEFFdocument_id,quote\r\n', 'doc-1,"a, b"\r\n', 'doc-2,c\r\n']);
    await expect(writeCsvExport(core, file, { bom: true })).resolves.toEqual({ saved: true, path: file, rows: 2 });
    expect(core.calls).toEqual([{ bom: true }]);
    expect(await readFile(file, 'utf8')).toBe('\uFEFFdocument_id,quote\r\ndoc-1,"a, b"\r\ndoc-2,c\r\n');
  });

  it('replaces an existing file whole', async () => {
    const file = path.join(dir, 'replaced.csv');
    await writeFile(file, 'old content that is longer than the new one');
    await writeCsvExport(fakeCore(['h\r\n']), file, { bom: false });
    expect(await readFile(file, 'utf8')).toBe('h\r\n');
  });

  it('leaves the target untouched and no temporary file behind when the export fails', async () => {
    const file = path.join(dir, 'kept.csv');
    await writeFile(file, 'the previous export');
    const before = await readdir(dir);
    await expect(writeCsvExport(fakeCore(['h\r\n', 'half a row'], new Error('disk full')), file, { bom: false })).resolves.toEqual({ saved: false, error: 'disk full' });
    expect(await readFile(file, 'utf8')).toBe('the previous export');
    expect(await readdir(dir)).toEqual(before);
  });
});

describe('PendingWork', () => {
  it('settles once everything tracked has settled, failures included', async () => {
    const pending = new PendingWork();
    const order: string[] = [];
    let finish!: () => void;
    let fail!: (e: Error) => void;
    const ok = pending.track(new Promise<void>((resolve) => (finish = resolve)));
    const bad = pending.track(new Promise<void>((_resolve, reject) => (fail = reject)));
    bad.catch(() => undefined);
    const settled = pending.settled().then(() => order.push('settled'));
    void ok.then(() => order.push('ok'));
    finish();
    await ok;
    expect(order).toEqual(['ok']);
    fail(new Error('refused'));
    await settled;
    expect(order).toEqual(['ok', 'settled']);
  });

  it('also waits for work tracked while it waits', async () => {
    const pending = new PendingWork();
    let finishLate!: () => void;
    let lateDone = false;
    const first = pending.track(Promise.resolve());
    const settled = pending.settled();
    void first.then(() => {
      pending.track(new Promise<void>((resolve) => (finishLate = resolve))).then(() => (lateDone = true));
    });
    await first;
    await Promise.resolve();
    finishLate();
    await settled;
    expect(lateDone).toBe(true);
  });

  it('returns what it tracks unchanged, and is settled when idle', async () => {
    const pending = new PendingWork();
    await expect(pending.track(Promise.resolve(42))).resolves.toBe(42);
    await expect(pending.settled()).resolves.toBeUndefined();
  });
});

describe('desktop bridge contract', () => {
  it('lists exactly the API methods for the preload', () => {
    expect([...API_METHODS].sort()).toEqual(Object.keys(apiContract).sort());
    expect([...apiMethods].sort()).toEqual(Object.keys(apiContract).sort());
  });
  it('recognises only its own commands', () => {
    for (const c of DESKTOP_COMMANDS) expect(isDesktopCommand(c)).toBe(true);
    for (const c of ['', 'Undo', 'undo ', 'reload', 'toString', 42, null, undefined, ['undo']]) expect(isDesktopCommand(c)).toBe(false);
  });
});
