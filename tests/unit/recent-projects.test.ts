import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_RECENT, RecentProjects } from '../../main/core/recent-projects';
import { folderNameFor, FolderRefusedError, guardFolder, newProjectFolder, realAllowed, windowTitle } from '../../main/core/project-folders';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'gloss-recent-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function project(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'gloss-project.json'), '{}');
  return dir;
}

describe('recent projects', () => {
  it('keeps the newest first, once each, at most ten, durably', async () => {
    const file = path.join(tmp, 'app', 'recent-projects.json');
    const recent = await RecentProjects.open(file);
    expect(recent.projects).toEqual([]);
    for (let i = 0; i < 12; i++) await recent.touch(path.join(tmp, `p${i}`), `P${i}`);
    await recent.touch(path.join(tmp, 'p5'), 'P5 again');
    const again = await RecentProjects.open(file);
    expect(again.projects).toHaveLength(MAX_RECENT);
    expect(again.projects[0]).toMatchObject({ dir: path.join(tmp, 'p5'), name: 'P5 again' });
    expect(again.projects.filter((p) => p.dir.endsWith('p5'))).toHaveLength(1);
    expect(again.projects.map((p) => p.name)).not.toContain('P0');
  });

  it('marks folders without a project as missing; remove, rename and clear', async () => {
    const file = path.join(tmp, 'recent-projects.json');
    const recent = await RecentProjects.open(file);
    const here = await project(path.join(tmp, 'here'));
    await recent.touch(path.join(tmp, 'gone'), 'Gone');
    await recent.touch(here, 'Here');
    expect((await recent.entries()).map((e) => [e.name, e.missing])).toEqual([['Here', false], ['Gone', true]]);
    await recent.rename(here, 'Renamed');
    await recent.remove(path.join(tmp, 'gone'));
    expect((await RecentProjects.open(file)).projects.map((p) => p.name)).toEqual(['Renamed']);
    await recent.clear();
    expect((await RecentProjects.open(file)).projects).toEqual([]);
  });

  it('refuses a damaged list and leaves it untouched', async () => {
    const file = path.join(tmp, 'recent-projects.json');
    await writeFile(file, '{not json');
    await expect(RecentProjects.open(file)).rejects.toThrow(/damaged/);
    expect(await readFile(file, 'utf8')).toBe('{not json');
  });
});

describe('project folders', () => {
  it('sanitises a name into a folder name', () => {
    expect(folderNameFor('Families of defectors')).toBe('Families of defectors');
    expect(folderNameFor('../../etc/passwd')).toBe('etc-passwd');
    expect(folderNameFor('a/b\\c:d*e?')).toBe('a-b-c-d-e-');
    expect(folderNameFor('  ...  ')).toBe('project');
    expect(folderNameFor('CON')).toBe('CON-');
    expect(folderNameFor('Pyŏngyang interviews')).toBe('Pyŏngyang interviews');
    expect(folderNameFor('x'.repeat(100))).toHaveLength(64);
  });

  it('allows only real folders inside the allowed ones', async () => {
    const allowedDir = path.join(tmp, 'allowed');
    const inside = await project(path.join(allowedDir, 'one'));
    const outside = await project(path.join(tmp, 'outside'));
    await symlink(outside, path.join(allowedDir, 'link'));
    const allowed = await realAllowed([allowedDir, path.join(tmp, 'does-not-exist')]);
    expect(await guardFolder(inside, allowed)).toBe(path.join(allowed[0]!, 'one'));
    const refused = [path.join(allowedDir, '..', 'outside'), outside, path.join(allowedDir, 'link'), 'one', '', path.join(allowedDir, 'nope')];
    for (const p of refused) await expect(guardFolder(p, allowed), p).rejects.toBeInstanceOf(FolderRefusedError);
  });

  it('puts a new project in a new or empty sub-folder, never a non-empty one', async () => {
    await mkdir(path.join(tmp, 'Empty'));
    await project(path.join(tmp, 'Taken'));
    expect(await newProjectFolder(tmp, 'New one')).toBe(path.join(tmp, 'New one'));
    expect(await newProjectFolder(tmp, 'Empty')).toBe(path.join(tmp, 'Empty'));
    await expect(newProjectFolder(tmp, 'Taken')).rejects.toThrow(/not empty/);
  });

  it('titles the window with the project name and folder', () => {
    expect(windowTitle('Families', '/home/a/Families')).toBe('Families — /home/a/Families — Gloss');
  });
});

describe('new project seed', () => {
  it('is empty or holds the sample corpus, under the chosen name', async () => {
    const { defaultSeed } = await import('../../main/core/open');
    const { corpusDir } = await import('../../main/core/paths');
    const empty = await defaultSeed(corpusDir(), [], { name: ' Empty one ', sample: false });
    expect(empty.documents).toEqual([]);
    expect(empty.project.name).toBe('Empty one');
    const sample = await defaultSeed(corpusDir(), [], { name: 'Sample', sample: true });
    expect(sample.documents).toHaveLength(5);
    expect((await defaultSeed(corpusDir())).project.name).toBe('Families of defectors');
  });
});

describe('recent projects file', () => {
  it('lives beside the coder profile', async () => {
    const { profileFile, recentProjectsFile } = await import('../../main/core/paths');
    const env = { XDG_CONFIG_HOME: '/x' };
    expect(path.dirname(recentProjectsFile(env, 'linux', '/h'))).toBe(path.dirname(profileFile(env, 'linux', '/h')));
    expect(recentProjectsFile(env, 'linux', '/h')).toBe(path.join('/x', 'Gloss', 'recent-projects.json'));
  });
});
