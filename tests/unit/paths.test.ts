import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { appDataDir, defaultProjectDir, settingsFile } from '../../main/core/paths';
import { tempDir } from '../support/project';

let home: string;
beforeEach(async () => {
  home = await tempDir('gloss-home-');
});
afterEach(async () => {
  await fsp.rm(home, { recursive: true, force: true });
});

describe('where data lives', () => {
  it('uses the per-user app-data folder of each OS', () => {
    expect(appDataDir({}, 'linux', '/home/ana')).toBe(path.join('/home/ana', '.config'));
    expect(appDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/ana')).toBe('/x');
    expect(appDataDir({}, 'darwin', '/Users/ana')).toBe(path.join('/Users/ana', 'Library', 'Application Support'));
    expect(appDataDir({ APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ana')).toBe('C:\\Users\\ana\\AppData\\Roaming');
  });
  it('opens projects/default there, unless GLOSS_PROJECT or the settings file says otherwise', async () => {
    expect(defaultProjectDir({}, 'linux', home)).toBe(path.join(home, '.config', 'Gloss', 'projects', 'default'));
    expect(defaultProjectDir({ GLOSS_PROJECT: '/data/p' }, 'linux', home)).toBe(path.resolve('/data/p'));
    const file = settingsFile({}, 'linux', home);
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.writeFile(file, JSON.stringify({ projectDir: '/research/thesis' }));
    expect(defaultProjectDir({}, 'linux', home)).toBe(path.resolve('/research/thesis'));
    await fsp.writeFile(file, '{ not json');
    expect(defaultProjectDir({}, 'linux', home)).toBe(path.join(home, '.config', 'Gloss', 'projects', 'default'));
  });
});
