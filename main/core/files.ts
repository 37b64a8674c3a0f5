import { z } from 'zod';
import { schemas } from '../../shared/api';
import type { Annotation, Block, Codebook, Coder, DocumentMeta } from '../../shared/model';

/**
 * The project folder's file formats. A project is a folder:
 *
 *   gloss-project.json          schema version, codebook, documents index, coders, settings
 *   documents/<id>.json         one document's metadata and block structure
 *   annotations/<id>.json       one document's coded passages
 *
 * so that coding a passage rewrites only the annotations file of the document it touches.
 */

/** The newest schema version this build reads and writes. */
export const SCHEMA_VERSION = 1;

export const PROJECT_FILE = 'gloss-project.json';
export const DOCUMENTS_DIR = 'documents';
export const ANNOTATIONS_DIR = 'annotations';
export const LOCK_FILE = '.gloss-lock';

export const FORMAT = { project: 'gloss-project', document: 'gloss-document', annotations: 'gloss-annotations' } as const;

export interface DocumentEntry {
  id: string;
  meta: DocumentMeta;
  textHash: string;
  /** When the document was added to the project. */
  added: string;
}

/** Project-wide settings; none yet, kept as an object so later ones need no format change. */
export type ProjectSettings = Record<string, unknown>;

export interface ProjectFileData {
  format: typeof FORMAT.project;
  schemaVersion: number;
  id: string;
  name: string;
  created: string;
  codebook: Codebook;
  documents: DocumentEntry[];
  coders: Coder[];
  settings: ProjectSettings;
}

export interface DocumentFileData {
  format: typeof FORMAT.document;
  schemaVersion: number;
  id: string;
  meta: DocumentMeta;
  blocks: Block[];
  textHash: string;
}

export interface AnnotationsFileData {
  format: typeof FORMAT.annotations;
  schemaVersion: number;
  documentId: string;
  annotations: Annotation[];
}

const version = z.number().int().min(1);

/**
 * Full-content validators, run after the header check of DurableJsonFile. Objects are loose:
 * fields this build does not know (written by a later build of the same schema version) are kept
 * and written back, never dropped.
 */
export const fileSchemas = {
  project: z.looseObject({
    format: z.literal(FORMAT.project),
    schemaVersion: version,
    id: z.string().min(1),
    name: z.string(),
    created: z.string(),
    codebook: z.looseObject({ codes: z.array(schemas.Code.loose()) }),
    documents: z.array(z.looseObject({ id: schemas.Id, meta: schemas.Meta.loose(), textHash: z.string(), added: z.string() })),
    coders: z.array(z.looseObject({ id: schemas.Id, name: z.string() })),
    settings: z.looseObject({}),
  }) satisfies z.ZodType<ProjectFileData>,
  document: z.looseObject({
    format: z.literal(FORMAT.document),
    schemaVersion: version,
    id: schemas.Id,
    meta: schemas.Meta,
    blocks: z.array(schemas.Block),
    textHash: z.string(),
  }) satisfies z.ZodType<DocumentFileData>,
  annotations: z.looseObject({
    format: z.literal(FORMAT.annotations),
    schemaVersion: version,
    documentId: schemas.Id,
    annotations: z.array(schemas.Annotation.loose()),
  }) satisfies z.ZodType<AnnotationsFileData>,
};
