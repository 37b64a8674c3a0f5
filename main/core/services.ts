import { randomUUID } from 'node:crypto';
import { ApiError, type ApiHandlers, type CallContext, type CommandResult } from '../../shared/api';
import { anchor, describeRange, snapToGraphemes, trimRange } from '../../shared/anchoring';
import type { Anchor, Annotation, Code, Coder, DocumentContent, PlacedAnnotation } from '../../shared/model';
import { codePathNames, compareAnnotations } from '../../shared/order';
import { sameCode, withDescendants, type CodebookEdit } from './codebook-edit';
import { colorPicker } from '../../shared/codebook';
import { importHandlers, type Importer } from './import-service';
import { retrievalHandlers } from './retrieval-service';
import { CodebookExportError, codebookToCsv, codebookToMarkdown, codebookToQdc } from './codebook-export';
import { applyPlanToCodes, CodebookImportError, parseQdc, planImport, type ParsedCodebook } from './codebook-import';
import { planCreate, planDelete, planMerge, planMove, planUpdate, usageOf, type PlanSource } from './codebook-plans';
import { documentsOf, execute, type Command, type CommandEnv, type PassageRange } from './commands';
import { BibliographyError, citationChoices, citationFills, strictCslItem } from './citations';
import type { DocumentFields } from './document-commands';
import { StoreFileError } from './durable';
import { ChangeFeed } from './feed';
import { Histories } from './history';
import { planInVivo } from './in-vivo';
import type { ProfileStore } from './profile';
import { ProjectStore, StoreRefusedError } from './store';
import type { Tx } from './transactor';
import { planCreateVariable, planDeleteVariable, planMoveVariable, planUpdateVariable, type PlannedVariableEdit } from './variable-edit';
import { memoHandlers } from './memo-service';
import { collectionHandlers } from './collection-service';
import { PAGE_MAX, type PassageRow } from './passage-query';

/** A file name for the project's codebook: its name without characters file systems refuse. */
function fileNameOf(projectName: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = projectName.replace(/[\u0000-\u001f<>:"/\\|?*]+/g, ' ').replace(/\s+/g, ' ').trim().replace(/[. ]+$/, '').slice(0, 80);
  return `${safe || 'project'} codebook`;
}

/** What the handlers need beyond the store. */
export interface ServiceContext {
  store: ProjectStore;
  profile: ProfileStore;
  /** Offered as the coder's name before they have chosen one. */
  suggestedCoderName: string;
  /** Clock, injectable for tests. */
  now?: () => Date;
  /** Reads files to import: the worker by default (import-service.ts). */
  importer?: Importer;
}

/** Runs `run`, turning the store's refusals into `store_refused` API errors (with their message). */
export async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof StoreRefusedError || e instanceof StoreFileError) throw new ApiError('store_refused', e.message);
    throw e;
  }
}

/** The API handlers for one open project, and the feed of its changes. Inputs arrive validated by `dispatch`. */
export interface Services {
  handlers: ApiHandlers;
  feed: ChangeFeed;
}

const LABELS: Record<Command['kind'], string> = {
  create: 'code passage',
  delete: 'delete passage',
  restore: 'restore passage',
  addCodes: 'add code',
  removeCodes: 'remove code',
  setMemo: 'edit memo',
  setRange: 'place passage',
  editCodebook: 'edit codebook',
  renameProject: 'rename project',
  compound: 'several changes',
  addDocuments: 'import documents',
  removeDocuments: 'delete documents',
  setDocument: 'new version of the text',
  updateDocument: 'edit document properties',
  moveDocument: 'move document',
  editVariables: 'edit variables',
  editMemo: 'edit memo',
  editCollection: 'edit collection',
};

export function createServices(ctx: ServiceContext): Services {
  const { store } = ctx;
  const now = (): string => (ctx.now ? ctx.now() : new Date()).toISOString();
  const histories = new Histories();
  const feed = new ChangeFeed(store.revision);
  store.subscribe((event) => feed.publish(event));
  /** Where passages made on another text version are now: computed once per (passage, text version). */
  const anchors = new Map<string, { textHash: string; anchor: Anchor; quote: Annotation['quote']; position: Annotation['position'] }>();

  async function doc(documentId: string) {
    const d = await store.document(documentId);
    if (!d) throw new ApiError('not_found', `No document with id "${documentId}" in this project.`);
    return d;
  }

  /** Reads what commands on this document need (its content and text), so that they can run synchronously. */
  async function prepare(documentId: string): Promise<{ content: DocumentContent; text: string }> {
    const content = await doc(documentId);
    const text = (await store.text(documentId))!;
    return { content, text };
  }

  /** Places passages of one document: the document is looked up once, not once per passage. */
  function placerFor(documentId: string): (a: Annotation) => PlacedAnnotation {
    const entry = store.project.documents.find((d) => d.id === documentId);
    const textHash = entry?.textHash;
    // Passages left unplaced when a new version replaced the text: the user decided, or the
    // review did; they are not looked for again, lest they land on the same words elsewhere.
    const replaced = new Set((entry?.versions ?? []).map((v) => v.textHash));
    return (a) => {
      if (textHash === undefined || a.textHash === textHash) return { ...a, anchor: { status: 'exact', start: a.position.start, end: a.position.end } };
      if (replaced.has(a.textHash)) return { ...a, anchor: { status: 'orphan', start: a.position.start, end: a.position.end } };
      const cached = anchors.get(a.id);
      if (cached && cached.textHash === textHash && cached.quote === a.quote && cached.position === a.position) return { ...a, anchor: cached.anchor };
      const text = store.cachedText(documentId);
      const found = text === null ? { status: 'orphan' as const, start: a.position.start, end: a.position.end } : anchor(text, a.position, a.quote);
      anchors.set(a.id, { textHash, anchor: found, quote: a.quote, position: a.position });
      return { ...a, anchor: found };
    };
  }

  const env: CommandEnv = {
    now,
    place: (a) => placerFor(a.documentId)(a),
    memoWrites: new Map(),
    codeName: (id) => codePathNames(new Map(store.project.codebook.codes.map((c) => [c.id, c])), id).join(' › ') || id,
  };

  function checkCodes(codeIds: readonly string[]): string[] {
    const known = new Set(store.project.codebook.codes.map((c) => c.id));
    const unknown = codeIds.filter((id) => !known.has(id));
    if (unknown.length) throw new ApiError('invalid_input', `Unknown code${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 20).join(', ')}`);
    return [...new Set(codeIds)];
  }

  /** Runs a command for a window as one transaction; `record` files it in the window's history. */
  async function run(client: string, cmd: Command, label: string, what: string, record: boolean): Promise<CommandResult & { inverse: Command }> {
    const documents = documentsOf(cmd);
    for (const id of documents) await prepare(id);
    // A deleted document takes the files of its earlier texts along: read for the undo to put back.
    if (cmd.kind === 'removeDocuments') for (const id of cmd.ids) await store.readVersions(id);
    const { value, event } = await guarded(() => store.transact({ origin: client, label, documents }, (tx) => execute(tx, cmd, env, what)));
    if (record) histories.record(client, { label, command: value.inverse });
    return resultOf(client, event, value);
  }

  function resultOf(client: string, event: CommandResult['event'], value: ReturnType<typeof execute>): CommandResult & { inverse: Command } {
    const result: CommandResult & { inverse: Command } = { event, history: histories.view(client), inverse: value.inverse };
    if (value.reveal) result.reveal = value.reveal;
    if (value.annotation) result.annotation = value.annotation;
    if (value.notice) result.notice = value.notice;
    return result;
  }

  /** The documents whose passages (by the project index) hold any of `codeIds`. */
  function documentsUsing(codeIds: readonly string[]): string[] {
    const index = store.project.index.documents;
    return store.project.documents.filter((d) => codeIds.some((c) => (index[d.id]?.codes[c] ?? 0) > 0)).map((d) => d.id);
  }

  /** What a codebook plan reads inside a transaction. */
  function planSource(tx: Tx): PlanSource {
    return {
      codes: tx.project.codebook.codes,
      passagesWith(codeIds) {
        const found: { documentId: string; annotation: Annotation }[] = [];
        for (const d of tx.project.documents) {
          if (!tx.isLoaded(d.id)) {
            // Read before the transaction wherever the index said the codes were used.
            if (codeIds.some((c) => (tx.project.index.documents[d.id]?.codes[c] ?? 0) > 0)) {
              throw new ApiError('conflict', 'The codebook changed while this was being prepared (perhaps in another window). Nothing was changed; try again.');
            }
            continue;
          }
          for (const a of tx.annotations(d.id)) if (a.codeIds.some((c) => codeIds.includes(c))) found.push({ documentId: d.id, annotation: a });
        }
        return found;
      },
    };
  }

  /**
   * Plans and runs a command in one transaction, after reading the passages of `documents()`
   * (asked once this window's earlier work is done); recorded in the window's history like any
   * command, under the plan's label if it has one.
   */
  const plannedCommand = (
    client: string,
    label: string,
    documents: () => string[],
    plan: (tx: Tx) => { command: Command; codeId?: string; variableId?: string; label?: string },
  ): Promise<CommandResult> =>
    histories.serial(client, async () => {
      const read = documents();
      for (const id of read) await prepare(id);
      const { value, event } = await guarded(() =>
        store.transact({ origin: client, label, documents: read }, (tx) => {
          const planned = plan(tx);
          return { outcome: execute(tx, planned.command, env, `Could not ${planned.label ?? label}`), codeId: planned.codeId, variableId: planned.variableId, label: planned.label ?? label };
        }),
      );
      histories.record(client, { label: value.label, command: value.outcome.inverse });
      const { inverse: _inverse, ...result } = resultOf(client, event, value.outcome);
      if (value.codeId) result.codeId = value.codeId;
      if (value.variableId) result.variableId = value.variableId;
      return result;
    });

  /** Plans and runs a codebook edit, after reading the passages of every document that holds any of `codeIds`. */
  const codebookCommand = (client: string, label: string, codeIds: readonly string[], plan: (src: PlanSource) => { edit: CodebookEdit; codeId?: string }): Promise<CommandResult> =>
    plannedCommand(
      client,
      label,
      () => documentsUsing(codeIds),
      (tx) => {
        const { edit, codeId } = plan(planSource(tx));
        return codeId ? { command: edit, codeId } : { command: edit };
      },
    );

  /** Reads a .qdc file's text, turning its refusal into an `invalid_input` saying why. */
  function readQdc(content: string): ParsedCodebook {
    try {
      return parseQdc(content);
    } catch (e) {
      if (e instanceof CodebookImportError) throw new ApiError('invalid_input', e.message);
      throw e;
    }
  }

  /** The codebook edit that turns `codes` into `after` (codes compared field by field, order as in `after`). */
  function editBetween(codes: readonly Code[], after: readonly Code[]): CodebookEdit {
    const before = new Map(codes.map((c) => [c.id, c]));
    const changes: CodebookEdit['codes'] = [];
    for (const c of after) {
      const was = before.get(c.id) ?? null;
      if (!sameCode(was, c)) changes.push({ id: c.id, before: was, after: c });
    }
    return { kind: 'editCodebook', codes: changes, order: after.map((c) => c.id), passages: [] };
  }

  /** Plans and runs an edit of the document variables. */
  const variableCommand = (client: string, label: string, plan: (tx: Tx) => PlannedVariableEdit): Promise<CommandResult> => plannedCommand(client, label, () => [], plan);

  /** A variable of the project, or `not_found`. */
  const knownVariable = (id: string): void => {
    if (!(store.project.variables ?? []).some((v) => v.id === id)) throw new ApiError('not_found', `No variable with id "${id}" in this project.`);
  };

  const nameOf = (id: string): string => store.project.codebook.codes.find((c) => c.id === id)?.name ?? id;

  const command = (client: string, cmd: Command, label: string = LABELS[cmd.kind]): Promise<CommandResult> =>
    histories.serial(client, async () => {
      const { inverse: _inverse, ...result } = await run(client, cmd, label, `Could not ${label}`, true);
      return result;
    });

  function move(client: string, which: 'undo' | 'redo'): Promise<CommandResult | null> {
    return histories.serial(client, async () => {
      const step = histories.take(client, which);
      if (!step) return null;
      const label = `${which} ${step.label}`;
      try {
        const { inverse, ...result } = await run(client, step.command, label, `Could not ${which} “${step.label}”`, false);
        histories.file(client, which, { label: step.label, command: inverse });
        return { ...result, history: histories.view(client) };
      } catch (e) {
        // A conflict means the step can never run as it was: it is dropped, and the message says why.
        // Anything else (a failed write) may pass: the step stays for another try.
        if (!(e instanceof ApiError && e.code === 'conflict')) histories.restore(client, which, step);
        throw e;
      }
    });
  }

  function me(): Coder {
    const coder = ctx.profile.coder;
    if (!coder) throw new ApiError('invalid_input', 'Say who you are first: Gloss records a coder with every passage.');
    return coder;
  }

  /** Whether the project's coders list has this profile as it is now. */
  function listed(coder: Coder): boolean {
    const c = store.project.coders.find((x) => x.id === coder.id);
    return c !== undefined && c.name === coder.name && c.initials === coder.initials && c.color === coder.color;
  }

  /** Puts the profile into the project's coders list (new, or changed since). */
  async function registerCoder(coder: Coder, client: string | null): Promise<void> {
    if (listed(coder)) return;
    await guarded(() =>
      store.transact({ origin: client, label: 'coder profile' }, (tx) => {
        const i = tx.project.coders.findIndex((c) => c.id === coder.id);
        if (i < 0) tx.project.coders.push(coder);
        else tx.project.coders[i] = coder;
        tx.emit({ type: 'coders', coders: tx.project.coders });
      }),
    );
  }

  /**
   * A new passage of a document over `start`–`end`, trimmed of white space and snapped to
   * grapheme clusters; `create` gives the command making it, by `coder`.
   */
  async function newPassage(documentId: string, start: number, end: number) {
    const { content, text } = await prepare(documentId);
    if (end > text.length) throw new ApiError('invalid_input', `The passage ends at ${end}, past the end of the document (${text.length}).`);
    const trimmed = trimRange(text, start, end);
    if (trimmed.end <= trimmed.start) throw new ApiError('invalid_input', 'The passage holds no text (only spaces or line breaks).');
    const range = snapToGraphemes(text, trimmed.start, trimmed.end);
    const create = (codeIds: string[], memo: string, coder: Coder): Command => {
      const at = now();
      const annotation: Annotation = {
        id: randomUUID(),
        documentId,
        textHash: content.textHash,
        ...describeRange(text, range.start, range.end),
        codeIds,
        memo,
        coderId: coder.id,
        created: at,
        modified: at,
        rev: 0,
      };
      // The coder joins the project's list in the same transaction as their first passage.
      return listed(coder) ? { kind: 'create', documentId, annotation } : { kind: 'create', documentId, annotation, coder };
    };
    const selectors = (): PassageRange => ({ textHash: content.textHash, ...describeRange(text, range.start, range.end) });
    return { range, words: text.slice(range.start, range.end), create, selectors };
  }

  /** A document's passages, each where it is in its current text, and that text. */
  const placed = (documentId: string) =>
    guarded(async () => {
      const { text } = await prepare(documentId);
      return { text, passages: (await store.annotations(documentId)).map(placerFor(documentId)) };
    });

  const info = () => ({
    name: store.project.name,
    location: store.dir,
    coder: ctx.profile.coder,
    suggestedCoderName: ctx.suggestedCoderName,
    schemaVersion: store.project.schemaVersion,
    revision: store.revision,
    notices: store.notices,
  });

  const handlers: ApiHandlers = {
    // Built synchronously from committed state, so every part is of the same revision.
    'workspace.get': async (_input, { client }) => ({
      project: info(),
      documents: store.project.documents.map((d) => store.summary(d.id)!),
      codes: store.project.codebook.codes,
      coders: store.project.coders,
      variables: store.project.variables ?? [],
      memos: store.project.memos ?? [],
      collections: store.project.collections ?? [],
      history: histories.view(client),
    }),

    'project.info': async () => info(),

    'project.rename': ({ name }, { client }) => {
      const clean = name.normalize('NFC').replace(/\s+/g, ' ').trim();
      if (clean === store.project.name) return Promise.reject(new ApiError('invalid_input', `The project is called “${clean}” already.`));
      return guarded(async () => command(client, { kind: 'renameProject', name: clean, base: store.project.name }));
    },

    ...importHandlers({
      store,
      command,
      now,
      ...(ctx.importer ? { importer: ctx.importer } : {}),
      placed,
    }),

    ...retrievalHandlers({
      store,
      annotations: (documentId) => guarded(() => store.annotations(documentId)),
      command,
      placed,
      codePassage: async (documentId, start, end, codeIds) => (await newPassage(documentId, start, end)).create(codeIds, '', me()),
      checkCodes,
    }),

    ...memoHandlers({
      store,
      command: (client, cmd, label) => guarded(() => command(client, cmd, label)),
      author: async (client) => {
        const coder = me();
        // The coder joins the project's list before their first memo, as before their first passage.
        await registerCoder(coder, client);
        return coder;
      },
      now,
      annotations: (documentId) => guarded(() => store.annotations(documentId)),
      passagesOf: async (query) => {
        const rows: PassageRow[] = [];
        for (let offset = 0; ; ) {
          const page = await handlers['passages.query']({ query, sort: 'document', offset, limit: PAGE_MAX }, { client: 'memos' });
          rows.push(...page.rows);
          offset += page.rows.length;
          if (rows.length >= page.total || page.rows.length === 0) return rows;
        }
      },
    }),

    ...collectionHandlers({
      store,
      command: (client, cmd, label) => guarded(() => command(client, cmd, label)),
      now,
      annotations: (documentId) => guarded(() => store.annotations(documentId)),
      placed: (documentId) => guarded(async () => (await placed(documentId)).passages),
    }),

    'variables.create': (input, { client }) => guarded(async () => variableCommand(client, 'create variable', (tx) => planCreateVariable(tx, input))),
    'variables.update': (input, { client }) =>
      guarded(async () => {
        knownVariable(input.id);
        return variableCommand(client, 'edit variable', (tx) => planUpdateVariable(tx, input));
      }),
    'variables.move': (input, { client }) =>
      guarded(async () => {
        knownVariable(input.id);
        return variableCommand(client, 'move variable', (tx) => planMoveVariable(tx, input));
      }),
    'variables.delete': ({ id }, { client }) =>
      guarded(async () => {
        knownVariable(id);
        return variableCommand(client, 'delete variable', (tx) => planDeleteVariable(tx, { id }));
      }),

    'coders.list': async () => store.project.coders,

    'coders.saveMe': async ({ name, initials, color }, { client }: CallContext) => {
      const coder = await guarded(() => ctx.profile.save({ name, initials, color }, store.project.coders.length));
      if (!store.readOnly) await registerCoder(coder, client);
      return coder;
    },

    'documents.list': async () => store.project.documents.map((d) => store.summary(d.id)!),

    'documents.get': ({ documentId }) =>
      guarded(async () => {
        const content = await doc(documentId);
        const citation = store.project.documents.find((d) => d.id === documentId)?.citation;
        return citation ? { ...content, citation } : content;
      }),

    'documents.readCitation': async ({ fileName, content }) => {
      try {
        return citationChoices(content, fileName);
      } catch (e) {
        if (e instanceof BibliographyError) throw new ApiError('invalid_input', e.message);
        throw e;
      }
    },

    'documents.setCitation': ({ documentId, citation, base }, { client }) =>
      guarded(async () => {
        const entry = store.project.documents.find((d) => d.id === documentId);
        if (!entry) throw new ApiError('not_found', `No document with id "${documentId}" in this project.`);
        const was = entry.citation ?? null;
        if (citation === null) {
          if (!was) throw new ApiError('invalid_input', `“${entry.meta.title}” has no imported citation to remove.`);
          return command(client, { kind: 'updateDocument', documentId, changes: {}, base: {}, citation: null, citationBase: was }, 'remove imported citation');
        }
        // The page's item is checked as a stored one is: whole, every field read.
        const item = strictCslItem(citation.item, 'The citation');
        if (typeof item === 'string') throw new ApiError('invalid_input', `${item}.`);
        const changes: DocumentFields = {};
        const expected: DocumentFields = {};
        for (const [key, value] of Object.entries(citationFills(item).fills) as [Exclude<keyof DocumentFields, 'memo'>, string][]) {
          if (value === (entry.meta[key] ?? '')) continue;
          changes[key] = value;
          if (base[key] !== undefined) expected[key] = base[key]!.normalize('NFC').replace(/\s+/g, ' ').trim();
        }
        const next = { format: citation.format, item };
        if (Object.keys(changes).length === 0 && JSON.stringify(was) === JSON.stringify(next)) {
          throw new ApiError('invalid_input', `Nothing to change: “${entry.meta.title}” is cited from this entry already.`);
        }
        return command(client, { kind: 'updateDocument', documentId, changes, base: expected, citation: next, citationBase: was }, 'import citation');
      }),

    'codebook.get': async () => ({ codes: store.project.codebook.codes }),

    'codebook.export': async ({ format }) => {
      const codes = store.project.codebook.codes;
      const base = fileNameOf(store.project.name);
      try {
        if (format === 'qdc') return { fileName: `${base}.qdc`, mimeType: 'application/xml', content: codebookToQdc(codes, 'Gloss'), codes: codes.length };
        if (format === 'md') return { fileName: `${base}.md`, mimeType: 'text/markdown', content: codebookToMarkdown(codes, store.project.name), codes: codes.length };
        const counts = new Map<string, number>();
        for (const d of store.project.documents) for (const [id, n] of Object.entries(store.summary(d.id)?.codeCounts ?? {})) counts.set(id, (counts.get(id) ?? 0) + n);
        return { fileName: `${base}.csv`, mimeType: 'text/csv', content: codebookToCsv(codes, counts), codes: codes.length };
      } catch (e) {
        if (e instanceof CodebookExportError) throw new ApiError('invalid_input', e.message);
        throw e;
      }
    },

    'codebook.previewImport': async ({ content }) => {
      const parsed = readQdc(content);
      const plan = planImport(store.project.codebook.codes, parsed);
      return {
        origin: parsed.origin,
        entries: plan.entries.map((e) => ({
          path: e.path,
          status: e.status,
          ...(e.matchedBy ? { matchedBy: e.matchedBy } : {}),
          ...(e.changes?.length ? { changes: e.changes } : {}),
          updates: e.update !== undefined,
          ...(e.reason ? { reason: e.reason } : {}),
        })),
        counts: plan.counts,
        unchanged: plan.unchanged,
        warnings: parsed.warnings,
      };
    },

    'codebook.import': ({ content }, { client }) =>
      guarded(async () => {
        const parsed = readQdc(content);
        const label = `import codebook${parsed.origin ? ` from ${parsed.origin.slice(0, 40)}` : ''}`;
        return codebookCommand(client, label, [], (src) => {
          // Planned again against the codebook as it is now, inside the transaction.
          const plan = planImport(src.codes, parsed);
          if (plan.unchanged) throw new ApiError('invalid_input', 'Every code of this file is in the codebook already, as it is: importing it changes nothing.');
          let slot = src.codes.reduce((m, c) => Math.max(m, c.slot), -1);
          const color = colorPicker(src.codes);
          try {
            const after = applyPlanToCodes(src.codes, plan, () => randomUUID(), () => ++slot, color);
            return { edit: editBetween(src.codes, after) };
          } catch (e) {
            if (e instanceof CodebookImportError) throw new ApiError('conflict', e.message);
            throw e;
          }
        });
      }),

    'codes.create': (input, { client }) =>
      guarded(async () =>
        codebookCommand(client, 'create code', [], (src) => {
          const { edit, code } = planCreate(src, { ...input, before: input.before ?? null });
          return { edit, codeId: code.id };
        }),
      ),

    'codes.update': (input, { client }) => {
      const code = store.project.codebook.codes.find((c) => c.id === input.id);
      const label =
        input.name !== undefined && input.name !== code?.name
          ? 'rename code'
          : input.color !== undefined && input.color !== code?.color
            ? 'recolour code'
            : input.shortcut !== undefined && input.shortcut !== (code?.shortcut ?? null)
              ? 'set shortcut key'
              : 'edit code definition';
      return guarded(async () => codebookCommand(client, label, [], (src) => ({ edit: planUpdate(src, input), codeId: input.id })));
    },

    'codes.move': (input, { client }) => guarded(async () => codebookCommand(client, 'move code', [], (src) => ({ edit: planMove(src, input), codeId: input.id }))),

    'codes.merge': ({ id, into }, { client }) =>
      guarded(async () => codebookCommand(client, `merge “${nameOf(id)}” into “${nameOf(into)}”`, [id], (src) => ({ edit: planMerge(src, { id, into }), codeId: into }))),

    'codes.delete': ({ id, children }, { client }) =>
      guarded(async () => {
        const ids = children === 'delete' ? withDescendants(store.project.codebook.codes, id) : [id];
        return codebookCommand(client, `delete code “${nameOf(id)}”`, ids, (src) => ({ edit: planDelete(src, { id, children }) }));
      }),

    'codes.usage': ({ id, withDescendants: below }) =>
      guarded(async () => {
        const codes = store.project.codebook.codes;
        if (!codes.some((c) => c.id === id)) throw new ApiError('not_found', `No code with id "${id}" in the codebook.`);
        const ids = below ? withDescendants(codes, id) : [id];
        const documents = documentsUsing(ids);
        const found: { documentId: string; annotation: Annotation }[] = [];
        for (const d of documents) for (const a of await store.annotations(d)) if (a.codeIds.some((c) => ids.includes(c))) found.push({ documentId: d, annotation: a });
        return { ...usageOf({ codes, passagesWith: () => found }, ids), descendants: withDescendants(codes, id).length - 1 };
      }),

    'annotations.list': ({ documentId }) =>
      guarded(async () => {
        await prepare(documentId);
        const list = await store.annotations(documentId);
        // Read synchronously with the list, so the pair is one consistent snapshot.
        const revision = store.revision;
        return { revision, annotations: [...list].sort(compareAnnotations).map(placerFor(documentId)) };
      }),

    'annotations.create': ({ documentId, start, end, codeIds, memo }, { client }) =>
      guarded(async () => {
        const passage = await newPassage(documentId, start, end);
        const codes = checkCodes(codeIds);
        return command(client, passage.create(codes, memo ?? '', me()));
      }),

    'annotations.codeInVivo': ({ documentId, start, end, parentId }, { client }) =>
      guarded(async () => {
        const passage = await newPassage(documentId, start, end);
        const coder = me();
        return plannedCommand(
          client,
          'in-vivo code',
          () => [documentId],
          (tx) =>
            planInVivo(planSource(tx), tx.annotations(documentId), env.place, {
              documentId,
              ...passage.range,
              words: passage.words,
              parentId,
              passage: (codeIds) => passage.create(codeIds, '', coder),
            }),
        );
      }),

    'annotations.addCodes': ({ documentId, id, codeIds }, { client }) => guarded(async () => command(client, { kind: 'addCodes', documentId, id, codeIds: checkCodes(codeIds) })),

    'annotations.removeCodes': ({ documentId, id, codeIds }, { client }) => guarded(async () => command(client, { kind: 'removeCodes', documentId, id, codeIds: [...new Set(codeIds)] })),

    'annotations.setMemo': ({ documentId, id, memo, base, session }, { client }) =>
      guarded(async () => command(client, session === undefined ? { kind: 'setMemo', documentId, id, memo, base } : { kind: 'setMemo', documentId, id, memo, base, session })),

    'annotations.setRange': ({ documentId, id, start, end }, { client }) =>
      guarded(async () => {
        const passage = await newPassage(documentId, start, end);
        const a = (await store.annotations(documentId)).find((p) => p.id === id);
        if (!a) throw new ApiError('not_found', 'The passage was deleted, perhaps in another window.');
        const range = passage.selectors();
        return command(client, { kind: 'setRange', documentId, id, range, expect: { textHash: a.textHash, position: a.position, quote: a.quote } });
      }),

    'annotations.delete': ({ documentId, id }, { client }) => guarded(async () => command(client, { kind: 'delete', documentId, id })),

    'history.get': async (_input, { client }) => histories.view(client),
    'history.undo': (_input, { client }) => guarded(() => move(client, 'undo')),
    'history.redo': (_input, { client }) => guarded(() => move(client, 'redo')),

    'changes.since': async ({ revision }) => feed.since(revision),
  };
  return { handlers, feed };
}
