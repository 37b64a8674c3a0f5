import { realCliCore, runCli } from '../support/cli';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliDeps } from '../../main/cli/command';

// gloss import / documents / documents text, on a real project, through the real import worker
// (built by `npm run build`, as `npm test` does first).

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpusDir = path.join(repoRoot, 'corpus');
let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'gloss-documents-cli-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const realCore = realCliCore(() => tmp);
const run = (argv: string[], deps: Partial<CliDeps> = {}) => runCli(argv, { cwd: () => tmp, corpusDir: () => corpusDir, openCore: realCore, ...deps });

async function newProject(): Promise<string> {
  const projectDir = path.join(tmp, 'project');
  await (await realCore({ projectDir, corpusDir })).close();
  return projectDir;
}

describe('gloss import, documents, documents text', () => {
  it('imports several files in one change, reports each, and never touches them', async () => {
    const projectDir = await newProject();
    await writeFile(path.join(tmp, 'Interview 1.txt'), 'I: When did you leave?\nR: In 2011.\n');
    await writeFile(path.join(tmp, 'notes.md'), '---\ntitle: Field notes\nauthor: Ana Lima\ndate: 2024-03-05\n---\n# Day 1\n\nSaw the river.\n');
    await writeFile(path.join(tmp, 'copy.txt'), 'I: When did you leave?\nR: In 2011.\n');
    await writeFile(path.join(tmp, 'bad.docx'), 'not a zip');
    await writeFile(path.join(tmp, 'latin.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    const before = await readFile(path.join(tmp, 'notes.md'));

    const r = await run(['import', 'Interview 1.txt', 'notes.md', 'copy.txt', 'bad.docx', 'latin.txt', 'missing.txt', '--project', projectDir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^Interview 1\.txt: imported as interview-1-[0-9a-f]{6} \(“Interview 1”\)$/);
    expect(lines[1]).toMatch(/^notes\.md: imported as field-notes-[0-9a-f]{6} \(“Field notes”\)$/);
    expect(lines[2]).toBe('copy.txt: skipped: an earlier file of this import has the same text');
    expect(lines[3]).toMatch(/^bad\.docx: failed: The file is named \.docx but is not one/);
    expect(lines[4]).toMatch(/^latin\.txt: failed: The file is not UTF-8 text, and Gloss will not guess its encoding\./);
    expect(lines[5]).toMatch(/^missing\.txt: failed: Cannot read missing\.txt/);
    expect(lines[6]).toBe('2 imported, 1 skipped, 3 failed.');
    expect(await readFile(path.join(tmp, 'notes.md'))).toEqual(before);

    const again = await run(['import', 'latin.txt', 'copy.txt', '--encoding', 'windows-1252', '--project', projectDir, '--json']);
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout) as { file: string; status: string; id?: string; reason?: string }[];
    expect(report.map((x) => [x.file, x.status])).toEqual([
      ['latin.txt', 'imported'],
      ['copy.txt', 'skipped'],
    ]);
    expect(report[1]!.reason).toBe('the project has this text already, as “Interview 1”');

    const list = await run(['documents', '--project', projectDir, '--json']);
    const docs = JSON.parse(list.stdout) as { id: string; title: string; author: string; date: string; passages: number }[];
    expect(docs.slice(-3).map((d) => d.title)).toEqual(['Interview 1', 'Field notes', 'latin']);
    expect(docs.find((d) => d.title === 'Field notes')).toMatchObject({ author: 'Ana Lima', date: '2024-03-05', passages: 0 });
    const plain = await run(['documents', '--project', projectDir]);
    expect(plain.stdout).toMatch(/\tField notes \(Ana Lima, 2024-03-05\)\t0 passages\n/);

    const text = await run(['documents', 'text', docs.find((d) => d.title === 'latin')!.id, '--project', projectDir]);
    expect(text.stdout).toBe('café\n');
    const notes = await run(['documents', 'text', docs.find((d) => d.title === 'Field notes')!.id, '--project', projectDir]);
    expect(notes.stdout).toBe('Day 1\n\nSaw the river.\n');
    const unknown = await run(['documents', 'text', 'nope', '--project', projectDir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No document with id "nope"/);
  }, 60_000);

  it('replaces a text with a new version: a report per passage, --dry-run changing nothing', async () => {
    const projectDir = await newProject();
    await writeFile(path.join(tmp, 'v1.txt'), 'Relatives are questioned and watched. Remittances changed village life.');
    const imported = JSON.parse((await run(['import', 'v1.txt', '--project', projectDir, '--json'])).stdout) as { id: string }[];
    const id = imported[0]!.id;
    const core = await realCore({ projectDir, corpusDir });
    try {
      await core.handlers['annotations.create']({ documentId: id, start: 0, end: 37, codeIds: ['repression-tactic'] }, { client: 'test' });
      await core.handlers['annotations.create']({ documentId: id, start: 38, end: 71, codeIds: ['economic-change'] }, { client: 'test' });
    } finally {
      await core.close();
    }
    await writeFile(path.join(tmp, 'v2.md'), 'Relatives are questioned for hours and watched.\n');
    const dry = await run(['replace-text', id, 'v2.md', '--project', projectDir, '--dry-run']);
    expect(dry.stderr).toBe('');
    expect(dry.stdout).toBe(
      [
        'changed   0–37 → 0–47  “Relatives are questioned and watched.” → “Relatives are questioned for hours and watched.” (79%)',
        'orphaned  38–71 → nowhere  “Remittances changed village life.”',
        '0 unchanged, 0 moved, 1 changed, 1 orphaned.',
        'Dry run: nothing was changed.',
        '',
      ].join('\n'),
    );
    expect((await run(['documents', 'text', id, '--project', projectDir])).stdout).toBe('Relatives are questioned and watched. Remittances changed village life.\n');
    const real = await run(['replace-text', id, 'v2.md', '--project', projectDir, '--json']);
    expect(real.code).toBe(0);
    const report = JSON.parse(real.stdout) as { counts: Record<string, number>; passages: { status: string; new: { start: number; end: number } | null }[] };
    expect(report.counts).toEqual({ unchanged: 0, moved: 0, changed: 1, orphaned: 1 });
    expect(report.passages[0]!.new).toEqual({ start: 0, end: 47, text: 'Relatives are questioned for hours and watched.' });
    expect((await run(['documents', 'text', id, '--project', projectDir])).stdout).toBe('Relatives are questioned for hours and watched.\n');
    const list = JSON.parse((await run(['documents', '--project', projectDir, '--json'])).stdout) as { id: string; passages: number }[];
    expect(list.find((d) => d.id === id)!.passages).toBe(2);
  }, 60_000);

  it('prints each document’s values of the document variables, and the variables with how many documents have a value', async () => {
    const projectDir = await newProject();
    expect((await run(['variables', '--project', projectDir])).stdout).toBe('The project has no document variables.\n');
    expect(JSON.parse((await run(['variables', '--project', projectDir, '--json'])).stdout)).toEqual([]);
    const core = await realCore({ projectDir, corpusDir });
    let ids: string[];
    try {
      const client = { client: 'test' };
      const site = (await core.handlers['variables.create']({ name: 'Site', type: 'choice', choices: ['Seoul', 'Busan'] }, client)).variableId!;
      const wave = (await core.handlers['variables.create']({ name: 'Wave', type: 'number' }, client)).variableId!;
      const consent = (await core.handlers['variables.create']({ name: 'Consent', type: 'boolean' }, client)).variableId!;
      ids = (await core.handlers['documents.list']({}, client)).map((d) => d.id);
      await core.handlers['documents.update']({ documentId: ids[0]!, changes: {}, base: {}, values: { [site]: 'Busan', [wave]: 2, [consent]: true } }, client);
      await core.handlers['documents.update']({ documentId: ids[1]!, changes: {}, base: {}, values: { [wave]: 1.5 } }, client);
    } finally {
      await core.close();
    }
    const json = JSON.parse((await run(['documents', '--project', projectDir, '--json'])).stdout) as { id: string; values: Record<string, unknown> }[];
    expect(json.map((d) => d.values)).toEqual([{ Site: 'Busan', Wave: 2, Consent: true }, { Wave: 1.5 }, ...json.slice(2).map(() => ({}))]);
    const text = (await run(['documents', '--project', projectDir])).stdout.split('\n');
    const at = text.findIndex((l) => l.startsWith(`${ids[0]}\t`));
    expect(text.slice(at + 1, at + 4)).toEqual(['  Site: Busan', '  Wave: 2', '  Consent: yes']);
    expect(text[at + 4]).toMatch(new RegExp(`^${ids[1]}\t`));
    expect(text[at + 5]).toBe('  Wave: 1.5');

    const listed = await run(['variables', '--project', projectDir]);
    expect(listed.stdout).toBe('Site\tone of: Seoul, Busan\t1 document\nWave\tnumber\t2 documents\nConsent\tyes/no\t1 document\n');
    const defs = JSON.parse((await run(['variables', '--project', projectDir, '--json'])).stdout) as unknown[];
    expect(defs).toEqual([
      { id: expect.any(String), name: 'Site', type: 'choice', choices: ['Seoul', 'Busan'], documents: 1 },
      { id: expect.any(String), name: 'Wave', type: 'number', documents: 2 },
      { id: expect.any(String), name: 'Consent', type: 'boolean', documents: 1 },
    ]);
    expect((await run(['help'])).stdout).toMatch(/\n {2}variables +List the document variables of a project/);
  }, 60_000);

  it('says what it needs', async () => {
    const projectDir = await newProject();
    const none = await run(['import', '--project', projectDir]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/say which files to import/);
    const noId = await run(['documents', 'text', '--project', projectDir]);
    expect(noId.stderr).toMatch(/say which document/);
  });
});
