import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import type { ApiOutput } from '../../shared/api';
import { useModalKeys } from './Dialogs';

type Preview = ApiOutput<'codebook.previewImport'>;

/** The largest file offered to main (it checks again). */
const MAX_BYTES = 10 * 1024 * 1024;

/**
 * Importing a REFI-QDA codebook (.qdc): the user picks a file, sees what importing it would do
 * (new codes, matched codes and what changes in them, conflicts left as they are) and confirms;
 * the import is one undoable step. A file that is not UTF-8, or that main refuses, is refused
 * with the reason and nothing changes.
 */
export function CodebookImport({ actions }: { actions: Actions }) {
  const input = useRef<HTMLInputElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [file, setFile] = useState<{ name: string; content: string; preview: Preview } | null>(null);
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDivElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  const close = (): void => {
    setFile(null);
    opener.current?.focus();
  };
  useModalKeys(file !== null, dialog, close);
  useLayoutEffect(() => {
    if (file) confirm.current?.focus();
  }, [file]);

  const pick = async (chosen: File | undefined): Promise<void> => {
    if (input.current) input.current.value = '';
    if (!chosen) return;
    if (chosen.size > MAX_BYTES) {
      actions.notify('error', `${chosen.name} is larger than 10 MB: it is not a codebook Gloss can import.`);
      return;
    }
    let content: string;
    try {
      content = new TextDecoder('utf-8', { fatal: true }).decode(await chosen.arrayBuffer());
    } catch {
      actions.notify('error', `${chosen.name} is not UTF-8 text, as a REFI-QDA codebook must be. Nothing was imported.`);
      return;
    }
    const preview = await actions.previewCodebookImport(content);
    if (preview) setFile({ name: chosen.name, content, preview });
  };

  const p = file?.preview;
  return (
    <>
      <button type="button" class="ghost" ref={opener} onClick={() => input.current?.click()}>
        Import…
      </button>
      <input ref={input} type="file" accept=".qdc,.xml,application/xml,text/xml" hidden aria-label="REFI-QDA codebook file" onChange={(e) => void pick((e.target as HTMLInputElement).files?.[0])} />
      {file && p ? (
        <div class="modal-backdrop">
          <div class="modal wide" role="dialog" aria-modal="true" aria-labelledby="import-heading" aria-describedby="import-summary" ref={dialog}>
            <h2 id="import-heading">Import codebook</h2>
            <p id="import-summary">
              {file.name}
              {p.origin ? ` (from ${p.origin})` : ''}: {p.counts.new} new, {p.counts.matched} matched ({p.counts.changed} to update), {p.counts.conflicts} conflict{p.counts.conflicts === 1 ? '' : 's'}.
              {p.unchanged ? ' Every code of the file is in the codebook already, as it is: importing it changes nothing.' : ' Conflicts are left as they are. You can undo the import.'}
            </p>
            <ul class="import-entries" aria-label="What the import does" tabIndex={0}>
              {p.entries
                .filter((e) => e.status !== 'matched' || e.updates || (e.changes?.length ?? 0) > 0)
                .map((e, i) => (
                  <li key={i} class={`import-${e.status}`}>
                    <strong>{e.status === 'new' ? 'New' : e.status === 'conflict' ? 'Conflict' : e.updates ? 'Update' : 'Differs'}</strong> {e.path.join(' › ')}
                    {e.changes?.length ? ` (${e.changes.join(', ')}${e.updates ? '' : ', kept as it is'})` : ''}
                    {e.reason ? `: ${e.reason}` : ''}
                  </li>
                ))}
            </ul>
            {p.warnings.length ? (
              <ul class="import-warnings" aria-label="Notes on the file">
                {p.warnings.map((w, i) => (
                  <li key={i}>{w}</li>
                ))}
              </ul>
            ) : null}
            <div class="modal-actions">
              <button type="button" onClick={close}>
                Cancel
              </button>
              <button
                type="button"
                class="primary"
                ref={confirm}
                aria-disabled={busy || p.unchanged || undefined}
                onClick={async () => {
                  if (busy || p.unchanged) return;
                  setBusy(true);
                  const done = await actions.importCodebook(file.content);
                  setBusy(false);
                  if (done) close();
                }}
              >
                Import
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </>
  );
}
