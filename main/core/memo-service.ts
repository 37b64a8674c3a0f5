import { randomUUID } from 'node:crypto';
import { ApiError, type ApiHandlers, type CommandResult } from '../../shared/api';
import { cleanTitle, MEMO_LIMITS, subjectLabel } from '../../shared/memos';
import type { Annotation, Coder, Memo, MemoSubject, PassageRef } from '../../shared/model';
import { codePathNames } from '../../shared/order';
import type { Command } from './commands';
import type { PassageRow } from './passage-query';
import type { ProjectStore } from './store';
import { markdownText } from './markdown-text';

/**
 * Memos with a title: the project's research journal and memos on documents and codes, each
 * written by a coder, with passages linked to it; and every memo of the project, these and the
 * passages' and documents' own, as one Markdown file. Each change is one `editMemo` command
 * (memo-edit.ts), so one undo step, shown in every window.
 */

export interface MemoDeps {
  store: ProjectStore;
  /** Runs a command for a window, recorded in its history (services.ts). */
  command(client: string, cmd: Command, label: string): Promise<CommandResult>;
  /** The coder using this Gloss, in the project's list of coders; throws when they have not said who they are. */
  author(client: string): Promise<Coder>;
  now(): string;
  /** A document's passages as stored. */
  annotations(documentId: string): Promise<readonly Annotation[]>;
  /** Every passage the query gives, in document order (passages.query, every page). */
  passagesOf(query: string): Promise<PassageRow[]>;
}

type MemoMethods = 'memos.create' | 'memos.update' | 'memos.delete' | 'memos.link' | 'memos.export';

const UNTITLED = 'Untitled memo';

export function memoHandlers(deps: MemoDeps): Pick<ApiHandlers, MemoMethods> {
  const { store } = deps;
  const memos = (): Memo[] => store.project.memos ?? [];
  const memo = (id: string): Memo => {
    const found = memos().find((m) => m.id === id);
    if (!found) throw new ApiError('not_found', 'The memo was deleted, perhaps in another window.');
    return found;
  };
  const label = (m: Memo): string => (m.title.length > 40 ? `${m.title.slice(0, 40)}…` : m.title);

  /** A subject that exists in the project now, or `not_found`. */
  function checkSubject(about: MemoSubject): MemoSubject {
    if (about.kind === 'document' && !store.project.documents.some((d) => d.id === about.id)) throw new ApiError('not_found', `No document with id "${about.id}" in this project.`);
    if (about.kind === 'code' && !store.project.codebook.codes.some((c) => c.id === about.id)) throw new ApiError('not_found', `No code with id "${about.id}" in this project.`);
    return about.kind === 'project' ? { kind: 'project' } : { kind: about.kind, id: about.id };
  }

  /** Passages that exist, once each, in the order given; `not_found` naming none of the text. */
  async function checkPassages(refs: readonly PassageRef[]): Promise<PassageRef[]> {
    const out: PassageRef[] = [];
    const seen = new Set<string>();
    for (const r of refs) {
      if (seen.has(r.id)) continue;
      if (!store.project.documents.some((d) => d.id === r.documentId) || !(await deps.annotations(r.documentId)).some((a) => a.id === r.id)) {
        throw new ApiError('not_found', 'A passage to link was deleted, perhaps in another window.');
      }
      seen.add(r.id);
      out.push({ documentId: r.documentId, id: r.id });
    }
    return out;
  }

  const edit = async (client: string, before: Memo | null, after: Memo | null, what: string): Promise<CommandResult> => {
    const id = (before ?? after)!.id;
    const result = await deps.command(client, { kind: 'editMemo', id, before, after }, what);
    return { ...result, memoId: id };
  };

  return {
    'memos.create': async ({ title, text, about, passages }, { client }) => {
      if (memos().length >= MEMO_LIMITS.memos) throw new ApiError('invalid_input', `A project holds at most ${MEMO_LIMITS.memos.toLocaleString('en')} memos.`);
      const subject = checkSubject(about);
      const linked = await checkPassages(passages ?? []);
      const author = await deps.author(client);
      const at = deps.now();
      const made: Memo = { id: randomUUID(), title: cleanTitle(title) || UNTITLED, text, about: subject, passages: linked, authorId: author.id, created: at, modified: at };
      return edit(client, null, made, `write memo “${label(made)}”`);
    },

    'memos.update': async ({ id, title, text, about, base }, { client }) => {
      const now = memo(id);
      if (now.title !== base.title || now.text !== base.text) {
        throw new ApiError('conflict', `The memo “${now.title}” was changed in another window since you opened it. Nothing was overwritten.`, { memo: now.text, title: now.title });
      }
      const next: Memo = { ...now, modified: deps.now() };
      if (title !== undefined) next.title = cleanTitle(title) || UNTITLED;
      if (text !== undefined) next.text = text;
      if (about !== undefined) next.about = checkSubject(about);
      if (next.title === now.title && next.text === now.text && JSON.stringify(next.about) === JSON.stringify(now.about)) throw new ApiError('invalid_input', 'The memo is as it was: nothing to save.');
      return edit(client, now, next, `edit memo “${label(next)}”`);
    },

    'memos.delete': async ({ id }, { client }) => {
      const now = memo(id);
      return edit(client, now, null, `delete memo “${label(now)}”`);
    },

    'memos.link': async ({ id, passage, linked }, { client }) => {
      const now = memo(id);
      const has = now.passages.some((p) => p.id === passage.id);
      if (has === linked) throw new ApiError('invalid_input', linked ? 'The passage is linked to this memo already.' : 'The passage is not linked to this memo.');
      if (linked && now.passages.length >= MEMO_LIMITS.passages) throw new ApiError('invalid_input', `A memo links at most ${MEMO_LIMITS.passages.toLocaleString('en')} passages.`);
      const passages = linked ? [...now.passages, ...(await checkPassages([passage]))] : now.passages.filter((p) => p.id !== passage.id);
      return edit(client, now, { ...now, passages, modified: deps.now() }, `${linked ? 'link a passage to' : 'unlink a passage from'} memo “${label(now)}”`);
    },

    'memos.export': async () => {
      const content = await memosMarkdown(store, await deps.passagesOf('hasmemo'));
      return { fileName: 'memos.md', mimeType: 'text/markdown', content: content.text, memos: content.count };
    },
  };
}

/** A memo's text as Markdown paragraphs, its characters escaped. */
const paragraphs = (text: string): string => text.split(/\n{2,}/).map((p) => markdownText(p.trim()).replace(/\n/g, '  \n')).filter(Boolean).join('\n\n');

/** Every memo of the project as one Markdown file, and how many memos it holds. */
export async function memosMarkdown(store: ProjectStore, passageMemos: readonly PassageRow[]): Promise<{ text: string; count: number }> {
  const project = store.project;
  const memos = project.memos ?? [];
  const coders = new Map(project.coders.map((c) => [c.id, c.name]));
  const codes = new Map(project.codebook.codes.map((c) => [c.id, c]));
  const codePath = (id: string): string => codePathNames(codes, id).join(' › ');
  const documents = project.documents.map((d) => ({ id: d.id, meta: d.meta }));
  const titleOf = new Map(project.documents.map((d) => [d.id, d.meta.title]));
  const quoteOf = new Map(passageMemos.map((r) => [r.passage.id, r.passage.quote.exact]));
  const out: string[] = [`# Memos of ${markdownText(project.name)}`, ''];
  let count = 0;
  const write = (m: Memo): void => {
    count++;
    out.push(`### ${markdownText(m.title)}`, '', `${markdownText(coders.get(m.authorId) ?? 'Unknown coder')} · written ${m.created.slice(0, 10)}${m.modified !== m.created ? ` · changed ${m.modified.slice(0, 10)}` : ''}`, '');
    if (m.text.trim()) out.push(paragraphs(m.text), '');
    if (m.passages.length) {
      out.push('Linked passages:', '');
      for (const p of m.passages) {
        const quote = quoteOf.get(p.id);
        out.push(`- ${markdownText(titleOf.get(p.documentId) ?? 'A deleted document')}${quote !== undefined ? `: “${markdownText(quote.replace(/\s+/g, ' '))}”` : ''}`);
      }
      out.push('');
    }
  };
  const journal = memos.filter((m) => m.about.kind === 'project');
  if (journal.length) {
    out.push('## Project journal', '');
    for (const m of journal) write(m);
  }
  for (const d of project.documents) {
    const own = memos.filter((m) => m.about.kind === 'document' && m.about.id === d.id);
    const passages = passageMemos.filter((r) => r.passage.documentId === d.id);
    if (!own.length && !d.memo?.trim() && !passages.length) continue;
    out.push(`## ${subjectLabel({ kind: 'document', id: d.id }, { documents, codePath })}`, '');
    if (d.memo?.trim()) {
      count++;
      out.push('### Document memo', '', paragraphs(d.memo), '');
    }
    for (const m of own) write(m);
    for (const r of passages) {
      count++;
      out.push(`### On “${markdownText(r.passage.quote.exact.replace(/\s+/g, ' ').slice(0, 80))}${r.passage.quote.exact.length > 80 ? '…' : ''}”`, '', `${markdownText(coders.get(r.passage.coderId) ?? 'Unknown coder')} · ${r.passage.modified.slice(0, 10)}`, '', paragraphs(r.passage.memo), '');
    }
  }
  const byCode = new Map<string, Memo[]>();
  const elsewhere: Memo[] = [];
  for (const m of memos) {
    if (m.about.kind === 'code') {
      if (codes.has(m.about.id)) byCode.set(m.about.id, [...(byCode.get(m.about.id) ?? []), m]);
      else elsewhere.push(m);
    } else if (m.about.kind === 'document' && !titleOf.has(m.about.id)) elsewhere.push(m);
  }
  for (const code of project.codebook.codes) {
    const list = byCode.get(code.id);
    if (!list) continue;
    out.push(`## Code “${markdownText(codePath(code.id))}”`, '');
    for (const m of list) write(m);
  }
  if (elsewhere.length) {
    out.push('## On deleted documents and codes', '');
    for (const m of elsewhere) write(m);
  }
  if (count === 0) out.push('No memo yet.', '');
  return { text: out.join('\n'), count };
}
