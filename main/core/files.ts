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

export interface ProjectSettings {
  /** The coder whose name is put on new passages. */
  coderId: string | null;
}

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

/** Full-content validators, run after the header check of DurableJsonFile. */
export const fileSchemas = {
  project: z.object({
    format: z.literal(FORMAT.project),
    schemaVersion: version,
    id: z.string().min(1),
    name: z.string(),
    created: z.string(),
    codebook: z.object({ codes: z.array(schemas.Code) }),
    documents: z.array(z.object({ id: schemas.Id, meta: schemas.Meta, textHash: z.string(), added: z.string() })),
    coders: z.array(z.object({ id: schemas.Id, name: z.string() })),
    settings: z.object({ coderId: schemas.Id.nullable() }),
  }) satisfies z.ZodType<ProjectFileData>,
  document: z.object({
    format: z.literal(FORMAT.document),
    schemaVersion: version,
    id: schemas.Id,
    meta: schemas.Meta,
    blocks: z.array(schemas.Block),
    textHash: z.string(),
  }) satisfies z.ZodType<DocumentFileData>,
  annotations: z.object({
    format: z.literal(FORMAT.annotations),
    schemaVersion: version,
    documentId: schemas.Id,
    annotations: z.array(schemas.Annotation),
  }) satisfies z.ZodType<AnnotationsFileData>,
};
