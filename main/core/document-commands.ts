import { ApiError } from '../../shared/api';
import type { Annotation, DocumentSummary, ImportedCitation, VariableValue } from '../../shared/model';
import { valueProblem } from '../../shared/variables';
import { countsOf, summaryOfEntry, type DocumentEntry, type DocumentFileData, type DocumentVersion } from './files';
import type { Tx } from './transactor';

/**
 * Adding and removing whole documents, as commands (commands.ts): an import adds any number of
 * documents in one step; deleting documents removes them with every passage; each is the
 * other's inverse, so undoing a delete puts the documents back where they were, passages and
 * all, and undoing an import takes its documents away again — unless passages were coded in
 * them since, which it will not delete unasked. A document goes with the files keeping its
 * earlier texts (`DocumentEntry.versions`), and comes back with them.
 */

/** A document as it is put (back) into the project. */
export interface DocumentCopy {
  file: DocumentFileData;
  entry: DocumentEntry;
  /** Its place in the documents list (the end when beyond it). */
  index: number;
  passages: Annotation[];
  /** The files keeping its earlier texts (those there were), put back alongside. */
  versionFiles?: DocumentFileData[];
}

export type DocumentCommand =
  | { kind: 'addDocuments'; documents: DocumentCopy[] }
  /** `expectPassages`: how many passages each document must hold (undo of an import: none). */
  | { kind: 'removeDocuments'; ids: string[]; expectPassages?: Record<string, number> }
  /**
   * A new version of a document's text (or, as the inverse, the one before again): its file,
   * every passage as it is to be, and its list of earlier versions. Refused unless the text is
   * still `expectHash`. `keep` is the file keeping the text replaced, put alongside.
   */
  | { kind: 'setDocument'; documentId: string; file: DocumentFileData; passages: Annotation[]; versions: DocumentVersion[]; expectHash: string; keep?: DocumentFileData }
  /**
   * `base`: what each field held when the user changed it; a field changed since is a conflict.
   * `values`: values of document variables to set, by variable id (null: none), with `valuesBase`
   * what each held, as `base`. `citation`: the imported citation to set (null: none), with
   * `citationBase` what it was, compared whole.
   */
  | {
      kind: 'updateDocument';
      documentId: string;
      changes: DocumentFields;
      base: DocumentFields;
      values?: DocumentValues;
      valuesBase?: DocumentValues;
      citation?: ImportedCitation | null;
      citationBase?: ImportedCitation | null;
    }
  /** Before document `before` (null: the end). */
  | { kind: 'moveDocument'; documentId: string; before: string | null };

/** Values of document variables by variable id; null: no value. */
export type DocumentValues = Record<string, VariableValue | null>;

/** The documents list entry a window shows for a document. */
function summaryOf(entry: DocumentEntry, passages: readonly Annotation[]): DocumentSummary {
  return summaryOfEntry(entry, countsOf(passages));
}

/** The entry as the index counts it, for a change that leaves its passages alone. */
export function indexedSummary(tx: Tx, entry: DocumentEntry): DocumentSummary {
  return summaryOfEntry(entry, tx.project.index.documents[entry.id] ?? { annotations: 0, codes: {} });
}

/**
 * An entry put back, with only the values that fit the variables as they are now: a variable
 * deleted or changed (in another window) since the document went takes its value along.
 */
function withFittingValues(tx: Tx, entry: DocumentEntry): DocumentEntry {
  if (!entry.values) return entry;
  const variables = new Map((tx.project.variables ?? []).map((v) => [v.id, v]));
  const kept = Object.entries(entry.values).filter(([id, value]) => {
    const v = variables.get(id);
    return v !== undefined && valueProblem(v, value) === null;
  });
  if (kept.length === Object.keys(entry.values).length) return entry;
  const next: DocumentEntry = { ...entry };
  if (kept.length) next.values = Object.fromEntries(kept);
  else delete next.values;
  return next;
}

/** The fields of a document a user edits: its citation properties and its memo. */
export type DocumentFields = Partial<Record<'title' | 'author' | 'publication' | 'date' | 'url' | 'accessed' | 'pages' | 'memo', string>>;

function fieldOf(entry: DocumentEntry, key: keyof DocumentFields): string {
  if (key === 'memo') return entry.memo ?? '';
  return entry.meta[key] ?? '';
}

/** Runs a document command in `tx`; returns its inverse. Throws ApiError and changes nothing when it cannot. */
export function executeDocumentCommand(tx: Tx, cmd: DocumentCommand, what: string): DocumentCommand {
  if (cmd.kind === 'addDocuments') {
    const taken = new Set(tx.project.documents.map((d) => d.id));
    for (const d of cmd.documents) {
      if (taken.has(d.entry.id)) throw new ApiError('conflict', `${what}: the project already has a document “${d.entry.id}”. Nothing was changed.`);
      taken.add(d.entry.id);
    }
    // In list order, so that each index is where the document was (or is to be).
    for (const d of [...cmd.documents].sort((a, b) => a.index - b.index)) {
      tx.putDocument(d.file);
      for (const f of d.versionFiles ?? []) tx.putDocument(f);
      const entry = withFittingValues(tx, d.entry);
      const at = Math.min(d.index, tx.project.documents.length);
      tx.project.documents.splice(at, 0, entry);
      tx.project.index.documents[entry.id] = countsOf(d.passages);
      if (d.passages.length) tx.annotations(entry.id).push(...d.passages);
      tx.emit({ type: 'document', summary: summaryOf(entry, d.passages), index: at });
    }
    return { kind: 'removeDocuments', ids: cmd.documents.map((d) => d.entry.id), expectPassages: Object.fromEntries(cmd.documents.map((d) => [d.entry.id, d.passages.length])) };
  }

  if (cmd.kind === 'setDocument') return setDocument(tx, cmd, what);
  if (cmd.kind === 'updateDocument') return updateDocument(tx, cmd, what);
  if (cmd.kind === 'moveDocument') return moveDocument(tx, cmd, what);

  const copies: DocumentCopy[] = [];
  for (const id of cmd.ids) {
    const index = tx.project.documents.findIndex((d) => d.id === id);
    if (index < 0) throw new ApiError('conflict', `${what}: the document was deleted already, perhaps in another window. Nothing was changed.`);
    const passages = [...tx.annotations(id)];
    const expected = cmd.expectPassages?.[id];
    if (expected !== undefined && passages.length !== expected) {
      const title = tx.project.documents[index]!.meta.title;
      throw new ApiError(
        'conflict',
        `${what}: “${title}” has ${passages.length} coded passage${passages.length === 1 ? '' : 's'} now (${expected} before), coded since, perhaps in another window. Gloss did not delete it; delete it yourself if you want it gone.`,
      );
    }
    const entry = tx.project.documents[index]!;
    const copy: DocumentCopy = { file: tx.documentFile(id), entry, index, passages };
    // A file that is missing or was refused stays as it is: what cannot be put back is not taken away.
    const versionFiles = (entry.versions ?? []).flatMap((v) => tx.versionFile(v.file) ?? []);
    if (versionFiles.length) copy.versionFiles = versionFiles;
    copies.push(copy);
  }
  for (const c of copies) {
    tx.removeDocument(c.entry.id);
    for (const f of c.versionFiles ?? []) tx.removeDocument(f.id);
    tx.project.documents = tx.project.documents.filter((d) => d.id !== c.entry.id);
    delete tx.project.index.documents[c.entry.id];
    tx.emit({ type: 'document-removed', documentId: c.entry.id });
  }
  return { kind: 'addDocuments', documents: copies };
}

function setDocument(tx: Tx, cmd: Extract<DocumentCommand, { kind: 'setDocument' }>, what: string): DocumentCommand {
  const index = tx.project.documents.findIndex((d) => d.id === cmd.documentId);
  if (index < 0) throw new ApiError('conflict', `${what}: the document was deleted, perhaps in another window. Nothing was changed.`);
  const entry = tx.project.documents[index]!;
  if (entry.textHash !== cmd.expectHash) {
    throw new ApiError('conflict', `${what}: the text of “${entry.meta.title}” was replaced elsewhere since. Nothing was changed.`);
  }
  const list = tx.annotations(cmd.documentId);
  const inverse: DocumentCommand = {
    kind: 'setDocument',
    documentId: cmd.documentId,
    file: tx.documentFile(cmd.documentId),
    passages: [...list],
    versions: entry.versions ?? [],
    expectHash: cmd.file.textHash,
  };
  if (cmd.keep) tx.putDocument(cmd.keep);
  tx.putDocument(cmd.file);
  list.length = 0;
  list.push(...cmd.passages);
  const next: DocumentEntry = { ...entry, textHash: cmd.file.textHash };
  if (cmd.versions.length) next.versions = cmd.versions;
  else delete next.versions;
  tx.project.documents[index] = next;
  tx.project.index.documents[cmd.documentId] = countsOf(cmd.passages);
  tx.emit({ type: 'document', summary: summaryOf(next, cmd.passages) });
  return inverse;
}

function entryAt(tx: Tx, documentId: string, what: string): number {
  const index = tx.project.documents.findIndex((d) => d.id === documentId);
  if (index < 0) throw new ApiError('conflict', `${what}: the document was deleted, perhaps in another window. Nothing was changed.`);
  return index;
}

const FIELD_NAMES: Record<keyof DocumentFields, string> = { title: 'title', author: 'authors', publication: 'publication', date: 'date', url: 'address', accessed: 'date accessed', pages: 'pages', memo: 'memo' };

function updateDocument(tx: Tx, cmd: Extract<DocumentCommand, { kind: 'updateDocument' }>, what: string): DocumentCommand {
  const index = entryAt(tx, cmd.documentId, what);
  const entry = tx.project.documents[index]!;
  const keys = Object.keys(cmd.changes) as (keyof DocumentFields)[];
  const variables = new Map((tx.project.variables ?? []).map((v) => [v.id, v]));
  const valueIds = Object.keys(cmd.values ?? {});
  const gone = valueIds.filter((id) => !variables.has(id));
  if (gone.length) throw new ApiError('conflict', `${what}: ${gone.length === 1 ? 'a variable was' : `${gone.length} variables were`} deleted elsewhere since, perhaps in another window. Nothing was changed; look again and retry.`);
  const changedElsewhere = [
    ...keys.filter((k) => cmd.base[k] !== undefined && fieldOf(entry, k) !== cmd.base[k]).map((k) => FIELD_NAMES[k]),
    ...valueIds.filter((id) => cmd.valuesBase?.[id] !== undefined && (entry.values?.[id] ?? null) !== cmd.valuesBase[id]).map((id) => `“${variables.get(id)!.name}”`),
  ];
  if (cmd.citationBase !== undefined && !sameCitation(entry.citation ?? null, cmd.citationBase)) changedElsewhere.push('imported citation');
  if (changedElsewhere.length) {
    throw new ApiError('conflict', `${what}: the ${changedElsewhere.join(', ')} of “${entry.meta.title}” changed elsewhere since. Nothing was changed; look again and retry.`);
  }
  for (const id of valueIds) {
    const value = cmd.values![id]!;
    const variable = variables.get(id)!;
    const problem = value === null ? null : valueProblem(variable, value);
    if (problem) throw new ApiError('conflict', `${what}: the variable “${variable.name}” was changed elsewhere since, and the value ${problem}. Nothing was changed; look again and retry.`);
  }
  const inverse: Extract<DocumentCommand, { kind: 'updateDocument' }> = { kind: 'updateDocument', documentId: cmd.documentId, changes: {}, base: {} };
  const meta = { ...entry.meta };
  const next: DocumentEntry = { ...entry, meta };
  for (const k of keys) {
    const value = cmd.changes[k]!;
    inverse.changes[k] = fieldOf(entry, k);
    inverse.base[k] = value;
    if (k === 'memo') {
      if (value === '') delete next.memo;
      else next.memo = value;
    } else if ((k === 'accessed' || k === 'pages') && value === '') delete meta[k];
    else meta[k] = value;
  }
  if (valueIds.length) {
    const values = { ...entry.values };
    inverse.values = {};
    inverse.valuesBase = {};
    for (const id of valueIds) {
      const value = cmd.values![id]!;
      inverse.values[id] = entry.values?.[id] ?? null;
      inverse.valuesBase[id] = value;
      if (value === null) delete values[id];
      else values[id] = value;
    }
    if (Object.keys(values).length) next.values = values;
    else delete next.values;
  }
  if (cmd.citation !== undefined) {
    inverse.citation = entry.citation ?? null;
    inverse.citationBase = cmd.citation;
    if (cmd.citation === null) delete next.citation;
    else next.citation = cmd.citation;
  }
  tx.project.documents[index] = next;
  tx.emit({ type: 'document', summary: indexedSummary(tx, next) });
  return inverse;
}

/** Whether two imported citations (or none) are the same, field for field. */
function sameCitation(a: ImportedCitation | null, b: ImportedCitation | null): boolean {
  return a === b || (a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b));
}

function moveDocument(tx: Tx, cmd: Extract<DocumentCommand, { kind: 'moveDocument' }>, what: string): DocumentCommand {
  const from = entryAt(tx, cmd.documentId, what);
  const docs = tx.project.documents;
  const entry = docs[from]!;
  const oldBefore = docs[from + 1]?.id ?? null;
  if (cmd.before === cmd.documentId) throw new ApiError('invalid_input', `${what}: a document cannot be moved before itself.`);
  if (cmd.before !== null && !docs.some((d) => d.id === cmd.before)) throw new ApiError('conflict', `${what}: the document it was to go before was deleted, perhaps in another window. Nothing was changed.`);
  const rest = docs.filter((d) => d.id !== cmd.documentId);
  const at = cmd.before === null ? rest.length : rest.findIndex((d) => d.id === cmd.before);
  rest.splice(at, 0, entry);
  tx.project.documents = rest;
  tx.emit({ type: 'document', summary: indexedSummary(tx, entry), index: at });
  return { kind: 'moveDocument', documentId: cmd.documentId, before: oldBefore };
}
