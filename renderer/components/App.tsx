import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { Actions } from '../actions';
import type { AppState } from '../state';
import { useStore, type Store } from '../store';
import { CodebookPanel } from './CodebookPanel';
import { CodePicker } from './CodePicker';
import { DocumentList } from './DocumentList';
import { DocumentProperties } from './DocumentProperties';
import { FileDrop } from './FileDrop';
import { ImportDialog } from './ImportDialog';
import { MemoConflictDialog, ProfileDialog } from './Dialogs';
import { ExportDialog, Notice, PassageChooser } from './Overlays';
import { PassagePanel } from './PassagePanel';
import { PassagesView } from './PassagesView';
import { SearchView } from './SearchView';
import { ViewTabs } from './ViewTabs';
import { MemosView } from './MemosView';
import { CollectionsView } from './CollectionsView';
import { MemoEditor } from './MemoEditor';
import { ProjectDialog } from './ProjectDialog';
import { Reader, type ReaderButtons, type ReaderHandle } from './Reader';
import { ReplaceTextDialog } from './ReplaceTextDialog';
import { VersionsDialog } from './VersionsDialog';
import { PanelToggles, usePanels } from './Panels';
import { boxOfPlace, followArticleScroll, inArticleView, lineBoxAt } from './use-placement';

function isTextField(el: Element | null): el is HTMLInputElement | HTMLTextAreaElement {
  return el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && ['text', 'search', ''].includes(el.type));
}

/** Each text field's value when it was focused, to tell whether the user has typed in it since. */
const valueAtFocus = new WeakMap<Element, string>();
if (typeof document !== 'undefined') {
  document.addEventListener('focusin', (e) => {
    if (isTextField(e.target as Element)) valueAtFocus.set(e.target as Element, (e.target as HTMLInputElement).value);
  });
}

/**
 * Whether Undo/Redo in the focused element means the field's own text undo: only in a text field
 * the user has typed in since focusing it. In an empty or unchanged field, Undo goes on to the
 * window's coding actions, as a user expects when they have not typed anything there.
 */
function fieldOwnsUndo(el: Element | null): boolean {
  if (!isTextField(el)) return false;
  return el.value !== '' && el.value !== valueAtFocus.get(el);
}

/** Undo/redo from the keyboard or the desktop menu (see `fieldOwnsUndo`). */
export function undoOrRedo(actions: Actions, which: 'undo' | 'redo'): void {
  if (fieldOwnsUndo(document.activeElement)) {
    document.execCommand(which);
    return;
  }
  void (which === 'undo' ? actions.undo() : actions.redo());
}

/**
 * The views a key shows in the middle of the window: Ctrl/⌘+Shift+L the passages view (L for the
 * list of every passage), Ctrl/⌘+Shift+F the search of the texts (as editors search all files).
 * Neither is a key Chromium or Electron takes.
 */
export function centerViewOfKey(e: KeyboardEvent, isMac: boolean): 'passages' | 'search' | null {
  if (!(isMac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey) || !e.shiftKey || e.altKey) return null;
  const key = e.key.toLowerCase();
  return key === 'l' ? 'passages' : key === 'f' ? 'search' : null;
}

export function App({ store, actions, isMac }: { store: Store<AppState>; actions: Actions; isMac: boolean }) {
  const project = useStore(store, (s) => s.project);
  const doc = useStore(store, (s) => s.document);
  const history = useStore(store, (s) => s.history);
  const loading = useStore(store, (s) => s.loading);
  const stripes = useStore(store, (s) => s.stripes);
  const handle = useRef<ReaderHandle>({ viewer: null }).current;
  const exportButton = useRef<HTMLButtonElement>(null);
  const coderButton = useRef<HTMLButtonElement>(null);
  const projectButton = useRef<HTMLButtonElement>(null);
  const importButton = useRef<HTMLButtonElement>(null);
  const readerButtons: ReaderButtons = {
    properties: useRef<HTMLButtonElement>(null),
    replace: useRef<HTMLButtonElement>(null),
    versions: useRef<HTMLButtonElement>(null),
  };
  const centerView = useStore(store, (s) => s.centerView);

  const textChanged = useStore(store, (s) => s.textChanged);
  const chooser = useStore(store, (s) => s.chooser);
  const app = useRef<HTMLDivElement>(null);
  const panels = usePanels(store, app, isMac);
  const { shown, arrangement, drawer } = panels;
  const showPassages = useRef(panels.showPassages);
  showPassages.current = panels.showPassages;
  // A passage chosen in the article (a click, the overlap chooser) shows its details, opening the passages if they are hidden.
  const readerActions = useMemo(
    (): Actions => ({
      ...actions,
      select: (id) => {
        actions.select(id);
        if (id) showPassages.current();
      },
    }),
    [actions],
  );
  /** The picker stays clear of the selection's boxes (the part in the article's view), or of what opened it. */
  const pickerAnchor = () => {
    const picker = store.get().picker;
    if (!picker) return [];
    const viewer = handle.viewer;
    return picker.range && viewer ? inArticleView(viewer.rangeBoxes(picker.range)) : [boxOfPlace(picker.at)];
  };
  // The chooser stays clear of the clicked line, following it as the article scrolls.
  const chooserAnchor = useMemo(() => (chooser ? followArticleScroll(lineBoxAt(boxOfPlace(chooser.at))) : () => []), [chooser]);
  const sideClass = (side: 'left' | 'right'): string =>
    `side side-${side}${arrangement[side].docked ? ' docked' : drawer && (side === 'left') === (drawer !== 'passages') ? ' drawer' : ''}`;

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const mod = isMac ? e.metaKey : e.ctrlKey;
      if (!mod || e.altKey) return;
      const key = e.key.toLowerCase();
      const redo = (key === 'z' && e.shiftKey) || (key === 'y' && !isMac && !e.shiftKey);
      const undo = key === 'z' && !e.shiftKey;
      if (!undo && !redo) return;
      if (fieldOwnsUndo(document.activeElement)) return;
      e.preventDefault();
      void (redo ? actions.redo() : actions.undo());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions, isMac]);

  // Ctrl/⌘+Shift+L shows every coded passage of the project (the passages view), Ctrl/⌘+Shift+F the search of its
  // texts; the same key again goes back to the article.
  const toggleCenter = (view: 'passages' | 'search' | 'memos' | 'collections'): void => {
    const next = store.get().centerView === view ? 'article' : view;
    actions.setCenterView(next);
    if (next === 'article') requestAnimationFrame(() => handle.viewer?.focus());
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const view = centerViewOfKey(e, isMac);
      if (!view || e.defaultPrevented) return;
      e.preventDefault();
      if (e.repeat || document.querySelector('[aria-modal="true"]')) return;
      toggleCenter(view);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [isMac]);

  // Escape in the passage's details closes them: back to the text (in the article, the Reader does the same).
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape' || e.defaultPrevented || e.isComposing) return;
      const s = store.get();
      if (!s.selectedId || s.picker || s.chooser || document.querySelector('[aria-modal="true"]')) return;
      const at = document.activeElement;
      if (!at?.closest('#panel-passages .details')) return;
      e.preventDefault();
      actions.select(null);
      handle.viewer?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions]);

  // The open document's text was replaced (here or elsewhere): show the new one.
  useEffect(() => {
    if (textChanged) void actions.reloadText();
  }, [textChanged]);

  const shortcut = isMac ? '⌘' : 'Ctrl+';
  return (
    <div class={drawer ? 'app with-drawer' : 'app'} ref={app}>
      <header class="topbar">
        <h1 class="brand">Gloss</h1>
        <span class="project">
          {project ? (
            <button type="button" class="ghost project-name" ref={projectButton} title="Project settings" aria-describedby="project-button-hint" onClick={() => actions.setProjectDialog(true)}>
              {project.name}
            </button>
          ) : loading ? (
            'Opening…'
          ) : (
            ''
          )}
          <span id="project-button-hint" hidden>
            Project settings
          </span>
        </span>
        <PanelToggles panels={panels} isMac={isMac} />
        <div class="toolbar" role="toolbar" aria-label="Actions">
          {/* aria-disabled, not disabled: a focused button that becomes disabled drops the focus to the page. */}
          <button
            type="button"
            aria-disabled={!history.undo || undefined}
            title={`${shortcut}Z`}
            aria-keyshortcuts={isMac ? 'Meta+Z' : 'Control+Z'}
            onClick={() => void actions.undo()}
          >
            {history.undo ? `Undo ${history.undo}` : 'Undo'}
          </button>
          <button
            type="button"
            aria-disabled={!history.redo || undefined}
            title={`${shortcut}Shift+Z`}
            aria-keyshortcuts={isMac ? 'Meta+Shift+Z' : 'Control+Shift+Z'}
            onClick={() => void actions.redo()}
          >
            {history.redo ? `Redo ${history.redo}` : 'Redo'}
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
          <button type="button" aria-pressed={stripes} title="Code names beside the text" onClick={() => actions.setStripes(!stripes)}>
            Stripes
          </button>
          <button type="button" ref={exportButton} onClick={() => actions.setExportDialog(true)}>
            Export CSV…
          </button>
          {/* The visible name is the accessible name (WCAG 2.5.3); the title says what the button opens. */}
          <button type="button" ref={coderButton} class="coder-button" title="Coder profile" aria-describedby="coder-button-hint" onClick={() => actions.setProfileDialog(true)}>
            <span class="coder-dot" aria-hidden="true" />
            {project?.coder ? project.coder.name : 'Who is coding?'}
          </button>
          <span id="coder-button-hint" hidden>
            Coder profile
          </span>
        </div>
      </header>
      {/* Hidden panels stay mounted (display: none), keeping what they hold: a search, a code's details, a memo being typed. */}
      <div class={sideClass('left')} id="side-left" hidden={!shown.documents && !shown.codes} onKeyDown={panels.onSideKeyDown}>
        <div class="slot slot-documents" id="panel-documents" tabIndex={-1} hidden={!shown.documents}>
          <DocumentList store={store} actions={actions} importButton={importButton} />
        </div>
        {panels.splitters.documents}
        <div class="slot slot-codes" id="panel-codes" tabIndex={-1} hidden={!shown.codes}>
          <CodebookPanel store={store} actions={actions} />
        </div>
      </div>
      {panels.splitters.left}
      <ViewTabs
        current={centerView}
        isMac={isMac}
        onChoose={(view) => {
          actions.setCenterView(view);
          if (view === 'article') requestAnimationFrame(() => handle.viewer?.focus());
        }}
      />
      <Reader store={store} actions={readerActions} handle={handle} buttons={readerButtons} behind={centerView !== 'article'} />
      <PassagesView store={store} actions={actions} shown={centerView === 'passages'} />
      <SearchView store={store} actions={actions} shown={centerView === 'search'} />
      <MemosView store={store} actions={actions} shown={centerView === 'memos'} />
      <CollectionsView store={store} actions={actions} shown={centerView === 'collections'} />
      <div class={`${sideClass('right')} slot`} id="panel-passages" tabIndex={-1} hidden={!shown.passages} onKeyDown={panels.onSideKeyDown}>
        <PassagePanel store={store} actions={actions} selection={() => handle.viewer?.selectedRange() ?? null} />
      </div>
      {/* After the passages in the Tab order (the grid draws it between): from the article, Tab goes on to the passage's details. */}
      {panels.splitters.right}
      {/* 10 characters of the article's font: what its measure and the panels' room are reckoned in. */}
      <span class="measure-probe" aria-hidden="true" />
      <CodePicker
        store={store}
        actions={actions}
        onDone={(coded) => handle.viewer?.focus(coded)}
        textOf={(r) => handle.viewer?.index.text.slice(r.start, r.end) ?? ''}
        anchor={pickerAnchor}
      />
      <PassageChooser store={store} actions={readerActions} onCancel={() => handle.viewer?.focus()} anchor={chooserAnchor} />
      <ExportDialog store={store} actions={actions} onClosed={() => exportButton.current?.focus()} />
      <ProfileDialog store={store} actions={actions} onClosed={() => coderButton.current?.focus()} />
      <ProjectDialog store={store} actions={actions} onClosed={() => projectButton.current?.focus()} />
      <DocumentProperties store={store} actions={actions} onClosed={() => readerButtons.properties.current?.focus()} />
      <ReplaceTextDialog store={store} actions={actions} onClosed={() => readerButtons.replace.current?.focus()} />
      <VersionsDialog store={store} actions={actions} onClosed={() => readerButtons.versions.current?.focus()} />
      <MemoConflictDialog store={store} actions={actions} />
      <MemoEditor store={store} actions={actions} />
      <ImportDialog imports={actions.imports} actions={actions} onClosed={() => importButton.current?.focus()} />
      <FileDrop
        onFiles={(files) => actions.imports.open(files)}
        // Any other modal dialog (the profile, a confirmation, the codebook import) is in the way.
        blocked={() => document.querySelector('[aria-modal="true"]:not(.import-dialog)') !== null}
      />
      <Notice store={store} actions={actions} />
    </div>
  );
}
