import type { Code, DocumentSummary, Memo, MemoSubject } from './model';

/**
 * Memos with a title (shared/model.ts `Memo`): their limits, what each is about in words, and
 * the comparisons main's commands use to tell whether a memo changed elsewhere since.
 */

export const MEMO_LIMITS = {
  title: 200,
  text: 100_000,
  /** Passages linked to one memo. */
  passages: 10_000,
  /** Memos of one project. */
  memos: 100_000,
} as const;

/** A title as kept: one line, single spaces, NFC, trimmed. */
export function cleanTitle(title: string): string {
  return title.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** What a memo is about, in words: "Project journal", "Document “…”", "Code “A › B”" (or that it was deleted). */
export function subjectLabel(about: MemoSubject, names: { documents: readonly Pick<DocumentSummary, 'id' | 'meta'>[]; codePath: (id: string) => string }): string {
  if (about.kind === 'project') return 'Project journal';
  if (about.kind === 'document') {
    const title = names.documents.find((d) => d.id === about.id)?.meta.title;
    return title === undefined ? 'A deleted document' : `Document “${title}”`;
  }
  const path = names.codePath(about.id);
  return path ? `Code “${path}”` : 'A deleted code';
}

/** Whether two subjects are the same. */
export function sameSubject(a: MemoSubject, b: MemoSubject): boolean {
  return a.kind === b.kind && (a.kind === 'project' || a.id === (b as { id: string }).id);
}

/** Whether two memos are alike in every field (a memo changed elsewhere since differs in one). */
export function sameMemo(a: Memo | null | undefined, b: Memo | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return (
    a.id === b.id &&
    a.title === b.title &&
    a.text === b.text &&
    sameSubject(a.about, b.about) &&
    a.authorId === b.authorId &&
    a.created === b.created &&
    a.modified === b.modified &&
    a.passages.length === b.passages.length &&
    a.passages.every((p, i) => p.documentId === b.passages[i]!.documentId && p.id === b.passages[i]!.id)
  );
}

/** The codes a memo could be about that no longer exist, etc.: a memo's subject still in the project. */
export function subjectExists(about: MemoSubject, project: { documents: readonly { id: string }[]; codes: readonly Pick<Code, 'id'>[] }): boolean {
  if (about.kind === 'project') return true;
  return about.kind === 'document' ? project.documents.some((d) => d.id === about.id) : project.codes.some((c) => c.id === about.id);
}
