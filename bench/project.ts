/**
 * Synthetic projects on disk, in the store's own file formats (main/core/files.ts, schema
 * version 2), written directly rather than through the store so that building 100,000 or
 * 1,000,000 annotations takes seconds. Files are written one at a time, so memory holds one
 * document's annotations. As the store writes them: the canonical text is the body only
 * (`plainText(blocks)`, the title is metadata) and `textHash` is its hash; the project file
 * keeps each document's counts in its index, so the documents list needs no annotations file.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ANNOTATIONS_DIR, DOCUMENTS_DIR, FORMAT, PROJECT_FILE, SCHEMA_VERSION, countsOf, type AnnotationsFileData, type DocumentCounts, type DocumentFileData, type ProjectFileData } from '../main/core/files';
import { textHash } from '../main/core/hash';
import type { Annotation, Code } from '../shared/model';
import { BENCH_CODER, annotations, article, benchCodes, seeded, type SyntheticArticle } from './data';

export interface ProjectSpec {
  documents: number;
  annotationsPerDocument: number;
  /** Plain-text length of each document. */
  chars: number;
  seed: number;
  /**
   * Per document (by index), sizes that replace `chars` and `annotationsPerDocument`, and the
   * range of passage lengths (default 15–300 characters). Documents past the list's end use the
   * shared sizes.
   */
  perDocument?: readonly { chars: number; annotations: number; lengths?: readonly [number, number] }[];
  /** The codebook passages are coded from (default `benchCodes()`). */
  codes?: readonly Code[];
  /**
   * Each passage's codes, given the document's index, the passage's index in it and the codes
   * drawn at random (default: those drawn). The random draws are the same either way.
   */
  codeIds?: (documentIndex: number, passageIndex: number, drawn: readonly string[]) => string[];
  /** Called with each document's annotations (and its article) before they are dropped (to keep some for a baseline). */
  onAnnotations?: (documentId: string, list: readonly Annotation[], art: SyntheticArticle) => void;
}

export interface BuiltProject {
  dir: string;
  documentIds: string[];
  /** Per document, the ids of a few of its annotations (for updates). */
  sampleIds: Map<string, string[]>;
  /** Per document, its plain-text length (for creates). */
  lengths: Map<string, number>;
  bytesOnDisk: number;
  /** Size of the largest annotations file. */
  largestFile: number;
  /** Size of each annotations file, by document id. */
  fileSizes: Map<string, number>;
}

/** Writes a project with `spec.documents` documents and their annotations into `dir`. */
export async function buildProject(dir: string, spec: ProjectSpec): Promise<BuiltProject> {
  const rng = seeded(spec.seed);
  const codes = spec.codes ?? benchCodes();
  await mkdir(path.join(dir, DOCUMENTS_DIR), { recursive: true });
  await mkdir(path.join(dir, ANNOTATIONS_DIR), { recursive: true });
  const at = '2024-01-01T00:00:00.000Z';
  const entries: ProjectFileData['documents'] = [];
  const counts: Record<string, DocumentCounts> = {};
  const fileSizes = new Map<string, number>();
  const sampleIds = new Map<string, string[]>();
  const lengths = new Map<string, number>();
  let bytesOnDisk = 0;
  let largestFile = 0;
  const write = async (file: string, data: unknown): Promise<number> => {
    const text = JSON.stringify(data);
    const size = Buffer.byteLength(text);
    bytesOnDisk += size;
    await writeFile(file, text);
    return size;
  };
  for (let d = 0; d < spec.documents; d++) {
    const id = `doc-${String(d).padStart(4, '0')}`;
    const own = spec.perDocument?.[d];
    const art = article(rng, own?.chars ?? spec.chars, `Document ${d} — 문서 ${d}`);
    const hash = textHash(art.text);
    const doc: DocumentFileData = { format: FORMAT.document, schemaVersion: SCHEMA_VERSION, id, meta: art.meta, blocks: art.blocks, textHash: hash };
    await write(path.join(dir, DOCUMENTS_DIR, `${id}.json`), doc);
    const drawn = annotations(rng, id, hash, art.text, own?.annotations ?? spec.annotationsPerDocument, codes, own?.lengths);
    const recode = spec.codeIds;
    const list = recode ? drawn.map((a, i) => ({ ...a, codeIds: recode(d, i, a.codeIds) })) : drawn;
    spec.onAnnotations?.(id, list, art);
    const file: AnnotationsFileData = { format: FORMAT.annotations, schemaVersion: SCHEMA_VERSION, documentId: id, annotations: list };
    const size = await write(path.join(dir, ANNOTATIONS_DIR, `${id}.json`), file);
    fileSizes.set(id, size);
    largestFile = Math.max(largestFile, size);
    entries.push({ id, meta: art.meta, textHash: hash, added: at });
    counts[id] = countsOf(list);
    sampleIds.set(
      id,
      list.filter((_, i) => i % Math.max(1, Math.floor(list.length / 10)) === 0).map((a) => a.id),
    );
    lengths.set(id, art.text.length);
  }
  const project: ProjectFileData = {
    format: FORMAT.project,
    schemaVersion: SCHEMA_VERSION,
    id: 'bench-project',
    name: 'Benchmark project',
    created: at,
    revision: 0,
    codebook: { codes: [...codes] },
    documents: entries,
    coders: [{ ...BENCH_CODER }],
    index: { documents: counts },
    settings: {},
    migrations: [],
  };
  await write(path.join(dir, PROJECT_FILE), project);
  return { dir, documentIds: entries.map((e) => e.id), sampleIds, lengths, bytesOnDisk, largestFile, fileSizes };
}
