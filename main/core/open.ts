import { createHash, randomUUID } from 'node:crypto';
import os from 'node:os';
import { plainText } from '../../shared/plain-text';
import type { Coder } from '../../shared/model';
import type { GlossCore } from './core';
import { readCorpus } from './corpus';
import { defaultCodes } from './default-codebook';
import { textHash } from './hash';
import { writeCodedPassagesCsv } from './export-csv';
import { csvSource } from './csv-source';
import { FORMAT, SCHEMA_VERSION, type DocumentFileData, type ProjectFileData } from './files';
import { createHandlers, guarded } from './services';
import { ProjectOpenError, ProjectStore, type ProjectSeed } from './store';

export { ProjectOpenError };

export interface OpenCoreOptions {
  projectDir: string;
  /** The bundled articles a new project starts with. */
  corpusDir: string;
  /** Name put on new passages; defaults to the OS user name. */
  coderName?: string;
  /** Create a default project when the folder has none (default true). */
  createIfMissing?: boolean;
  /** No lock, no writes: for reading a project another Gloss may have open. */
  readOnly?: boolean;
}


function osUserName(): string {
  try {
    return os.userInfo().username || 'Coder';
  } catch {
    return 'Coder';
  }
}

/** Builds the default project from the bundled corpus and codebook. */
export async function defaultSeed(corpusDir: string, coder: Coder): Promise<ProjectSeed> {
  const articles = await readCorpus(corpusDir);
  const at = new Date().toISOString();
  const documents: DocumentFileData[] = articles.map((a) => ({
    format: FORMAT.document,
    schemaVersion: SCHEMA_VERSION,
    id: a.id,
    meta: a.meta,
    blocks: a.blocks,
    textHash: textHash(plainText(a.meta.title, a.blocks)),
  }));
  const project: ProjectFileData = {
    format: FORMAT.project,
    schemaVersion: SCHEMA_VERSION,
    id: randomUUID(),
    name: 'Families of defectors',
    created: at,
    codebook: { codes: defaultCodes() },
    documents: documents.map((d) => ({ id: d.id, meta: d.meta, textHash: d.textHash, added: at })),
    coders: [coder],
    settings: {},
  };
  return { project, documents };
}

/** A stable id for a coder name, so the same person is one coder across sessions. */
function coderId(name: string): string {
  return `coder-${createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
}

/** Opens the project in `projectDir` (creating the default one if asked) and returns the core. */
export async function openCore(opts: OpenCoreOptions): Promise<GlossCore> {
  const name = opts.coderName?.trim() || osUserName();
  const coder: Coder = { id: coderId(name), name };
  const store = await ProjectStore.open(opts.projectDir, {
    readOnly: opts.readOnly ?? false,
    seed: (opts.createIfMissing ?? true) ? () => defaultSeed(opts.corpusDir, coder) : undefined,
  });
  if (!store.readOnly && !store.project.coders.some((c) => c.id === coder.id)) {
    await store.updateProject((p) => void p.coders.push(coder));
  }
  const handlers = createHandlers({ store, coder });
  return {
    handlers,
    flush: () => store.flush(),
    close: () => store.close(),
    exportCsv: (out, o) => guarded(() => writeCodedPassagesCsv(csvSource(store), out, o)),
  };
}
