import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import { textblockTexts } from '../../shared/plain-text';
import type { TextVersion } from '../replace-actions';
import type { AppState } from '../state';
import { useStore, type Store } from '../store';
import { useModalKeys } from './Dialogs';

/** When a text was replaced, as the user reads dates. */
function replacedOn(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toLocaleString();
}

/**
 * The open document's earlier texts, each one it had before a new version replaced it: a list
 * by the date replaced (the latest chosen first), and the chosen one's text, read-only.
 */
export function VersionsDialog({ store, actions, onClosed }: { store: Store<AppState>; actions: Actions; onClosed: () => void }) {
  const open = useStore(store, (s) => s.versionsDialog);
  const documentId = useStore(store, (s) => s.openDocumentId);
  const [versions, setVersions] = useState<TextVersion[] | null>(null);
  const [chosen, setChosen] = useState(0);
  const dialog = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);

  useLayoutEffect(() => {
    if (open && documentId) {
      setVersions(null);
      closeButton.current?.focus();
      let current = true;
      void actions.documentVersions(documentId).then((v) => {
        if (!current) return;
        setVersions(v);
        setChosen(v.length - 1);
      });
      wasOpen.current = true;
      return () => {
        current = false;
      };
    }
    if (wasOpen.current) onClosed();
    wasOpen.current = false;
    return undefined;
  }, [open]);
  const close = (): void => actions.setVersionsDialog(false);
  useModalKeys(open, dialog, close);
  if (!open) return null;

  const version = versions?.[chosen];
  return (
    <div class="modal-backdrop">
      <div class="modal wide versions-dialog" role="dialog" aria-modal="true" aria-labelledby="versions-heading" ref={dialog}>
        <h2 id="versions-heading">Earlier versions</h2>
        {versions === null ? (
          <p role="status">Reading the earlier versions…</p>
        ) : versions.length === 0 ? (
          <p>This document has no earlier versions.</p>
        ) : (
          <>
            <ul class="versions-list" aria-label="Versions">
              {versions.map((v, i) => (
                <li key={v.textHash + v.replaced}>
                  <button type="button" aria-pressed={i === chosen} onClick={() => setChosen(i)}>
                    Replaced {replacedOn(v.replaced)}
                  </button>
                </li>
              ))}
            </ul>
            {version ? (
              // Scrollable, so reachable by keyboard by its own Tab stop.
              <section class="version-text" aria-label={`Text replaced ${replacedOn(version.replaced)}`} tabIndex={0}>
                {textblockTexts(version.content.blocks).map((t, i) => (
                  <p key={i}>{t}</p>
                ))}
              </section>
            ) : null}
          </>
        )}
        <div class="modal-actions">
          <button type="button" ref={closeButton} onClick={close}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
