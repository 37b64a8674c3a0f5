/**
 * Shared setup for end-to-end tests: a real Gloss (core + browser-mode server over the built UI)
 * and Debian's Chromium, headless, driven by playwright-core.
 *
 * The harness builds nothing: run the e2e project after `npm run build` (`npm run test:e2e`
 * does both). Typical use:
 *
 *   const app = await startApp();             // fresh default project in a temp folder
 *   const ui = await launchBrowser();         // fresh profile
 *   await ui.page.goto(app.url);
 *   …
 *   await ui.close(); await app.close();
 *
 * Browser tests wrap themselves in `describe.skipIf(skipBrowserTests)`: without Chromium they
 * skip (with a printed reason) on a developer machine, and fail under CI.
 */
import { afterAll, beforeAll } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { CallContext } from '../../shared/api';
import type { PlacedAnnotation } from '../../shared/model';
import { plainText } from '../../shared/plain-text';
import type { GlossCore } from '../../main/core/core';
import { openCore } from '../../main/core/open';
import { startWebServer, type WebServer } from '../../main/web/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The built UI the server serves. */
export const staticDir = path.join(repoRoot, 'dist', 'renderer');

/** Debian's Chromium; the tests never download a browser. */
export const chromiumPath = CHROMIUM_PATH;

export const chromiumAvailable: boolean = existsSync(chromiumPath);

/**
 * True when browser tests should be skipped: Chromium is missing and this is not CI. Under CI a
 * missing Chromium is not skipped, so `launchBrowser()` fails the tests with its message.
 */
export const skipBrowserTests: boolean = !chromiumAvailable && !process.env['CI'];
if (skipBrowserTests) {
  console.warn(`Skipping browser tests: Chromium is not installed at ${chromiumPath} (apt-get install chromium). Under CI this is a failure.`);
}

export interface App {
  server: WebServer;
  core: GlossCore;
  projectDir: string;
  /** The address `gloss web` would print, token included. */
  url: string;
  /** Stops the server, closes (and so saves) the project, and removes a temp project folder. */
  close(): Promise<void>;
}

/**
 * Opens a project (by default a new one, seeded from the bundled corpus, in a temp folder that
 * `close()` removes) and serves it with the built UI on a free port.
 */
export async function startApp(opts: { projectDir?: string; profileFile?: string; /** null: no profile yet (Gloss asks). */ coderName?: string | null } = {}): Promise<App> {
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error(`${path.relative(repoRoot, staticDir)}/index.html is missing: run \`npm run build\` before the end-to-end tests (\`npm run test:e2e\` does).`);
  }
  const ownDir = opts.projectDir === undefined;
  const projectDir = opts.projectDir ?? path.join(await mkdtemp(path.join(os.tmpdir(), 'gloss-e2e-')), 'project');
  // The coder profile lives beside the project, so tests never touch the user's own.
  const profileFile = opts.profileFile ?? path.join(path.dirname(projectDir), 'profile.json');
  const core = await openCore({ projectDir, corpusDir: path.join(repoRoot, 'corpus'), profileFile, ...(opts.coderName === null ? {} : { coderName: opts.coderName ?? 'E2E Coder' }) });
  let server: WebServer;
  try {
    server = await startWebServer({ core, staticDir });
  } catch (e) {
    await core.close();
    throw e;
  }
  return {
    server,
    core,
    projectDir,
    url: server.url,
    async close() {
      try {
        await server.close();
        await core.close();
      } finally {
        if (ownDir) await rm(path.dirname(projectDir), { recursive: true, force: true });
      }
    },
  };
}

export interface Ui {
  context: BrowserContext;
  /** The context's first tab. */
  page: Page;
  /** Console errors and uncaught exceptions of `page`, in order (CSP violations show up here). */
  consoleErrors: string[];
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/**
 * Starts headless Chromium with a fresh profile (a temp folder `close()` removes), downloads
 * accepted. Playwright's persistent context is used, so there is no separate `Browser` object.
 * `args` adds Chromium switches (e.g. `--host-resolver-rules=…` to simulate DNS rebinding).
 */
export async function launchBrowser(opts: { args?: string[] } = {}): Promise<Ui> {
  if (!chromiumAvailable) {
    throw new Error(`Chromium is not installed at ${chromiumPath}. Install Debian's package (apt-get install chromium); the tests never download a browser.`);
  }
  const profile = await mkdtemp(path.join(os.tmpdir(), 'gloss-e2e-profile-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      acceptDownloads: true,
      args: [
        ...CHROMIUM_ARGS,
        ...(opts.args ?? []),
      ],
    });
  } catch (e) {
    await rm(profile, { recursive: true, force: true });
    throw e;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = m.location().url;
    consoleErrors.push(where ? `${m.text()} (${where})` : m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  return {
    context,
    page,
    consoleErrors,
    async close() {
      try {
        await context.close();
      } finally {
        await rm(profile, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Gives the enclosing `describe` a fresh app and browser, started before its first test and
 * closed after its last: `const env = useAppAndBrowser(); … env.ui.page …`.
 */
export function useAppAndBrowser(): { readonly app: App; readonly ui: Ui } {
  const env = {} as { app: App; ui: Ui };
  beforeAll(async () => {
    env.app = await startApp();
    env.ui = await launchBrowser();
  });
  afterAll(async () => {
    await env.ui?.close();
    await env.app?.close();
  });
  return env;
}

/**
 * The call context of the tests' own calls to the core: a client of its own, so they never land
 * in (or undo from) a browser tab's history.
 */
export const testClient: CallContext = { client: 'test' };

/** A document's coded passages as the core has them now, in text order. */
export async function passagesOf(app: App, documentId: string): Promise<PlacedAnnotation[]> {
  return (await app.core.handlers['annotations.list']({ documentId }, testClient)).annotations;
}

/**
 * Codes the first occurrence of `phrase` in the body of `documentId` through the core (not the
 * UI), as `testClient`, and returns the new passage.
 */
export async function codePhrase(app: App, documentId: string, phrase: string, codeIds: string[]): Promise<PlacedAnnotation> {
  const content = await app.core.handlers['documents.get']({ documentId }, testClient);
  const start = plainText(content.blocks).indexOf(phrase);
  if (start < 0) throw new Error(`not in ${documentId}: ${phrase}`);
  const result = await app.core.handlers['annotations.create']({ documentId, start, end: start + phrase.length, codeIds }, testClient);
  if (!result.annotation) throw new Error(`annotations.create answered no passage for ${phrase}`);
  return result.annotation;
}
