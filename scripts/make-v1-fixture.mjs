/**
 * Writes tests/fixtures/project-v1/: a project folder made by the released Gloss 0.1 code, so a
 * migration to a newer store format can be tested on real 0.1 output instead of hand-written
 * JSON.
 *
 * Every byte of the project is written by the 0.1 store and the 0.1 API handlers, taken from git
 * history (commit V1_COMMIT), not from the working tree:
 *
 *   1. the tree of V1_COMMIT is extracted into a temporary folder (`git archive | tar -x`), with
 *      the repository's node_modules linked beside it;
 *   2. a small TypeScript driver (DRIVER below) is written there, bundled with the repository's
 *      esbuild and run with node. It creates the project with the 0.1 `ProjectStore.open` and
 *      the 0.1 default seed (the five bundled articles) plus one document of hostile Unicode,
 *      then codes passages through the 0.1 API (`dispatch` over `createHandlers`) in two
 *      sessions by two coders, on a fixed clock;
 *   3. the driver then reads the closed project back with the 0.1 code and writes, beside the
 *      folder, what 0.1 says is in it:
 *        project-v1.expected.json  per document: id, title, canonical plain text, and the
 *                                  result of `annotations.list`
 *        project-v1.expected.csv   the 0.1 CSV export, as `gloss export-csv --out FILE` writes it
 *   4. the output is checked (no lock, no temporary files, every annotations file parses) and
 *      the temporary folder removed.
 *
 * Usage: node scripts/make-v1-fixture.mjs [OUTPUT_DIR]   (default: tests/fixtures/project-v1)
 * Re-running replaces the output folder and the two expected files. Ids (of the project and of
 * each passage) are random UUIDs made by 0.1, and the project's creation time is 0.1's wall clock,
 * so they change on every run; every passage timestamp comes from the fixed clock.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The released Gloss 0.1. */
const V1_COMMIT = '4e3caab';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'tests', 'fixtures', 'project-v1'));
const expectedJson = `${outDir}.expected.json`;
const expectedCsv = `${outDir}.expected.csv`;

/**
 * The driver, run inside the extracted 0.1 tree (its imports are 0.1 modules). Kept free of
 * backticks and dollar-brace so it can live in this raw template string.
 */
const DRIVER = String.raw`
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { dispatch, type ApiHandlers } from './shared/api';
import type { Block, Coder } from './shared/model';
import { plainText } from './shared/plain-text';
import { writeStreamDurable } from './main/core/durable';
import { defaultSeed, openCore } from './main/core/open';
import { createHandlers } from './main/core/services';
import { ProjectStore } from './main/core/store';
import { docFile, h, meta, p, quote, ul } from './tests/support/project';

const [outDir, corpusDir, expectedJson, expectedCsv, commit] = process.argv.slice(2) as [string, string, string, string, string];

/** As 0.1's open.ts names a coder (it does not export the function). */
function coderFor(name: string): Coder {
  return { id: 'coder-' + createHash('sha256').update(name).digest('hex').slice(0, 12), name };
}
const ana = coderFor('Ana Lima');
const kim = coderFor('Kim Ji-woo');

/** A fixed clock that moves on a minute at every reading, so every timestamp is known in advance. */
let clock = 0;
const setClock = (iso: string): void => void (clock = Date.parse(iso));
const now = (): Date => new Date((clock += 60_000));

const ZWJ = '\u200D';
const FAMILY = '\u{1F468}' + ZWJ + '\u{1F469}' + ZWJ + '\u{1F467}'; // man, woman, girl
const KR = '\u{1F1F0}\u{1F1F7}'; // flag of South Korea
const BR = '\u{1F1E7}\u{1F1F7}'; // flag of Brazil
const JP = '\u{1F1EF}\u{1F1F5}'; // flag of Japan

/** A document of hostile Unicode; 'i' and 'e' carry combining marks in the title. */
const HOSTILE_TITLE = 'Fami\u0301lias ' + FAMILY + ' e\u030A \u2014 \uC870\uC120';
const hostileBlocks: Block[] = [
  h('Cap\u00EDtulo 1 \u2014 \u{1D4B3} marks the spot', 2),
  p('Astral letters \u{1D4B3}\u{1D4B4}\u{1D4B5} and the flag ' + KR + ' sit beside the family ' + FAMILY + ' and a thumbs-up \u{1F44D}\u{1F3FD}.'),
  p('Combining marks: a\u0301 e\u0308 o\u0302\u0323, Zalgo Z\u0351\u0352\u0353\u0354, and Hangul jamo \u1100\u1161\u11A8 beside the precomposed \uAC01.'),
  p('Arabic: \u0645\u0631\u062D\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645\u060C Hebrew: \u05E9\u05DC\u05D5\u05DD \u05E2\u05D5\u05DC\u05DD, mixed with English (123) and a mark\u200F.'),
  p('A zero-width joiner a' + ZWJ + 'b, a non-joiner c\u200Cd, a no-break\u00A0space and a tab\there.'),
  quote(
    p('Quoted: \u201Cein Zitat\u201D \u2014 \u5F15\u7528'),
    // The last item starts with a list: 0.1 gives it an empty paragraph first.
    ul([p('nested item one ' + JP)], [p('nested item two with \u05E2\u05D1\u05E8\u05D9\u05EA')], [ul([p('deeper \u{1F9D1}\u{1F3FF}' + ZWJ + '\u{1F4BB}')])]),
  ),
  { type: 'list', ordered: true, items: [[p('first \u2460')], [p('second \u{1D7DA}')], [p('the last item ends with a flag ' + BR)]] },
];

/** Calls one API method as every 0.1 transport does: validated by dispatch. */
async function call(handlers: ApiHandlers, method: string, input: unknown): Promise<any> {
  const res = await dispatch(handlers, method, input);
  if (!res.ok) throw new Error(method + ' failed: ' + res.error.code + ': ' + res.error.message);
  return res.result;
}

/** Opens the project as 0.1's openCore does (seed when missing, coder added to the project), but with the fixed clock. */
async function session(coder: Coder): Promise<{ store: ProjectStore; api: (method: string, input: unknown) => Promise<any> }> {
  const store = await ProjectStore.open(outDir, {
    seed: async () => {
      const seed = await defaultSeed(corpusDir, coder);
      const extra = { ...docFile('hostile-unicode', HOSTILE_TITLE, ...hostileBlocks), meta: meta(HOSTILE_TITLE, { publication: 'Gazeta "Hostil", Lda.', author: 'Dana \u0639\u0628\u062F \u0627\u0644\u0644\u0647', date: '2024-02', url: 'https://example.org/fam\u00EDlias?a=1&b=2' }) };
      seed.documents.push(extra);
      seed.project.documents.push({ id: extra.id, meta: extra.meta, textHash: extra.textHash, added: seed.project.created });
      return seed;
    },
  });
  if (!store.project.coders.some((c) => c.id === coder.id)) await store.updateProject((proj) => void proj.coders.push(coder));
  const handlers = createHandlers({ store, coder, now });
  return { store, api: (method, input) => call(handlers, method, input) };
}

/** The document's canonical 0.1 plain text, and offsets of phrases in it. */
async function textOf(api: (m: string, i: unknown) => Promise<any>, documentId: string) {
  const doc = await api('documents.get', { documentId });
  const text = plainText(doc.meta.title, doc.blocks);
  const at = (phrase: string, from = 0): number => {
    const i = text.indexOf(phrase, from);
    if (i < 0) throw new Error('"' + phrase + '" is not in ' + documentId);
    return i;
  };
  /** The span of a phrase. */
  const span = (phrase: string, from = 0) => ({ start: at(phrase, from), end: at(phrase, from) + phrase.length });
  return { text, title: doc.meta.title as string, at, span };
}

const LONG_MEMO = (() => {
  const lines: string[] = [];
  for (let i = 1; lines.join('\n').length < 5000; i++) lines.push('Note ' + i + ': relatives, "guilt by association", \u05E9\u05DC\u05D5\u05DD, ' + KR + ' and 50% of the text; more to read.');
  return lines.join('\n');
})();

// ---- Session 1: Ana Lima creates the project and codes. ----
setClock('2026-03-02T09:00:00.000Z');
{
  const { store, api } = await session(ana);
  const create = (documentId: string, range: { start: number; end: number }, codeIds: string[], memo?: string) =>
    api('annotations.create', { documentId, ...range, codeIds, ...(memo === undefined ? {} : { memo }) });

  const d1 = 'dilemma-of-leaving-family';
  const t1 = await textOf(api, d1);
  // Wholly inside the title.
  await create(d1, t1.span('dilemma'), ['source-reliability.first-person-testimony'], 'The headline frames the story as a personal dilemma.');
  // From the title into the first paragraph.
  await create(d1, { start: t1.at('leaving my family behind'), end: t1.span('What happened to the family you left behind in Pyongyang?').end }, ['repression-tactic.family-as-hostage'], 'Headline and first line.\nTwo lines.');
  // Several codes on one passage.
  await create(d1, t1.span('My father is currently under heavy surveillance in the North.'), ['repression-tactic.surveillance', 'source-reliability.first-person-testimony', 'repression-tactic'], 'Fam\u00EDlia ' + FAMILY + ' \u2014 \u0645\u0631\u062D\u0628\u0627 \u2014 \u05E9\u05DC\u05D5\u05DD');
  // A passage and one inside it.
  const outer = 'When my mother escaped from North Korea before I did, North Korea\u2019s security agency immediately put our family under strict surveillance. They monitored our every move, and were able to notice within only a day after our escape.';
  await create(d1, t1.span(outer), ['repression-tactic.surveillance']);
  await create(d1, t1.span('put our family under strict surveillance'), ['repression-tactic.background-checks']);
  // Two overlapping passages.
  const torture = t1.span('My friends were subject to days of torture and interrogation.');
  await create(d1, torture, ['repression-tactic.interrogation'], '=HYPERLINK("https://example.invalid/?q=1,2","open")');
  await create(d1, t1.span('torture and interrogation. As they didn\u2019t even know that I\u2019d left the country'), ['repression-tactic.prison-camps-collective-punishment'], 'He said, "no", then "yes, maybe".');
  // Ends at the very end of the text.
  await create(d1, { start: t1.at('He is in his late 20s'), end: t1.text.length }, ['source-reliability.named-source'], '\tStarts with a tab;\tand has one inside.');
  // Deleted in session 2.
  await create(d1, t1.span('All those efforts have failed.'), ['source-reliability.unconfirmed-report'], 'To be deleted by the second coder.');

  const d3 = 'pyongyang-moves-to-identify-defectors';
  const t3 = await textOf(api, d3);
  await create(d3, t3.span(t3.title), ['repression-tactic.background-checks']);
  await create(d3, t3.span('the government is interrogating families with members who have been "missing" for long periods'), ['repression-tactic.interrogation', 'repression-tactic.background-checks'], 'Quotes "missing", commas, and a \u2019curly\u2019 apostrophe.');
  // A memo set, then changed.
  const min = await create(d3, t3.span('identified only as Min'), ['source-reliability.anonymous-source'], 'Named? Only a first name.');
  await api('annotations.update', { documentId: d3, id: min.id, memo: 'Only one name is given, so count the source as anonymous.' });

  const d5 = 'threats-of-death-and-banishment';
  const t5 = await textOf(api, d5);
  await create(d5, t5.span('Threaten Families of Defectors with Death and Banishment'), ['repression-tactic.threats-of-execution', 'repression-tactic.banishment-relocation']);
  // Selected with the block separators either side: 0.1 trims them off.
  const caption = t5.span('Imagen v\u00EDa Rodong Sinmun/EPA');
  await create(d5, { start: caption.start - 2, end: caption.end + 2 }, ['source-reliability.state-media'], 'Selected with the line breaks around it.');
  // The last word of the text, which starts with '@' (a formula to a spreadsheet).
  await create(d5, { start: t5.at('@keegan_hamilton'), end: t5.text.length }, ['source-reliability.named-source']);

  const dh = 'hostile-unicode';
  const th = await textOf(api, dh);
  // Inside the title, from the middle of the family emoji (a ZWJ sequence): 0.1 widens it to the whole emoji.
  const fam = th.at(FAMILY);
  await create(dh, { start: fam + 3, end: fam + 5 }, ['source-reliability.first-person-testimony'], 'Fam\u00EDlia ' + FAMILY + ' \u2014 \u0645\u0631\u062D\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645 \u2014 \u05E9\u05DC\u05D5\u05DD');
  // From the title into the heading, ending inside the surrogate pair of the math letter.
  await create(dh, { start: th.at('e\u030A'), end: th.at('\u{1D4B3}') + 1 }, ['source-reliability'], 'Title into heading.\r\nWindows line break, then\na Unix one.');
  // Half a flag: one regional indicator of the two.
  const kr = th.at(KR);
  await create(dh, { start: kr, end: kr + 2 }, ['source-reliability.state-media']);
  // Ends between a letter and its combining diaeresis.
  const eu = th.at('e\u0308');
  await create(dh, { start: th.at('a\u0301'), end: eu + 1 }, ['repression-tactic']);
  await create(dh, th.span('\u0645\u0631\u062D\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645'), ['source-reliability.ngo-rights-group'], '\u0645\u0644\u0627\u062D\u0638\u0629: \u0646\u0635 \u0645\u0646 \u0627\u0644\u064A\u0645\u064A\u0646 \u0625\u0644\u0649 \u0627\u0644\u064A\u0633\u0627\u0631');
  // A memo set, then cleared.
  const zwj = await create(dh, th.span('a' + ZWJ + 'b'), ['source-reliability.unconfirmed-report'], 'temporary');
  await api('annotations.update', { documentId: dh, id: zwj.id, memo: '' });
  // Deleted and put back (undo) in the same session.
  const jp = await create(dh, th.span('nested item one ' + JP), ['economic-change.remittances']);
  await api('annotations.delete', { documentId: dh, id: jp.id });
  await api('annotations.restore', { documentId: dh, id: jp.id });

  await store.close();
}

// ---- Session 2: Kim Ji-woo reopens the project and codes. ----
setClock('2026-03-05T14:00:00.000Z');
{
  const { store, api } = await session(kim);
  const create = (documentId: string, range: { start: number; end: number }, codeIds: string[], memo?: string) =>
    api('annotations.create', { documentId, ...range, codeIds, ...(memo === undefined ? {} : { memo }) });
  const find = async (documentId: string, exact: string) => {
    const list = await api('annotations.list', { documentId });
    const hit = list.find((a: any) => a.quote.exact === exact);
    if (!hit) throw new Error('no passage "' + exact + '" in ' + documentId);
    return hit;
  };

  const d1 = 'dilemma-of-leaving-family';
  const t1 = await textOf(api, d1);
  // Exactly the span of one of Ana's passages.
  await create(d1, t1.span('My friends were subject to days of torture and interrogation.'), ['source-reliability.first-person-testimony'], 'Same words as Ana\u2019s passage, coded separately.');
  // Kim edits Ana's passage: 0.1 keeps Ana as its coder.
  const multi = await find(d1, 'My father is currently under heavy surveillance in the North.');
  await api('annotations.update', { documentId: d1, id: multi.id, memo: multi.memo + '\nEdited by Kim \u{1F44D}\u{1F3FD}.' });
  const doomed = await find(d1, 'All those efforts have failed.');
  await api('annotations.delete', { documentId: d1, id: doomed.id });

  const d2 = 'officials-bankroll-flight-risk-relatives';
  const t2 = await textOf(api, d2);
  await create(d2, t2.span('Bankroll'), ['economic-change.officials-support-relatives']);
  await create(d2, t2.span('\u201Cmuch more severe\u201D'), ['repression-tactic.prison-camps-collective-punishment'], 'line one\r\nline two\nline three\r\n');
  // A code added, then removed again.
  const support = await create(d2, t2.span('support them financially'), ['economic-change.officials-support-relatives']);
  await api('annotations.update', { documentId: d2, id: support.id, codeIds: ['economic-change.officials-support-relatives', 'economic-change.remittances'] });
  await api('annotations.update', { documentId: d2, id: support.id, codeIds: ['economic-change.officials-support-relatives'] });
  // No code, a memo only.
  await create(d2, t2.span('who gave his surname as Chu'), [], 'Uncoded for now: named or anonymous?');
  await create(d2, t2.span('background checks on relatives are extensive'), ['repression-tactic.background-checks'], LONG_MEMO);

  const d4 = 'secret-police-pressure-on-families';
  const t4 = await textOf(api, d4);
  await create(d4, t4.span('the MSS had raided the family home and a sibling had been detained and interrogated for several days'), ['repression-tactic.interrogation'], '+1 more case; -2 fewer; @mention');
  await create(d4, t4.span('using their families in this way as hostages'), ['repression-tactic.family-as-hostage']);

  const dh = 'hostile-unicode';
  const th = await textOf(api, dh);
  // From the block quote into its nested list, and a passage inside that one.
  await create(dh, { start: th.at('ein Zitat'), end: th.span('nested item two with \u05E2\u05D1\u05E8\u05D9\u05EA').end }, ['source-reliability.second-hand-report'], 'Quote into list: \u201Cein Zitat\u201D, \u05E2\u05D1\u05E8\u05D9\u05EA.');
  await create(dh, th.span('\u05E2\u05D1\u05E8\u05D9\u05EA'), ['source-reliability.named-source']);
  // To the very end of the text, which is a flag.
  await create(dh, { start: th.at('flag ' + BR), end: th.text.length - 1 }, ['economic-change']);
  // Starting and ending inside Hangul jamo (one syllable of three code points).
  const jamo = th.at('\u1100\u1161\u11A8');
  await create(dh, { start: jamo + 1, end: jamo + 2 }, ['economic-change.new-wealth-status']);
  // Starting inside the surrogate pair of the first astral letter.
  const astral = th.at('\u{1D4B3}\u{1D4B4}\u{1D4B5}');
  await create(dh, { start: astral + 1, end: astral + 6 }, ['economic-change.bribery'], '\u{1D4B3}\u{1D4B4}\u{1D4B5}');
  // In the list item that starts with a list, where 0.1 puts an empty paragraph first.
  await create(dh, th.span('deeper \u{1F9D1}\u{1F3FF}' + ZWJ + '\u{1F4BB}'), ['source-reliability.first-person-testimony']);

  await store.close();
}

// ---- Read the closed project back with the 0.1 code, as its CLI export does (read-only). ----
{
  const core = await openCore({ projectDir: outDir, corpusDir, coderName: 'Reader', createIfMissing: false, readOnly: true });
  const api = (method: string, input: unknown) => call(core.handlers, method, input);
  const documents = [];
  for (const d of await api('documents.list', {})) {
    const doc = await api('documents.get', { documentId: d.id });
    documents.push({ id: d.id, title: doc.meta.title, text: plainText(doc.meta.title, doc.blocks), annotations: await api('annotations.list', { documentId: d.id }) });
  }
  await fsp.writeFile(expectedJson, JSON.stringify({ commit, documents }, null, 2) + '\n');
  const { rows } = await writeStreamDurable(expectedCsv, (stream) => core.exportCsv(stream, { bom: false }));
  await core.close();
  for (const d of documents) console.log('  ' + d.id + ': ' + d.annotations.length + ' passages');
  console.log('  CSV: ' + rows + ' rows');
}
`;

/** Runs a command, inheriting output; rejects on a non-zero exit. */
function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', ...opts });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${signal ?? code}`))));
  });
}

/** `git archive COMMIT | tar -x -C dir`, run from the repository root. */
function extract(commit, dir) {
  return new Promise((resolve, reject) => {
    const git = spawn('git', ['archive', commit], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const tar = spawn('tar', ['-x', '-C', dir], { stdio: ['pipe', 'inherit', 'inherit'] });
    git.stdout.pipe(tar.stdin);
    let pending = 2;
    const done = (what) => (code) => {
      if (code !== 0) reject(new Error(`${what} exited with ${code}`));
      else if (--pending === 0) resolve();
    };
    git.on('error', reject).on('exit', done('git archive'));
    tar.on('error', reject).on('exit', done('tar -x'));
  });
}

/** Refuses to delete a folder that holds something other than a Gloss project (a mistyped argument). */
async function clearOutput() {
  if (existsSync(outDir)) {
    const names = await fsp.readdir(outDir);
    if (names.length > 0 && !names.includes('gloss-project.json')) throw new Error(`${outDir} is not empty and holds no Gloss project; not replacing it.`);
  }
  for (const target of [outDir, expectedJson, expectedCsv]) await fsp.rm(target, { recursive: true, force: true });
  await fsp.mkdir(path.dirname(outDir), { recursive: true });
}

/** Checks what the driver wrote; returns the passage count per annotations file. */
async function check() {
  const names = await fsp.readdir(outDir, { recursive: true });
  const leftovers = names.filter((n) => path.basename(n) === '.gloss-lock' || path.basename(n).startsWith('.gloss-tmp-'));
  if (leftovers.length) throw new Error(`the project holds leftovers: ${leftovers.join(', ')}`);
  const beside = await fsp.readdir(path.dirname(outDir));
  if (beside.some((n) => n.startsWith('.gloss-tmp-'))) throw new Error('a temporary export file was left beside the project');
  const counts = {};
  for (const name of (await fsp.readdir(path.join(outDir, 'annotations'))).sort()) {
    const data = JSON.parse(await fsp.readFile(path.join(outDir, 'annotations', name), 'utf8'));
    if (data.format !== 'gloss-annotations' || !Array.isArray(data.annotations)) throw new Error(`annotations/${name} is not a Gloss annotations file`);
    counts[name] = data.annotations.length;
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (total < 15) throw new Error(`only ${total} passages were written`);
  return { counts, total };
}

const commit = execFileSync('git', ['rev-parse', `${V1_COMMIT}^{commit}`], { cwd: root, encoding: 'utf8' }).trim();
const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-v1-fixture-'));
try {
  await extract(commit, tmp);
  await fsp.symlink(path.join(root, 'node_modules'), path.join(tmp, 'node_modules'), 'dir');
  await fsp.writeFile(path.join(tmp, 'make-v1-fixture.ts'), DRIVER);
  await build({
    absWorkingDir: tmp,
    entryPoints: ['make-v1-fixture.ts'],
    outfile: 'make-v1-fixture.bundle.mjs',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    bundle: true,
    packages: 'external',
    logLevel: 'warning',
  });
  await clearOutput();
  console.log(`Gloss 0.1 (${commit}) is writing the project:`);
  let counts, total;
  try {
    await run(process.execPath, [path.join(tmp, 'make-v1-fixture.bundle.mjs'), outDir, path.join(tmp, 'corpus'), expectedJson, expectedCsv, commit]);
    ({ counts, total } = await check());
  } catch (e) {
    // No half-made fixture is left for a test to pick up.
    for (const target of [outDir, expectedJson, expectedCsv]) await fsp.rm(target, { recursive: true, force: true });
    throw e;
  }
  const rel = (f) => path.relative(process.cwd(), f) || '.';
  console.log(`Wrote ${rel(outDir)}/ (${total} passages: ${Object.entries(counts).map(([f, n]) => `${f} ${n}`).join(', ')})`);
  console.log(`Wrote ${rel(expectedJson)}`);
  console.log(`Wrote ${rel(expectedCsv)}`);
} finally {
  await fsp.rm(tmp, { recursive: true, force: true });
}
