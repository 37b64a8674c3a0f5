/**
 * Writes tests/fixtures/project-v3/: a project folder in schema version 3 made by the Gloss code
 * of commit V3_COMMIT, the last code to write schema 3 before memos with a title, quote
 * collections and imported citations came into the project file (optional fields within schema
 * 3, which that code never writes). Tests open it with the code of today to show those fields'
 * arrival changed nothing of what an earlier Gloss wrote.
 *
 * Every file is written by the V3_COMMIT store and API handlers, taken from git history
 * (fixture-tools.mjs): that commit's `tests/fixtures/project-v2/` is copied to the output folder
 * and opened with its `ProjectStore.open` (migrating it to schema 3, backup kept), then worked on
 * through its API on a fixed clock by one coder profile: a document variable of each kind that
 * project has none of, values on some documents, a document's memo and properties, a new passage
 * with a memo, an edited memo. The driver then writes, beside the folder, what that code reads
 * in it (project-v3.expected.json: name, revision, variables, the documents list, and each
 * document's passages).
 *
 * Usage: node scripts/make-v3-fixture.mjs [OUTPUT_DIR]   (default: tests/fixtures/project-v3)
 * Re-running replaces the output folder and the expected file; the migration's time, the backup
 * folder's name and new ids differ on every run, nothing else does.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleDriver, runDriver } from './fixture-tools.mjs';

/** The code whose project file knows no memos, collections or citations (`git rev-parse 1b62d11`). */
const V3_COMMIT = '1b62d11724933770cf2544b844a4eb7eabb6790e';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'tests', 'fixtures', 'project-v3'));
const expectedJson = `${outDir}.expected.json`;

/** The driver, run inside the extracted tree (its imports are that commit's modules). No backticks or dollar-brace in it. */
const DRIVER = String.raw`
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { dispatch } from './shared/api';
import { plainText } from './shared/plain-text';
import { ProfileStore } from './main/core/profile';
import { createServices } from './main/core/services';
import { ProjectStore } from './main/core/store';

const [outDir, profilesDir, expectedJson, commit] = process.argv.slice(2) as [string, string, string, string];
let clock = Date.parse('2026-11-20T10:00:00.000Z');
const now = (): Date => new Date((clock += 60_000));

const store = await ProjectStore.open(outDir);
if (store.project.schemaVersion !== 3) throw new Error('the project was not migrated to schema 3');
const profile = await ProfileStore.open(path.join(profilesDir, 'li.json'));
const { handlers } = createServices({ store, profile, suggestedCoderName: 'li', now });
const api = async (method: string, input: unknown = {}): Promise<any> => {
  const res = await dispatch(handlers, method, input, { client: 'window-li' });
  if (!res.ok) throw new Error(method + ' failed: ' + res.error.code + ': ' + res.error.message);
  return res.result;
};
await api('coders.saveMe', { name: 'Li Wei' });

const site = (await api('variables.create', { name: 'Site', type: 'choice', choices: ['Seoul', 'Busan'] })).variableId;
const wave = (await api('variables.create', { name: 'Wave', type: 'number' })).variableId;
const consent = (await api('variables.create', { name: 'Consent', type: 'boolean' })).variableId;
const docs = await api('documents.list');
for (const [i, d] of docs.slice(0, 3).entries()) {
  await api('documents.update', { documentId: d.id, changes: {}, base: {}, values: { [site]: i % 2 ? 'Busan' : 'Seoul', [wave]: i + 1, [consent]: i !== 1 }, valuesBase: { [site]: null, [wave]: null, [consent]: null } });
}
const first = docs[0];
await api('documents.update', { documentId: first.id, changes: { memo: 'Read twice; the second half matters most.', pages: '12-19' }, base: { memo: first.memo ?? '', pages: first.meta.pages ?? '' } });
const doc = await api('documents.get', { documentId: first.id });
const text = plainText(doc.blocks);
const words = text.slice(text.indexOf(' ', 40) + 1, text.indexOf(' ', 80));
const start = text.indexOf(words);
const made = await api('annotations.create', { documentId: first.id, start, end: start + words.length, codeIds: ['repression-tactic'], memo: 'First thought.' });
await api('annotations.setMemo', { documentId: first.id, id: made.annotation.id, memo: 'Second thought, after the interview.', base: 'First thought.' });
await store.close();

// What that code reads in the closed project.
const again = await ProjectStore.open(outDir);
const reader = createServices({ store: again, profile, suggestedCoderName: 'li', now }).handlers;
const read = async (method: string, input: unknown = {}): Promise<any> => {
  const res = await dispatch(reader, method, input, { client: 'reader' });
  if (!res.ok) throw new Error(method + ' failed: ' + res.error.message);
  return res.result;
};
const workspace = await read('workspace.get');
const documents = [];
for (const d of workspace.documents) documents.push({ summary: d, annotations: (await read('annotations.list', { documentId: d.id })).annotations });
await again.close();
await fsp.writeFile(expectedJson, JSON.stringify({ commit, name: workspace.project.name, revision: workspace.project.revision, variables: workspace.variables, codes: workspace.codes, documents }, null, 2) + '\n');
console.log('  "' + workspace.project.name + '", revision ' + workspace.project.revision + ', ' + workspace.variables.length + ' variables, ' + documents.length + ' documents');
`;

const commit = execFileSync('git', ['rev-parse', '--verify', `${V3_COMMIT}^{commit}`], { cwd: root, encoding: 'utf8' }).trim();
const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-v3-fixture-'));
try {
  const bundle = await bundleDriver(root, commit, tmp, 'make-v3-fixture', DRIVER);
  const profilesDir = path.join(tmp, 'profiles');
  await fsp.mkdir(profilesDir);
  if (existsSync(outDir) && !(await fsp.readdir(outDir)).includes('gloss-project.json') && (await fsp.readdir(outDir)).length) throw new Error(`${outDir} holds something other than a Gloss project; not replacing it.`);
  for (const target of [outDir, expectedJson]) await fsp.rm(target, { recursive: true, force: true });
  await fsp.mkdir(path.dirname(outDir), { recursive: true });
  // The starting point: the schema-2 project as that commit has it.
  await fsp.cp(path.join(tmp, 'tests', 'fixtures', 'project-v2'), outDir, { recursive: true });
  console.log(`Gloss ${commit.slice(0, 7)} is migrating and writing the project:`);
  try {
    await runDriver(bundle, tmp, [outDir, profilesDir, expectedJson, commit]);
    const names = await fsp.readdir(outDir, { recursive: true });
    const leftovers = names.filter((n) => path.basename(n).startsWith('.gloss-'));
    if (leftovers.length) throw new Error(`the project holds leftovers: ${leftovers.join(', ')}`);
    const project = JSON.parse(await fsp.readFile(path.join(outDir, 'gloss-project.json'), 'utf8'));
    if (project.schemaVersion !== 3 || project.memos || project.collections) throw new Error('gloss-project.json is not a schema-3 project of that code');
  } catch (e) {
    for (const target of [outDir, expectedJson]) await fsp.rm(target, { recursive: true, force: true });
    throw e;
  }
  console.log(`Wrote ${path.relative(process.cwd(), outDir)}/ and ${path.relative(process.cwd(), expectedJson)}`);
} finally {
  await fsp.rm(tmp, { recursive: true, force: true });
}
