import { realCliCore, runCli } from '../support/cli';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryOf } from '../../main/cli/passages';

// gloss passages and gloss quote, on a real project made from the bundled corpus.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpusDir = path.join(repoRoot, 'corpus');
let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'gloss-passages-cli-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const realCore = realCliCore(() => tmp);
const run = (argv: string[]) => runCli(argv, { cwd: () => tmp, corpusDir: () => corpusDir, openCore: realCore });

/** A project of the corpus with three coded passages in its first document. */
async function coded(): Promise<{ projectDir: string; ids: string[]; documentId: string }> {
  const projectDir = path.join(tmp, 'project');
  const core = await realCore({ projectDir, corpusDir });
  const ctx = { client: 'test' };
  const { documents, codes } = await core.handlers['workspace.get']({}, ctx);
  const codeId = (name: string): string => codes.find((c) => c.name === name)!.id;
  const documentId = documents[0]!.id;
  const text = (await core.handlers['documents.get']({ documentId }, ctx)).blocks.map((b) => ('text' in b ? b.text : '')).filter(Boolean);
  const words = text[1]!.split(' ').slice(0, 4).join(' ');
  const all = text.join('\n\n');
  const ids: string[] = [];
  const at = all.indexOf(words);
  ids.push((await core.handlers['annotations.create']({ documentId, start: at, end: at + words.length, codeIds: [codeId('Surveillance')] }, ctx)).annotation!.id);
  ids.push((await core.handlers['annotations.create']({ documentId, start: at, end: at + 3, codeIds: [codeId('Remittances')] }, ctx)).annotation!.id);
  ids.push((await core.handlers['annotations.create']({ documentId, start: at, end: at + words.length, codeIds: [] }, ctx)).annotation!.id);
  await core.close();
  return { projectDir, ids, documentId };
}

describe('gloss passages', () => {
  it('combines the options into one query', () => {
    expect(queryOf({ code: ['Repression tactic > Surveillance'], document: ['a', 'b'], query: 'NOT uncoded' })).toBe('code:"Repression tactic > Surveillance" AND (doc:"a" OR doc:"b") AND (NOT uncoded)');
    expect(queryOf({ code: ['say "x"'] })).toBe('code:"say \\"x\\""');
    expect(queryOf({})).toBe('');
  });

  it('prints the passages of a code, with its sub-codes, as CSV', async () => {
    const { projectDir, ids } = await coded();
    const r = await run(['passages', '--project', projectDir, '--code', 'Repression tactic']);
    expect(r.code).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => x['passage_id'])).toEqual([ids[0]]);
    expect(rows[0]).toMatchObject({ status: 'exact', codes: 'Repression tactic › Surveillance' });
  });

  it('takes a query, sorts, and prints JSON or Markdown', async () => {
    const { projectDir, ids } = await coded();
    const json = await run(['passages', '--project', projectDir, '--query', 'uncoded OR code:Remittances', '--sort', 'length', '--format', 'json']);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { passage: { id: string } }[]).map((x) => x.passage.id)).toEqual([ids[2], ids[1]]);
    const md = await run(['passages', '--project', projectDir, '--format', 'md', '--query', 'uncoded']);
    expect(md.stdout).toMatch(/^# Coded passages of Families of defectors\n\n1 passage matching `\(uncoded\)`\.\n\n## .+\n\n> .+\n\nCodes: \(none\)\n/);
  });

  it('says what is wrong with a query, and misuse of the options', async () => {
    const { projectDir } = await coded();
    const bad = await run(['passages', '--project', projectDir, '--query', 'code:Nothing']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/No code is named “Nothing”/);
    expect((await run(['passages', '--project', projectDir, '--format', 'xml'])).code).toBe(2);
  });
});

describe('gloss quote', () => {
  it('prints a passage as a quotation with its citation in each style', async () => {
    const { projectDir, ids } = await coded();
    const apa = await run(['quote', ids[0]!, '--project', projectDir]);
    expect(apa.code).toBe(0);
    expect(apa.stdout).toMatch(/^“.+” \(.+, para\. 2\)/);
    const mla = await run(['quote', ids[0]!, '--project', projectDir, '--style', 'mla', '--html']);
    expect(mla.stdout).toMatch(/par\. 2\)/);
    expect(mla.stdout).toContain('<');
    const none = await run(['quote', '00000000-0000-4000-8000-000000000000', '--project', projectDir]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/No coded passage has the id/);
  });
});
