import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiMethods, dispatch, type ApiResponse, type CommandResult } from '../../shared/api';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import type { GlossDesktop } from '../../shared/desktop-bridge';
import type { Codebook, DocumentSummary, PlacedAnnotation } from '../../shared/model';
import { openCore } from '../../main/core/open';
import { corpusDir, profileFile } from '../../main/core/paths';
import { ProfileStore } from '../../main/core/profile';
import { windowIconPath } from '../../main/electron/window-icon';
import { findElectronBinary } from './electron-binary';

/*
 * What only a real Electron can show: the sandboxed, context-isolated preload and the bridge it
 * exposes, the application menu, the single-instance lock, IPC end to end, the CSV export through
 * the save dialog, the navigation and request guards, and that quitting saves what the page was
 * still sending. Runs against the built app (dist/), like `npm start`.
 */

const appRoot = fileURLToPath(new URL('../..', import.meta.url));
const binary = findElectronBinary();
const available = binary.path !== null;
if (!available) console.log(`Electron binary not present: desktop-only tests skipped (sandboxed preload, menus, single-instance lock). Reason: ${binary.reason}.`);

type Bridged = Window & { glossDesktop: GlossDesktop; receivedCommands: string[] };
type MenuNode = { label: string; role: string | undefined; accelerator: string | null; visible: boolean; id: string; submenu?: MenuNode[] };

/** In the page: codes the first five characters of the `index`th document with the first code. */
async function codePassage(page: Page, index: number): Promise<{ annotation: PlacedAnnotation; title: string }> {
  return page.evaluate(async (i) => {
    const api = (window as unknown as Bridged).glossDesktop.api;
    const result = async <T>(response: Promise<ApiResponse>): Promise<T> => {
      const r = await response;
      if (!r.ok) throw new Error(r.error.message);
      return r.result as T;
    };
    const doc = (await result<DocumentSummary[]>(api['documents.list']({})))[i]!;
    const codebook = await result<Codebook>(api['codebook.get']({}));
    const created = await result<CommandResult>(api['annotations.create']({ documentId: doc.id, start: 0, end: 5, codeIds: [codebook.codes[0]!.id] }));
    if (!created.annotation) throw new Error('annotations.create answered no passage');
    return { annotation: created.annotation, title: doc.meta.title };
  }, index);
}

function launchArgs(projectDir: string, userDataDir: string): string[] {
  // On Linux, Playwright launches Electron with --no-sandbox (Chromium's OS sandbox needs a
  // setuid helper or user namespaces that CI machines often lack), so the second instance must
  // too, or it may die before reaching the app. Electron's renderer sandbox (sandbox: true,
  // app.enableSandbox) is a separate thing and stays on.
  return [appRoot, '--project', projectDir, `--user-data-dir=${userDataDir}`, ...(process.platform === 'linux' ? ['--no-sandbox'] : [])];
}

/**
 * The test's environment minus ELECTRON_RUN_AS_NODE, which would turn the binary into plain Node,
 * with `home` as the per-user folder, so the app's coder profile is the test's, never the user's.
 */
function childEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && name !== 'ELECTRON_RUN_AS_NODE') env[name] = value;
  return { ...env, HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: path.join(home, '.config'), APPDATA: path.join(home, 'AppData', 'Roaming') };
}

/** The coder profile a Gloss run with `childEnv(home)` uses. */
function profileIn(home: string): string {
  return profileFile(childEnv(home), process.platform, home);
}

function find(items: MenuNode[] | undefined, label: string): MenuNode | undefined {
  return items?.find((i) => i.label.replace(/&/g, '') === label);
}

describe('desktop app (Electron)', () => {
  let app: ElectronApplication;
  let page: Page;
  let workDir: string;
  let projectDir: string;
  let userDataDir: string;
  let homeDir: string;

  beforeAll(async () => {
    if (!available) return;
    for (const built of ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html']) {
      if (!existsSync(path.join(appRoot, built))) throw new Error(`${built} is missing: run \`npm run build\` before the desktop tests.`);
    }
    workDir = await mkdtemp(path.join(os.tmpdir(), 'gloss-desktop-'));
    projectDir = path.join(workDir, 'project');
    userDataDir = path.join(workDir, 'user-data');
    homeDir = path.join(workDir, 'home');
    // Someone is coding already, so the page does not open with the "Who is coding?" dialog.
    await (await ProfileStore.open(profileIn(homeDir))).save({ name: 'Desktop Coder' });
    app = await _electron.launch({ executablePath: binary.path!, args: launchArgs(projectDir, userDataDir), env: childEnv(homeDir), timeout: 45_000 });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  afterAll(async () => {
    if (!available) return;
    await app?.close().catch(() => undefined);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it.skipIf(!available)('serves the UI from app://gloss/ with the Content-Security-Policy header', async () => {
    expect(page.url()).toBe('app://gloss/index.html');
    const headers = await page.evaluate(async () => {
      const res = await fetch('app://gloss/index.html');
      return {
        status: res.status,
        csp: res.headers.get('content-security-policy'),
        nosniff: res.headers.get('x-content-type-options'),
        framing: res.headers.get('x-frame-options'),
      };
    });
    expect(headers).toEqual({ status: 200, csp: CONTENT_SECURITY_POLICY, nosniff: 'nosniff', framing: 'DENY' });
    // Path confinement, live: nothing outside dist/renderer is reachable.
    const escapes = await page.evaluate(() =>
      Promise.all(['app://gloss/..%2f..%2fpackage.json', 'app://gloss/%2e%2e/%2e%2e/package.json', 'app://gloss/..%5c..%5cpackage.json'].map((u) => fetch(u).then((r) => r.status))),
    );
    expect(escapes).toEqual([404, 404, 404]);
  });

  it.skipIf(!available)('isolates the page: no Node globals, only the glossDesktop bridge', async () => {
    const probe = await page.evaluate(() => {
      const w = window as unknown as Bridged & Record<string, unknown>;
      return {
        nodeGlobals: ['require', 'process', 'module', 'Buffer', 'global', '__dirname'].filter((name) => typeof w[name] !== 'undefined'),
        bridgeKeys: Object.keys(w.glossDesktop).sort(),
        apiKeys: Object.keys(w.glossDesktop.api).sort(),
        apiAreFunctions: Object.values(w.glossDesktop.api).every((f) => typeof f === 'function'),
        platform: w.glossDesktop.platform,
      };
    });
    expect(probe.nodeGlobals).toEqual([]);
    // No generic invoke/send: exactly the documented members.
    expect(probe.bridgeKeys).toEqual(['api', 'exportCodedPassagesCsv', 'onChange', 'onCommand', 'platform']);
    expect(probe.apiKeys).toEqual([...apiMethods].sort());
    expect(probe.apiAreFunctions).toBe(true);
    expect(probe.platform).toBe(process.platform);
  });

  it.skipIf(!available)('runs the preload sandboxed: its world has no Node globals', async () => {
    const preloadWorld = await app.evaluate(async ({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]!.webContents;
      // 999 is the world Electron runs preloads in under contextIsolation. Without the sandbox,
      // Node's `process` and `Buffer` are globals there; a sandboxed preload only gets limited
      // versions passed to its own function, never as globals.
      return contents.executeJavaScriptInIsolatedWorld(999, [{ code: '[typeof globalThis.process, typeof globalThis.Buffer]' }]);
    });
    expect(preloadWorld).toEqual(['undefined', 'undefined']);
  });

  it.skipIf(!available)('has the window’s icon beside the main bundle, in a form Electron reads', async () => {
    // Electron has no getter for a window's icon: this checks the file main hands it.
    const icon = windowIconPath(process.platform, path.join(appRoot, 'dist', 'electron'));
    // macOS ignores a window's icon; the Dock shows the bundle's icon.icns.
    if (icon === undefined) return;
    const size = await app.evaluate(({ nativeImage }, file) => nativeImage.createFromPath(file).getSize(), icon);
    expect(size.width).toBeGreaterThan(0);
    expect(size.height).toBe(size.width);
    if (process.platform === 'linux') expect(size).toEqual({ width: 512, height: 512 });
  });

  it.skipIf(!available)('answers API calls over IPC, validating input', async () => {
    const [info, invalid] = await page.evaluate(async () => {
      const api = (window as unknown as Bridged).glossDesktop.api;
      return [await api['project.info']({}), await api['documents.get']({ documentId: '../../etc/passwd' })];
    });
    expect(info.ok).toBe(true);
    expect(info.ok && (info.result as { location: string }).location).toContain(path.basename(projectDir));
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it.skipIf(!available)('has File › Export › Coded passages (CSV…) and Edit › Undo/Redo', async () => {
    const menu = await app.evaluate(({ Menu }) => {
      const toNodes = (items: Electron.MenuItem[]): MenuNode[] =>
        items.map((i) => ({ label: i.label, role: i.role, accelerator: i.accelerator, visible: i.visible, id: i.id, ...(i.submenu ? { submenu: toNodes(i.submenu.items) } : {}) }));
      return toNodes(Menu.getApplicationMenu()?.items ?? []);
    });
    const exportItem = find(find(find(menu, 'File')?.submenu, 'Export')?.submenu, 'Coded passages (CSV…)');
    expect(exportItem).toBeDefined();
    const edit = find(menu, 'Edit')?.submenu ?? [];
    expect(edit.find((i) => i.label === 'Undo' && i.visible)?.accelerator).toBe('CmdOrCtrl+Z');
    expect(edit.find((i) => i.label === 'Redo' && i.visible)?.accelerator).toBe('CmdOrCtrl+Shift+Z');
    expect(edit.map((i) => i.role?.toLowerCase())).toEqual(expect.arrayContaining(['cut', 'copy', 'paste', 'selectall']));
  });

  it.skipIf(!available)('forwards menu commands to the page, and only known ones', async () => {
    await page.evaluate(() => {
      const w = window as unknown as Bridged;
      w.receivedCommands = [];
      w.glossDesktop.onCommand((c) => w.receivedCommands.push(c));
    });
    await app.evaluate(({ BrowserWindow, Menu }) => {
      Menu.getApplicationMenu()!.getMenuItemById('undo')!.click();
      BrowserWindow.getAllWindows()[0]!.webContents.send('gloss:command', 'rm -rf');
      Menu.getApplicationMenu()!.getMenuItemById('redo')!.click();
    });
    await page.waitForFunction(() => (window as unknown as Bridged).receivedCommands.includes('redo'));
    expect(await page.evaluate(() => (window as unknown as Bridged).receivedCommands)).toEqual(['undo', 'redo']);
  });

  it.skipIf(!available)('blocks navigation away from the app and new windows', async () => {
    await app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]!.webContents;
      (globalThis as Record<string, unknown>)['navigation'] = new Promise((resolve) =>
        contents.once('will-navigate', (event) => resolve({ url: event.url, prevented: event.defaultPrevented })),
      );
    });
    await page.evaluate(() => {
      window.location.href = 'https://example.invalid/';
    });
    const navigation = await app.evaluate(() => (globalThis as Record<string, unknown>)['navigation']);
    expect(navigation).toEqual({ url: 'https://example.invalid/', prevented: true });
    // Even a same-origin window.open is denied (an https link would go to the system browser).
    expect(await page.evaluate(() => window.open('app://gloss/index.html'))).toBeNull();
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    expect(page.url()).toBe('app://gloss/index.html');
    expect(await page.evaluate(() => typeof (window as unknown as Bridged).glossDesktop)).toBe('object');
  });

  it.skipIf(!available)('cancels requests to anything but the app, even when main itself loads them', async () => {
    let hits = 0;
    const server: Server = createServer((_req, res) => {
      hits++;
      res.end('remote');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const outcome = await app.evaluate(async ({ BrowserWindow }, target) => {
        const contents = BrowserWindow.getAllWindows()[0]!.webContents;
        try {
          await contents.loadURL(target);
          return 'loaded';
        } catch (error) {
          return String(error);
        } finally {
          await contents.loadURL('app://gloss/index.html').catch(() => undefined);
        }
      }, url);
      expect(outcome).toMatch(/ERR_BLOCKED_BY_CLIENT/);
      expect(hits).toBe(0);
    } finally {
      server.close();
    }
    await page.waitForURL('app://gloss/index.html');
  });

  it.skipIf(!available)('lets a second launch hand over to the running instance and exit', async () => {
    await app.evaluate(({ app: electronApp }) => {
      (globalThis as Record<string, unknown>)['secondInstance'] = new Promise((resolve) => electronApp.once('second-instance', () => resolve(true)));
    });
    const second = spawn(binary.path!, launchArgs(projectDir, userDataDir), { env: childEnv(homeDir), stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve, reject) => {
      second.once('error', reject);
      second.once('exit', (c) => resolve(c));
    });
    expect(code).toBe(0);
    expect(await app.evaluate(() => (globalThis as Record<string, unknown>)['secondInstance'])).toBe(true);
  });

  it.skipIf(!available)('exports the coded passages as CSV into the file picked in the save dialog', async () => {
    const { annotation } = await codePassage(page, 1);
    const file = path.join(workDir, 'export.csv');
    // A native dialog cannot be driven from a test: main's dialog answers with `file`, then with
    // a cancel, and remembers what it was asked.
    await app.evaluate(({ dialog }, answers) => {
      const queue = [...answers];
      const asked: { name: string; filters: string[] }[] = [];
      const g = globalThis as Record<string, unknown>;
      g['realShowSaveDialog'] = dialog.showSaveDialog;
      g['saveDialogsAsked'] = asked;
      dialog.showSaveDialog = (async (...args: unknown[]) => {
        const options = args[args.length - 1] as Electron.SaveDialogOptions;
        asked.push({ name: (options.defaultPath ?? '').split(/[\\/]/).pop()!, filters: (options.filters ?? []).flatMap((f) => f.extensions) });
        return queue.shift();
      }) as typeof dialog.showSaveDialog;
    }, [
      { canceled: false, filePath: file },
      { canceled: true, filePath: '' },
    ]);
    try {
      const outcome = await page.evaluate(async () => {
        const desktop = (window as unknown as Bridged).glossDesktop;
        const saved = await desktop.exportCodedPassagesCsv({ bom: true });
        const cancelled = await desktop.exportCodedPassagesCsv({ bom: false });
        const invalid = await desktop.exportCodedPassagesCsv({ bom: 'yes' } as never).then(
          () => 'resolved',
          (e: Error) => e.message,
        );
        return { saved, cancelled, invalid };
      });
      expect(outcome.saved).toEqual({ saved: true, path: file, rows: expect.any(Number) });
      expect(outcome.saved.rows).toBeGreaterThan(0);
      expect(outcome.cancelled).toEqual({ saved: false });
      expect(outcome.invalid).toMatch(/exportCodedPassagesCsv: bom/);
      // The invalid request was refused before any dialog opened.
      expect(await app.evaluate(() => (globalThis as Record<string, unknown>)['saveDialogsAsked'])).toEqual([
        { name: 'coded-passages.csv', filters: ['csv', '*'] },
        { name: 'coded-passages.csv', filters: ['csv', '*'] },
      ]);
      const csv = await readFile(file, 'utf8');
      expect(csv.startsWith('\uFEFFdocument_id,')).toBe(true);
      expect(csv).toContain(annotation.id);
    } finally {
      await app.evaluate(({ dialog }) => {
        dialog.showSaveDialog = (globalThis as Record<string, unknown>)['realShowSaveDialog'] as typeof dialog.showSaveDialog;
      });
    }
  });

  it.skipIf(!available)('opens a second window with File › New Window, and shows there what the first one codes, with its own undo', async () => {
    const opened = app.waitForEvent('window');
    await app.evaluate(({ Menu }) => Menu.getApplicationMenu()!.getMenuItemById('new-window')!.click());
    const second = await opened;
    await second.waitForLoadState('domcontentloaded');
    await second.getByRole('navigation', { name: 'Documents' }).waitFor();
    const received = second.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const off = (window as unknown as Bridged).glossDesktop.onChange((e) => {
            off();
            resolve((e as { revision: number }).revision);
          });
        }),
    );
    const { annotation } = await codePassage(page, 1);
    expect(await received).toBe(annotation.rev);
    // Each window has its own history: the second has nothing to undo, the first has the coding.
    const history = async (p: Page) => p.evaluate(async () => ((await (window as unknown as Bridged).glossDesktop.api['history.get']({})) as { ok: true; result: { undo: string | null } }).result.undo);
    expect(await history(second)).toBeNull();
    expect(await history(page)).toBe('code passage');
    await second.close();
  });

  // Last: it quits the app.
  it.skipIf(!available)('saves a memo still being typed when the app quits', async () => {
    const memoText = 'Typed a moment before quitting';
    const { annotation, title } = await codePassage(page, 0);
    // A fresh page: the tests before navigated this window away and back.
    await page.reload();
    await page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: title }).click();
    await page.getByRole('list', { name: 'Coded passages in text order' }).getByRole('button').click();
    const memo = page.getByRole('textbox', { name: 'Memo' });
    await memo.click();
    await page.keyboard.type(memoText);
    // At once, well within the pause after which the page saves a memo, and without leaving the
    // field: only what the page sends while its window closes, and main waits for, is saved.
    await app.close();

    const core = await openCore({ projectDir, corpusDir: corpusDir(), profileFile: profileIn(homeDir), createIfMissing: false });
    try {
      const listed = await dispatch(core.handlers, 'annotations.list', { documentId: annotation.documentId }, { client: 'test' });
      expect(listed.ok).toBe(true);
      const stored = (listed.ok ? (listed.result as { annotations: PlacedAnnotation[] }).annotations : []).find((a) => a.id === annotation.id);
      expect(stored?.memo).toBe(memoText);
    } finally {
      await core.close();
    }
  });
});
