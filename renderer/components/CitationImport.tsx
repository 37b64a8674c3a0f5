import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import type { CitationChoice, CitationRead, DocumentFieldKey } from '../document-actions';
import type { CitationSummary, DocumentMeta } from '../../shared/model';

/** The largest file offered to main, in bytes (it checks again, in characters: 5 MB). */
const MAX_BYTES = 15 * 1024 * 1024;

const FORMAT_NAMES: Record<CitationSummary['format'], string> = { bibtex: 'BibTeX', ris: 'RIS', 'csl-json': 'CSL-JSON' };

/** The properties an entry fills, in the dialog's order, with their labels. */
const FILLED: { key: keyof DocumentMeta; label: string }[] = [
  { key: 'title', label: 'Title' },
  { key: 'author', label: 'Authors' },
  { key: 'publication', label: 'Publication' },
  { key: 'date', label: 'Date' },
  { key: 'url', label: 'Address (URL)' },
  { key: 'accessed', label: 'Accessed' },
  { key: 'pages', label: 'Pages' },
];

/**
 * The citation part of the properties dialog: what the document is cited from, and importing a
 * citation from a bibliography file (BibTeX, RIS, CSL-JSON, e.g. exported from Zotero). The
 * user picks a file, chooses one of its entries when it holds several, sees the properties it
 * fills and applies it: one undoable step that saves the item and those properties. A file main
 * cannot read, or a refusal, is said here, with nothing changed.
 */
export function CitationImport({
  actions,
  documentId,
  citation,
  shown,
  onApplied,
}: {
  actions: Actions;
  documentId: string;
  /** The document's imported citation, when it has one. */
  citation: CitationSummary | undefined;
  /** The properties as the dialog showed them: the base of the change. */
  shown: () => Record<DocumentFieldKey, string>;
  /** After a citation was applied or removed: the properties it filled (none for a removal). */
  onApplied: (fills: Partial<DocumentMeta>) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const remover = useRef<HTMLButtonElement>(null);
  const useButton = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLFieldSetElement>(null);
  const [file, setFile] = useState<{ name: string; read: CitationRead; chosen: number | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Where the focus goes after the next render. */
  const [focus, setFocus] = useState<'list' | 'use' | 'opener' | 'remover' | null>(null);
  useLayoutEffect(() => {
    if (focus === 'list') list.current?.querySelector<HTMLInputElement>('input')?.focus();
    else if (focus === 'use') useButton.current?.focus();
    else if (focus === 'opener') opener.current?.focus();
    else if (focus === 'remover') (remover.current ?? opener.current)?.focus();
    if (focus) setFocus(null);
  }, [focus]);

  const pick = async (chosen: File | undefined): Promise<void> => {
    if (input.current) input.current.value = '';
    if (!chosen) return;
    setError(null);
    setFile(null);
    if (chosen.size > MAX_BYTES) {
      setError(`${chosen.name} cannot be imported: it is larger than Gloss reads (5 MB). Nothing was changed.`);
      return;
    }
    let content: string;
    try {
      content = new TextDecoder('utf-8', { fatal: true }).decode(await chosen.arrayBuffer());
    } catch {
      setError(`${chosen.name} cannot be imported: it is not UTF-8 text (export it from your reference manager as UTF-8). Nothing was changed.`);
      return;
    }
    setBusy(true);
    const read = await actions.readCitation(chosen.name, content);
    setBusy(false);
    if (typeof read === 'string') {
      setError(`${read} Nothing was changed.`);
      setFocus('opener');
      return;
    }
    setFile({ name: chosen.name, read, chosen: read.items.length === 1 ? 0 : null });
    setFocus(read.items.length === 1 ? 'use' : 'list');
  };

  const apply = async (choice: CitationChoice): Promise<void> => {
    if (busy || !file) return;
    setBusy(true);
    const refused = await actions.setCitation(documentId, { format: file.read.format, item: choice.item }, shown());
    setBusy(false);
    setError(refused);
    if (refused !== null) return;
    setFile(null);
    onApplied(choice.fills);
    setFocus('remover');
  };

  const remove = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    const refused = await actions.setCitation(documentId, null, shown());
    setBusy(false);
    setError(refused);
    if (refused !== null) return;
    onApplied({});
    setFocus('opener');
  };

  const choice = file && file.chosen !== null ? file.read.items[file.chosen] : undefined;
  return (
    <section class="citation-import" aria-labelledby="citation-heading">
      <h3 id="citation-heading">Citation</h3>
      {citation ? (
        <p id="citation-source">
          Cited from an imported {FORMAT_NAMES[citation.format]} entry ({citation.kind}): {citation.label}.
        </p>
      ) : (
        <p id="citation-source" class="muted">
          Cited from the properties above.
        </p>
      )}
      <div class="citation-actions">
        <button type="button" ref={opener} aria-describedby="citation-source" aria-disabled={busy || undefined} onClick={() => !busy && input.current?.click()}>
          Import citation…
        </button>
        {citation ? (
          <button type="button" ref={remover} aria-disabled={busy || undefined} onClick={() => void remove()}>
            Remove imported citation
          </button>
        ) : null}
      </div>
      <input
        ref={input}
        type="file"
        accept=".bib,.bibtex,.biblatex,.ris,.json,application/x-bibtex,application/x-research-info-systems,application/json"
        hidden
        aria-label="Citation file (BibTeX, RIS or CSL-JSON)"
        onChange={(e) => void pick((e.target as HTMLInputElement).files?.[0])}
      />
      {error ? (
        <p role="alert" class="error-text citation-error">
          {error}
        </p>
      ) : null}
      {file ? (
        <div class="citation-preview">
          {file.read.items.length > 1 ? (
            <fieldset ref={list} class="citation-entries">
              <legend>
                {file.name} holds {file.read.items.length} entries: choose one
              </legend>
              {file.read.items.map((item, i) => (
                <label key={i} class="citation-entry">
                  <input type="radio" name="citation-entry" checked={file.chosen === i} onChange={() => setFile({ ...file, chosen: i })} />
                  <span>
                    {item.label} <span class="muted">({item.kind})</span>
                  </span>
                </label>
              ))}
            </fieldset>
          ) : null}
          {choice ? (
            <>
              <p id="citation-fills-heading">
                {file.read.items.length > 1 ? 'This' : `${file.name} holds one`} {FORMAT_NAMES[file.read.format]} entry ({choice.kind}); it fills:
              </p>
              <dl class="citation-fills">
                {FILLED.filter(({ key }) => choice.fills[key] !== undefined).map(({ key, label }) => (
                  <div key={key}>
                    <dt>{label}</dt>
                    <dd>{choice.fills[key]}</dd>
                  </div>
                ))}
              </dl>
            </>
          ) : null}
          {file.read.warnings.length ? (
            <ul class="citation-warnings" aria-label="Notes on the file">
              {file.read.warnings.slice(0, 20).map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          ) : null}
          <div class="citation-actions">
            <button type="button" ref={useButton} class="primary" aria-disabled={busy || !choice || undefined} onClick={() => choice && void apply(choice)}>
              Use this citation
            </button>
            <button
              type="button"
              onClick={() => {
                setFile(null);
                setFocus('opener');
              }}
            >
              Don’t import
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
