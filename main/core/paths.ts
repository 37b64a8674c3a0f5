import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The product name, which also names the per-user data folder. */
export const APP_NAME = 'Gloss';

/**
 * The per-user application-data folder, where Electron's `app.getPath('appData')` points too, so
 * desktop and browser mode open the same default project:
 * Windows `%APPDATA%`, macOS `~/Library/Application Support`, elsewhere `$XDG_CONFIG_HOME` or `~/.config`.
 */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  if (platform === 'win32') return env['APPDATA'] || path.join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support');
  return env['XDG_CONFIG_HOME'] || path.join(home, '.config');
}

/** The user's settings file: `{ "projectDir": "/path/to/project" }` chooses the project to open. */
export function settingsFile(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  return path.join(appDataDir(env, platform, home), APP_NAME, 'settings.json');
}

/** The coder profile of the person using Gloss (see profile.ts), beside the settings file. */
export function profileFile(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  return path.join(appDataDir(env, platform, home), APP_NAME, 'profile.json');
}

/** The projects opened last (see recent-projects.ts), beside the coder profile. */
export function recentProjectsFile(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  return path.join(appDataDir(env, platform, home), APP_NAME, 'recent-projects.json');
}

function settingsProjectDir(file: string): string | null {
  try {
    const value = (JSON.parse(readFileSync(file, 'utf8')) as { projectDir?: unknown }).projectDir;
    return typeof value === 'string' && value.trim() !== '' ? path.resolve(path.dirname(file), value) : null;
  } catch {
    // No settings, or unreadable ones: the default applies (the file is never rewritten here).
    return null;
  }
}

/**
 * The project opened when no `--project DIR` is given: `$GLOSS_PROJECT`, else `projectDir` in
 * the settings file, else `projects/default` in the per-user app-data folder.
 */
export function defaultProjectDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  if (env['GLOSS_PROJECT']) return path.resolve(env['GLOSS_PROJECT']);
  return settingsProjectDir(settingsFile(env, platform, home)) ?? path.join(appDataDir(env, platform, home), APP_NAME, 'projects', 'default');
}

/** The folder holding package.json, corpus/ and dist/ (found by walking up from this bundle). */
export function appRoot(): string {
  // The CommonJS bundle (Electron main) has __dirname; the ESM bundle (CLI) has import.meta.
  let dir = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'corpus'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

/** The bundled corpus of a development or npm install. Packaged apps pass their resources folder instead. */
export function corpusDir(): string {
  return path.join(appRoot(), 'corpus');
}
