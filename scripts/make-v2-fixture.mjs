/**
 * Writes tests/fixtures/project-v2/: a project folder in schema version 2, made by the Gloss code
 * of commit V2_COMMIT (the code that wrote schema 2 when work on schema 3 began), so that a
 * migration to schema 3 can be tested on real schema-2 output instead of hand-written JSON.
 *
 * Every file of the project is written (those in backups/: copied) by the V2_COMMIT store and API
 * handlers, taken from git history, not from the working tree:
 *
 *   1. the tree of V2_COMMIT is extracted into a temporary folder (`git archive | tar -x`), with
 *      the repository's node_modules linked beside it;
 *   2. that commit's `tests/fixtures/project-v1/` (a project written by Gloss 0.1) is copied to
 *      the output folder;
 *   3. a small TypeScript driver (DRIVER below) is written into the temporary folder, bundled with
 *      the repository's esbuild and run with node. It opens the copy with that commit's
 *      `ProjectStore.open`, which migrates it from schema 1 to 2 (keeping the 0.1 files in
 *      `backups/`), then works on it through that commit's API (`dispatch` over `createServices`)
 *      in two sessions by two coder profiles, on a fixed clock: a project rename, new codes
 *      (top level and children), shortcut keys (one moved to another code), a recolour, a rename
 *      and an edited definition, a move, new passages, codes added to existing passages, edited
 *      memos, a merge, deletions and an undo;
 *   4. the driver then reads the closed project back with the same code and writes, beside the
 *      folder, what it says is in it:
 *        project-v2.expected.json  name, revision, the result of `codebook.get`, and per document
 *                                  its id, title and the result of `annotations.list`
 *        project-v2.expected.csv   the CSV export, as `gloss export-csv --out FILE` writes it
 *   5. the output is checked (no lock, journal or temporary files; every JSON file parses; schema
 *      version 2 throughout) and the temporary folder removed.
 *
 * Usage: node scripts/make-v2-fixture.mjs [OUTPUT_DIR]   (default: tests/fixtures/project-v2)
 * Re-running replaces the output folder and the two expected files. The migration's time is the
 * wall clock (V2_COMMIT's `ProjectStore.open` takes no clock), and so are the backup folder's
 * name, the migration record and its summary; the ids of new passages, new codes and coder
 * profiles are random UUIDs. Everything else, every passage timestamp included, is the same on
 * every run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleDriver, runDriver } from './fixture-tools.mjs';

/** The code whose store writes schema version 2 (`git rev-parse 64fc6c1`). */
const V2_COMMIT = '64fc6c1a6d3efe5f8b20b2ca1823557def9a078f';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'tests', 'fixtures', 'project-v2'));
const expectedJson = `${outDir}.expected.json`;
const expectedCsv = `${outDir}.expected.csv`;

/**
 * The driver, run inside the extracted tree (its imports are that commit's modules). Kept free of
 * backticks and dollar-brace so it can live in this raw template string.
 */
const DRIVER = String.raw`
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { dispatch } from './shared/api';
import type { Code } from './shared/model';
import { plainText } from './shared/plain-text';
import { writeStreamDurable } from './main/core/durable';
import { openCore } from './main/core/open';
import { ProfileStore } from './main/core/profile';
import { createServices } from './main/core/services';
import { ProjectStore } from './main/core/store';

const [outDir, corpusDir, profilesDir, expectedJson, expectedCsv, commit] = process.argv.slice(2) as [string, string, string, string, string, string];

/** A fixed clock that moves on a minute at every reading, so every timestamp is known in advance. */
let clock = 0;
const setClock = (iso: string): void => void (clock = Date.parse(iso));
const now = (): Date => new Date((clock += 60_000));

type Api = (method: string, input?: unknown) => Promise<any>;

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error('unexpected: ' + what);
}

/**
 * Opens the project as the app does (migrating it if it is older) with the handlers of one window
 * ('client') over a coder profile of its own (kept outside the project, as the app keeps it per user).
 */
async function session(client: string, profileName: string): Promise<{ store: ProjectStore; api: Api }> {
  const store = await ProjectStore.open(outDir);
  const profile = await ProfileStore.open(path.join(profilesDir, profileName + '.json'));
  const { handlers } = createServices({ store, profile, suggestedCoderName: profileName, now });
  const api: Api = async (method, input = {}) => {
    const res = await dispatch(handlers, method, input, { client });
    if (!res.ok) throw new Error(method + ' failed: ' + res.error.code + ': ' + res.error.message);
    return res.result;
  };
  return { store, api };
}

/** Helpers over one document: its canonical plain text, spans of phrases in it, and its passages by quote. */
async function docOf(api: Api, documentId: string) {
  const doc = await api('documents.get', { documentId });
  const text = plainText(doc.blocks);
  const span = (phrase: string) => {
    const start = text.indexOf(phrase);
    if (start < 0) throw new Error('"' + phrase + '" is not in ' + documentId);
    return { start, end: start + phrase.length };
  };
  const create = async (phrase: string, codeIds: string[], memo?: string) => {
    const res = await api('annotations.create', { documentId, ...span(phrase), codeIds, ...(memo === undefined ? {} : { memo }) });
    return res.annotation;
  };
  const find = async (exact: string) => {
    const { annotations } = await api('annotations.list', { documentId });
    const hits = annotations.filter((a: any) => a.quote.exact === exact);
    if (hits.length !== 1) throw new Error(hits.length + ' passages "' + exact + '" in ' + documentId);
    return hits[0];
  };
  return { documentId, text, create, find };
}

const codesOf = async (api: Api): Promise<Code[]> => (await api('codebook.get')).codes;

// ---- Session 1: Rafael Souza opens the 0.1 project (which migrates it), reworks the codebook and codes. ----
setClock('2026-04-06T09:00:00.000Z');
let familyContact = '';
let phoneCalls = '';
let letters = '';
let callsHome = '';
{
  const { store, api } = await session('window-rafael', 'rafael');
  check(store.project.schemaVersion === 2 && store.project.migrations.length === 1, 'the project was not migrated to schema 2');
  for (const notice of store.notices) console.log('  notice: ' + notice.slice(0, 160) + (notice.length > 160 ? '…' : ''));

  await api('coders.saveMe', { name: 'Rafael Souza' });
  await api('project.rename', { name: 'Families of defectors \u2014 contact & pressure' });

  // A new top-level code with three children, one of which duplicates another (merged in session 2).
  familyContact = (await api('codes.create', { name: 'Family contact', parentId: null, description: 'Contact between defectors and the relatives they left behind: calls, letters, money sent through brokers.' })).codeId;
  phoneCalls = (await api('codes.create', { name: 'Phone calls', parentId: familyContact, description: 'Calls across the border, mostly on mobile phones smuggled in from China.' })).codeId;
  letters = (await api('codes.create', { name: 'Letters and messages', parentId: familyContact, color: '#7B1FA2', description: 'Letters, photos and spoken messages carried by brokers.' })).codeId;
  callsHome = (await api('codes.create', { name: 'Calls home', parentId: familyContact, description: 'A defector calling relatives in the North.' })).codeId;

  // Shortcut keys, a recolour, an edited definition, a renamed code.
  await api('codes.update', { id: phoneCalls, shortcut: 'Alt+S' });
  await api('codes.update', { id: 'repression-tactic.surveillance', shortcut: '3' });
  await api('codes.update', { id: 'repression-tactic.interrogation', shortcut: '4' });
  await api('codes.update', { id: familyContact, color: '#8e44ad' });
  await api('codes.update', { id: 'source-reliability.named-source', description: 'A source identified by name.\nA surname alone counts as named; a first name alone as anonymous.' });
  await api('codes.update', { id: 'economic-change.bribery', name: 'Bribery and informal payments' });

  // A 0.1 code moved under the new one, before its first child.
  await api('codes.move', { id: 'economic-change.smuggling-cross-border-trade', parentId: familyContact, before: phoneCalls });

  const d1 = await docOf(api, 'dilemma-of-leaving-family');
  await d1.create('receive a photo and a letter from him', [letters], 'A letter, years after leaving.');
  await d1.create('trying to reach him by phone', [callsHome]);
  // A new code on a passage 0.1 made, which keeps its three codes.
  const father = await d1.find('My father is currently under heavy surveillance in the North.');
  await api('annotations.addCodes', { documentId: d1.documentId, id: father.id, codeIds: [familyContact] });

  const d4 = await docOf(api, 'secret-police-pressure-on-families');
  await d4.create('Park communicates with family members via a mobile phone they smuggled in from China.', [phoneCalls, 'economic-change.smuggling-cross-border-trade'], 'Phone and smuggling in one sentence.\nThe phone itself was smuggled.');
  await d4.create('Park sends them money and also acts as a broker for other defectors\u2019 families in Sinuiju.', [familyContact, 'economic-change.remittances']);

  // The memo of a 0.1 passage edited.
  const d3 = await docOf(api, 'pyongyang-moves-to-identify-defectors');
  const min = await d3.find('identified only as Min');
  await api('annotations.setMemo', { documentId: d3.documentId, id: min.id, memo: min.memo + '\nRafael: agreed, anonymous.', base: min.memo });

  await store.close();
}

// ---- Session 2: Noor Haddad codes, merges the duplicate code, deletes codes and undoes one deletion. ----
setClock('2026-04-09T13:00:00.000Z');
{
  const { store, api } = await session('window-noor', 'noor');
  check(store.notices.length === 0, 'the project was migrated again');
  await api('coders.saveMe', { name: 'Noor Haddad', color: '#00897b' });

  const d5 = await docOf(api, 'threats-of-death-and-banishment');
  await d5.create('virtually no contact with the outside world', [familyContact], 'The rule; the rest of the corpus is the exceptions.');
  const d1 = await docOf(api, 'dilemma-of-leaving-family');
  await d1.create('they send money and outside information to their families', [familyContact, 'economic-change.remittances']);
  // A memo on another coder's passage (it stays Rafael's).
  const phone = await d1.find('trying to reach him by phone');
  await api('annotations.setMemo', { documentId: d1.documentId, id: phone.id, memo: 'Ruled out by the surveillance of the next sentence.', base: phone.memo });
  // The duplicate code added to a passage that has the other one: the merge leaves it with one.
  const d4 = await docOf(api, 'secret-police-pressure-on-families');
  const park = await d4.find('Park communicates with family members via a mobile phone they smuggled in from China.');
  await api('annotations.addCodes', { documentId: d4.documentId, id: park.id, codeIds: [callsHome] });

  // The key "4" moves from Interrogation to this code.
  await api('codes.update', { id: 'repression-tactic.family-as-hostage', shortcut: '4' });
  await api('codes.merge', { id: callsHome, into: phoneCalls });
  // A code whose only passage is left uncoded.
  await api('codes.delete', { id: 'economic-change.new-wealth-status', children: 'lift' });
  // Deleted, then put back by undo.
  await api('codes.delete', { id: 'source-reliability.unconfirmed-report', children: 'lift' });
  const undone = await api('history.undo');
  check(undone !== null && undone.history.redo !== null, 'nothing was undone');

  const codes = await codesOf(api);
  const ids = new Set(codes.map((c) => c.id));
  check(!ids.has(callsHome) && ids.has(letters) && !ids.has('economic-change.new-wealth-status') && ids.has('source-reliability.unconfirmed-report'), 'the codebook is not as planned');
  check(codes.filter((c) => c.shortcut).map((c) => c.id + '=' + c.shortcut).sort().join(' ') === [phoneCalls + '=Alt+S', 'repression-tactic.family-as-hostage=4', 'repression-tactic.surveillance=3'].sort().join(' '), 'the shortcut keys are not as planned');
  check((await d1.find('trying to reach him by phone')).codeIds.join() === phoneCalls, 'the merge did not recode the passage');
  check((await d4.find(park.quote.exact)).codeIds.join() === [phoneCalls, 'economic-change.smuggling-cross-border-trade'].join(), 'the merge did not leave one code on the passage');
  await store.close();
}

// ---- Read the closed project back with the same code, as its CLI export does (read-only). ----
{
  const core = await openCore({ projectDir: outDir, corpusDir, profileFile: path.join(profilesDir, 'reader.json'), createIfMissing: false, readOnly: true });
  const api: Api = async (method, input = {}) => {
    const res = await dispatch(core.handlers, method, input, { client: 'reader' });
    if (!res.ok) throw new Error(method + ' failed: ' + res.error.code + ': ' + res.error.message);
    return res.result;
  };
  const info = await api('project.info');
  const codebook = await api('codebook.get');
  const documents = [];
  for (const d of await api('documents.list')) documents.push({ id: d.id, title: d.meta.title, annotations: await api('annotations.list', { documentId: d.id }) });
  await fsp.writeFile(expectedJson, JSON.stringify({ commit, name: info.name, revision: info.revision, codebook, documents }, null, 2) + '\n');
  const { rows } = await writeStreamDurable(expectedCsv, (stream) => core.exportCsv(stream, { bom: false }));
  await core.close();
  console.log('  "' + info.name + '", revision ' + info.revision + ', ' + codebook.codes.length + ' codes');
  for (const d of documents) console.log('  ' + d.id + ': ' + d.annotations.annotations.length + ' passages');
  console.log('  CSV: ' + rows + ' rows');
}
`;

/** Removes the output folder and the expected files; refuses a folder that holds something other than a Gloss project. */
async function removeOutput({ check }) {
  if (check && existsSync(outDir)) {
    const names = await fsp.readdir(outDir);
    if (names.length > 0 && !names.includes('gloss-project.json')) throw new Error(`${outDir} is not empty and holds no Gloss project; not replacing it.`);
  }
  for (const target of [outDir, expectedJson, expectedCsv]) await fsp.rm(target, { recursive: true, force: true });
}

/** Parses a JSON file, naming it if it does not parse. */
async function readJson(file) {
  try {
    return JSON.parse(await fsp.readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`${path.relative(outDir, file) || file} does not parse as JSON: ${e.message}`);
  }
}

/** Checks what the driver wrote; returns the passage count per annotations file. */
async function verify(commit) {
  const names = await fsp.readdir(outDir, { recursive: true });
  // The lock, its takeover and stale files, the journal and temporary files all start so.
  const leftovers = names.filter((n) => path.basename(n).startsWith('.gloss-'));
  if (leftovers.length) throw new Error(`the project holds leftovers: ${leftovers.join(', ')}`);
  const beside = await fsp.readdir(path.dirname(outDir));
  if (beside.some((n) => n.startsWith('.gloss-'))) throw new Error('a temporary export file was left beside the project');
  for (const name of names.filter((n) => n.endsWith('.json'))) await readJson(path.join(outDir, name));

  const project = await readJson(path.join(outDir, 'gloss-project.json'));
  if (project.format !== 'gloss-project' || project.schemaVersion !== 2) throw new Error(`gloss-project.json is not a schema-2 project (schemaVersion ${project.schemaVersion})`);
  if (project.migrations?.length !== 1 || project.migrations[0].from !== 1 || project.migrations[0].to !== 2) throw new Error('the project does not record one migration from schema 1 to 2');
  const backups = await fsp.readdir(path.join(outDir, 'backups'));
  if (backups.length !== 1 || !backups[0].startsWith('schema-1-') || `backups/${backups[0]}` !== project.migrations[0].backup) throw new Error(`backups/ holds ${backups.join(', ')}, not the migration's backup`);
  const counts = {};
  for (const [sub, format] of [['documents', 'gloss-document'], ['annotations', 'gloss-annotations']]) {
    for (const name of (await fsp.readdir(path.join(outDir, sub))).sort()) {
      const data = await readJson(path.join(outDir, sub, name));
      if (data.format !== format) throw new Error(`${sub}/${name} is not a Gloss ${sub} file`);
      if (data.schemaVersion !== 2) throw new Error(`${sub}/${name} has schema version ${data.schemaVersion}`);
      if (sub === 'annotations') counts[name] = data.annotations.length;
    }
  }
  const expected = await readJson(expectedJson);
  if (expected.commit !== commit || expected.documents.length !== Object.keys(counts).length) throw new Error(`${path.basename(expectedJson)} does not describe the project`);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return { counts, total };
}

const commit = execFileSync('git', ['rev-parse', '--verify', `${V2_COMMIT}^{commit}`], { cwd: root, encoding: 'utf8' }).trim();
const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-v2-fixture-'));
try {
  const bundle = await bundleDriver(root, commit, tmp, 'make-v2-fixture', DRIVER);
  const profilesDir = path.join(tmp, 'profiles');
  await fsp.mkdir(profilesDir);
  await removeOutput({ check: true });
  await fsp.mkdir(path.dirname(outDir), { recursive: true });
  // The starting point: the 0.1 project as that commit has it.
  await fsp.cp(path.join(tmp, 'tests', 'fixtures', 'project-v1'), outDir, { recursive: true });
  console.log(`Gloss ${commit.slice(0, 7)} is migrating and writing the project:`);
  let counts, total;
  try {
    await runDriver(bundle, tmp, [outDir, path.join(tmp, 'corpus'), profilesDir, expectedJson, expectedCsv, commit]);
    ({ counts, total } = await verify(commit));
  } catch (e) {
    // No half-made fixture is left for a test to pick up.
    await removeOutput({ check: false });
    throw e;
  }
  const rel = (f) => path.relative(process.cwd(), f) || '.';
  console.log(`Wrote ${rel(outDir)}/ (${total} passages: ${Object.entries(counts).map(([f, n]) => `${f} ${n}`).join(', ')})`);
  console.log(`Wrote ${rel(expectedJson)}`);
  console.log(`Wrote ${rel(expectedCsv)}`);
} finally {
  await fsp.rm(tmp, { recursive: true, force: true });
}
