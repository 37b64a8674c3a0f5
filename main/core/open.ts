import { randomUUID } from 'node:crypto';
import type { Coder } from '../../shared/model';
import { canonicalBlocks, canonicalMeta, plainText } from '../../shared/plain-text';
import type { GlossCore } from './core';
import { readCorpus } from './corpus';
import { defaultCodes } from './default-codebook';
import { textHash } from './hash';
import { writeCodedPassagesCsv } from './export-csv';
import { csvSource } from './csv-source';
import { FORMAT, SCHEMA_VERSION, countsOf, type DocumentFileData, type ProjectFileData } from './files';
import { profileFile as defaultProfileFile } from './paths';
import { loginName, ProfileStore } from './profile';
import { createServices, guarded } from './services';
import { ProjectOpenError, ProjectStore, type ProjectSeed } from './store';

export { ProjectOpenError };

export interface OpenCoreOptions {
  projectDir: string;
  /** The bundled articles a new project starts with. */
  corpusDir: string;
  /** The coder profile file; default: `profile.json` in the per-user Gloss folder (see paths.ts). */
  profileFile?: string;
  /** Creates the coder profile with this name when there is none yet (tests, scripted use); otherwise the UI asks. */
  coderName?: string;
  /** Create a default project when the folder has none (default true). */
  createIfMissing?: boolean;
  /** A project created here starts with the bundled articles (default) or with none, under this name. */
  create?: { name: string; sample: boolean };
  /** No lock, no writes: for reading a project another Gloss may have open. */
  readOnly?: boolean;
}

/** How long after opening Gloss starts reading every document's passages in the background. */
const BACKGROUND_READ_DELAY_MS = 1500;

/** Builds the default project from the bundled corpus and codebook. */
export async function defaultSeed(corpusDir: string, coders: Coder[] = [], create?: { name: string; sample: boolean }): Promise<ProjectSeed> {
  const articles = create && !create.sample ? [] : await readCorpus(corpusDir);
  const at = new Date().toISOString();
  // Text enters the project in canonical form (NFC, LF), whatever the file's encoding of it.
  const documents: DocumentFileData[] = articles.map((a) => {
    const blocks = canonicalBlocks(a.blocks);
    const meta = canonicalMeta(a.meta);
    return { format: FORMAT.document, schemaVersion: SCHEMA_VERSION, id: a.id, meta, blocks, textHash: textHash(plainText(blocks)) };
  });
  const project: ProjectFileData = {
    format: FORMAT.project,
    schemaVersion: SCHEMA_VERSION,
    id: randomUUID(),
    name: create?.name.trim() || 'Families of defectors',
    created: at,
    revision: 0,
    codebook: { codes: defaultCodes() },
    documents: documents.map((d) => ({ id: d.id, meta: d.meta, textHash: d.textHash, added: at })),
    coders,
    index: { documents: Object.fromEntries(documents.map((d) => [d.id, countsOf([])])) },
    settings: {},
    migrations: [],
  };
  return { project, documents };
}

/** Opens the project in `projectDir` (creating the default one if asked) and returns the core. */
export async function openCore(opts: OpenCoreOptions): Promise<GlossCore> {
  const profile = await ProfileStore.open(opts.profileFile ?? defaultProfileFile());
  if (!profile.coder && opts.coderName?.trim()) await profile.save({ name: opts.coderName });
  const store = await ProjectStore.open(opts.projectDir, {
    readOnly: opts.readOnly ?? false,
    seed: (opts.createIfMissing ?? true) ? () => defaultSeed(opts.corpusDir, profile.coder ? [profile.coder] : [], opts.create) : undefined,
  });
  const { handlers, feed } = createServices({ store, profile, suggestedCoderName: loginName() });
  if (!store.readOnly) {
    // After the first paint has had its turn: exports and later features then find every
    // passage in memory, and a damaged file is found before the user opens its document.
    const timer = setTimeout(() => void store.loadAll(), BACKGROUND_READ_DELAY_MS);
    timer.unref();
  }
  return {
    handlers,
    loaded: () => store.loadAll(),
    subscribe: (listener) => feed.subscribe(listener),
    flush: () => store.flush(),
    close: () => store.close(),
    exportCsv: (out, o) => guarded(() => writeCodedPassagesCsv(csvSource(store), out, o)),
  };
}
