import { useEffect, useMemo, useRef } from 'preact/hooks';
import { anchor } from '../../shared/anchoring';
import { plainText } from '../../shared/plain-text';
import type { Actions } from '../actions';
import { installCodeStyles } from '../code-styles';
import type { AppState } from '../state';
import { useStore, type Store } from '../store';
import type { TextRange } from '../viewer/viewer';
import { CodePicker } from './CodePicker';
import { DocumentList } from './DocumentList';
import { ExportDialog, Notice, PassageChooser } from './Overlays';
import { PassagePanel } from './PassagePanel';
import { Reader, type ReaderHandle } from './Reader';

function isTextField(el: Element | null): boolean {
  return el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && ['text', 'search', ''].includes(el.type));
}

/**
 * Undo/redo from the keyboard or the desktop menu: inside a text field it is the field's own
 * text undo; elsewhere it undoes the last coding action.
 */
export function undoOrRedo(actions: Actions, which: 'undo' | 'redo'): void {
  if (isTextField(document.activeElement)) {
    document.execCommand(which);
    return;
  }
  void (which === 'undo' ? actions.undo() : actions.redo());
}

export function App({ store, actions, isMac }: { store: Store<AppState>; actions: Actions; isMac: boolean }) {
  const project = useStore(store, (s) => s.project);
  const doc = useStore(store, (s) => s.document);
  const annotations = useStore(store, (s) => s.annotations);
  const codes = useStore(store, (s) => s.codes);
  const history = useStore(store, (s) => s.history);
  const loading = useStore(store, (s) => s.loading);
  const handle = useRef<ReaderHandle>({ viewer: null }).current;
  const exportButton = useRef<HTMLButtonElement>(null);

  useEffect(() => installCodeStyles(codes), [codes]);

  // Where each passage sits in the current text: checked against its quote, orphans kept apart.
  const placements = useMemo(() => {
    const out = new Map<string, TextRange | null>();
    if (!doc) return out;
    const text = plainText(doc.meta.title, doc.blocks);
    for (const a of annotations) {
      const found = anchor(text, a.position, a.quote);
      out.set(a.id, found.status === 'orphan' ? null : { start: found.start, end: found.end });
    }
    return out;
  }, [doc, annotations]);
  const orphans = useMemo(() => new Set([...placements].filter(([, at]) => at === null).map(([id]) => id)), [placements]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const mod = isMac ? e.metaKey : e.ctrlKey;
      if (!mod || e.altKey) return;
      const key = e.key.toLowerCase();
      const redo = (key === 'z' && e.shiftKey) || (key === 'y' && !isMac && !e.shiftKey);
      const undo = key === 'z' && !e.shiftKey;
      if (!undo && !redo) return;
      if (isTextField(document.activeElement)) return;
      e.preventDefault();
      void (redo ? actions.redo() : actions.undo());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions, isMac]);

  const shortcut = isMac ? '⌘' : 'Ctrl+';
  return (
    <div class="app">
      <header class="topbar">
        <h1 class="brand">Gloss</h1>
        <span class="project">{project ? project.name : loading ? 'Opening…' : ''}</span>
        <div class="toolbar" role="toolbar" aria-label="Actions">
          {/* aria-disabled, not disabled: a focused button that becomes disabled drops the focus to the page. */}
          <button
            type="button"
            aria-disabled={!history.undoLabel || undefined}
            title={`${shortcut}Z`}
            aria-keyshortcuts={isMac ? 'Meta+Z' : 'Control+Z'}
            onClick={() => void actions.undo()}
          >
            {history.undoLabel ? `Undo ${history.undoLabel}` : 'Undo'}
          </button>
          <button
            type="button"
            aria-disabled={!history.redoLabel || undefined}
            title={`${shortcut}Shift+Z`}
            aria-keyshortcuts={isMac ? 'Meta+Shift+Z' : 'Control+Shift+Z'}
            onClick={() => void actions.redo()}
          >
            {history.redoLabel ? `Redo ${history.redoLabel}` : 'Redo'}
          </button>
          <button
            type="button"
            disabled={!doc}
            onClick={() => {
              const range = handle.viewer?.selectedRange();
              if (!range) {
                actions.notify('info', 'Select some text in the article first.');
                return;
              }
              const r = handle.viewer!.view.coordsAtPos(handle.viewer!.view.state.selection.to);
              actions.openPicker(range, null, { x: r.left, y: r.top, bottom: r.bottom });
            }}
          >
            Code selection…
          </button>
          <button type="button" ref={exportButton} onClick={() => actions.setExportDialog(true)}>
            Export CSV…
          </button>
        </div>
      </header>
      <DocumentList store={store} actions={actions} />
      <Reader store={store} actions={actions} placements={placements} handle={handle} />
      <PassagePanel store={store} actions={actions} orphans={orphans} />
      <CodePicker store={store} actions={actions} onDone={(coded) => handle.viewer?.focus(coded)} textOf={(r) => handle.viewer?.index.text.slice(r.start, r.end) ?? ''} />
      <PassageChooser store={store} actions={actions} onCancel={() => handle.viewer?.focus()} />
      <ExportDialog store={store} actions={actions} onClosed={() => exportButton.current?.focus()} />
      <Notice store={store} actions={actions} />
    </div>
  );
}
