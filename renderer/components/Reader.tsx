import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import type { Code, PlacedAnnotation } from '../../shared/model';
import { compareAnnotations } from '../../shared/order';
import { diffInOrder } from '../list-diff';
import { codePath, drawsAlike, isPending, isShown, type AppState } from '../state';
import { useSameWhile, useStore, type Store } from '../store';
import type { Viewer } from '../viewer/viewer';
import { useViewerModule } from '../viewer-module';
import { codeForShortcut, isInVivoKey, shortcutOfEvent } from '../shortcuts';
import type { HighlightPassage } from '../viewer/highlights';
import { FindBar } from './FindBar';
import { onLayoutMemoryFlush, rememberDocument, rememberedPlace, rememberPlace, type ReadingPlace } from '../layout-memory';
import { passageStepOfKey, stepTarget } from '../passage-steps';

/** After scrolling pauses this long, where the reader is is kept (layout-memory.ts). */
const PLACE_SETTLE_MS = 250;

/** A place at the very start needs no memory. */
const worthKeeping = (place: ReadingPlace): ReadingPlace | null => ('px' in place && place.px <= 0 ? null : place);

export interface ReaderHandle {
  viewer: Viewer | null;
}

type ButtonRef = { current: HTMLButtonElement | null };

/** The buttons of the reader's head that open a dialog, for the focus to go back to. */
export interface ReaderButtons {
  properties: ButtonRef;
  replace: ButtonRef;
  versions: ButtonRef;
}

/** The article: a read-only ProseMirror viewer with the passages drawn over it. */
/** `behind`: the passages view is over the article, which keeps its place and layout but is neither seen nor reached. */
export function Reader({ store, actions, handle, buttons, behind }: { store: Store<AppState>; actions: Actions; handle: ReaderHandle; buttons: ReaderButtons; behind: boolean }) {
  const document = useStore(store, (s) => s.document);
  const memo = useStore(store, (s) => s.documents.find((d) => d.id === s.openDocumentId)?.memo ?? '');
  const annotations = useStore(store, (s) => s.annotations);
  // The codebook as highlights and stripes draw it: a recolour or a new description redraws nothing.
  const codes = useSameWhile(useStore(store, (s) => s.codes), drawsAlike);
  const hidden = useStore(store, (s) => s.hiddenCodes);
  const stripes = useStore(store, (s) => s.stripes);
  const selectedId = useStore(store, (s) => s.selectedId);
  const picker = useStore(store, (s) => s.picker);
  const reveal = useStore(store, (s) => s.reveal);
  const mount = useRef<HTMLDivElement>(null);
  /** The document the viewer was last built for. */
  const shownId = useRef<string | null>(null);
  const scroller = useRef<HTMLElement>(null);
  /** Whether the open document has earlier texts, asked again whenever its text changes. */
  const [hasVersions, setHasVersions] = useState(false);
  useEffect(() => {
    setHasVersions(false);
    if (!document) return;
    let current = true;
    void actions.documentVersions(document.id).then((v) => current && setHasVersions(v.length > 0));
    return () => {
      current = false;
    };
  }, [document?.id, document?.textHash]);
  const viewerModule = useViewerModule((e) => actions.notify('error', `The article viewer could not be loaded: ${String(e)}`));

  // A layout effect, like the highlights' below, which need the viewer of this document.
  useLayoutEffect(() => {
    if (!document || !viewerModule || !mount.current || !scroller.current) return;
    const { Viewer } = viewerModule;
    const place = (r: DOMRect) => ({ x: r.left, y: r.top, bottom: r.bottom });
    const viewer = new Viewer(
      mount.current,
      document,
      {
        onSelect: (range, at) => actions.openPicker(range, null, place(at)),
        onPassages: (ids, at) => (ids.length === 1 ? actions.select(ids[0]!) : actions.openChooser(ids, place(at))),
        // A code's shortcut over a selection codes it at once, without the picker; so does In-vivo code.
        onKey: (event, selection) => {
          // Escape with a passage's details shown closes them; the caret stays where it is.
          if (event.key === 'Escape' && store.get().selectedId && !store.get().picker) {
            actions.select(null);
            return true;
          }
          const step = passageStepOfKey(event);
          if (step) {
            const s = store.get();
            const shown = s.annotations.filter((a) => !isPending(a.id) && isShown(a, s.hiddenCodes));
            const caret = viewer.caretOffset();
            // The passage chosen, if the caret is in it; the innermost passage at the caret.
            const chosen = shown.find((a) => a.id === s.selectedId && a.anchor.start <= caret && caret <= a.anchor.end) ?? null;
            const here = shown.filter((a) => a.anchor.start <= caret && caret < a.anchor.end).at(-1) ?? null;
            const current = chosen ?? here;
            const to = stepTarget(shown, caret, step, chosen, here);
            if (to) {
              viewer.scrollTo(to.anchor.start);
              actions.select(to.id);
              viewer.highlights.flash(to.id);
            } else {
              const which = step.sameCode ? (current?.codeIds.length ? 'of these codes ' : null) : '';
              actions.notify('info', which === null ? 'Put the caret in a coded passage first: { and } go to the passages sharing its codes.' : `No coded passage ${which}${step.direction === 1 ? 'after' : 'before'} this point.`);
            }
            return true;
          }
          if (isInVivoKey(event)) {
            const range = selection();
            if (range) {
              void actions.codeInVivo(range, viewer.index.text.slice(range.start, range.end));
              viewer.focus(true);
            } else actions.notify('info', 'Select the words to code in vivo first.');
            return true;
          }
          const key = shortcutOfEvent(event);
          const code = key ? codeForShortcut(store.get().codes, key) : undefined;
          const range = code ? selection() : null;
          if (!code || !range) return false;
          void actions.codeRange(range, code.id, viewer.index.text.slice(range.start, range.end));
          viewer.focus(true);
          return true;
        },
      },
      scroller.current,
    );
    handle.viewer = viewer;
    // The same document again (its properties changed, here or in another window) stays where the user was reading;
    // another one opens where it was left (by its text, at the top of the view), or at its start.
    const location = store.get().project?.location ?? null;
    if (shownId.current !== document.id) {
      const place = location ? rememberedPlace(location, document.id) : undefined;
      if (place) viewer.restoreReadingPlace(place);
      else scroller.current.scrollTop = 0;
      if (location) rememberDocument(location, document.id);
    }
    shownId.current = document.id;
    // Where the reader is, kept once scrolling pauses, when the document is left, and when the page goes.
    const el = scroller.current;
    const keep = (): void => {
      if (location && !viewer.view.isDestroyed) rememberPlace(location, document.id, worthKeeping(viewer.readingPlace()));
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onScroll = (): void => {
      clearTimeout(timer);
      timer = setTimeout(keep, PLACE_SETTLE_MS);
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    const unhook = onLayoutMemoryFlush(keep);
    return () => {
      el.removeEventListener('scroll', onScroll);
      unhook();
      clearTimeout(timer);
      keep();
      handle.viewer = null;
      viewer.destroy();
    };
  }, [document, viewerModule]);

  /** What the viewer was last given, so that a change draws only what differs. */
  const drawn = useRef<{ viewer: Viewer; codes: readonly Code[]; annotations: readonly PlacedAnnotation[]; hidden: ReadonlySet<string> } | null>(null);
  // Before the browser paints (a layout effect): the highlights show in the same frame as the list.
  useLayoutEffect(() => {
    const viewer = handle.viewer;
    if (!viewer) return;
    const slotOf = new Map(codes.map((c) => [c.id, c.slot]));
    const toDrawn = (a: PlacedAnnotation): HighlightPassage => ({
      id: a.id,
      start: a.anchor.start,
      end: a.anchor.end,
      colors: a.codeIds.filter((c) => !hidden.has(c)).map((c) => slotOf.get(c) ?? -1),
      label: (a.codeIds.map((c) => codePath(codes, c)).join(', ') || 'No codes') + (isPending(a.id) ? ' (saving…)' : ''),
    });
    // Orphans are not in `annotations`: they are listed in the panel, never drawn.
    const last = drawn.current;
    const delta = store.get().passagesDelta;
    // A passage whose every code is hidden is not drawn (and, changed, is taken out).
    const update = (put: readonly PlacedAnnotation[], removed: string[]): void => {
      const shown: HighlightPassage[] = [];
      for (const a of put) {
        if (isShown(a, hidden)) shown.push(toDrawn(a));
        else removed.push(a.id);
      }
      viewer.updatePassages(shown, removed);
    };
    if (last && last.viewer === viewer && last.codes === codes && last.hidden === hidden) {
      if (last.annotations === annotations) {
        // Nothing to draw.
      } else if (delta && delta.from === last.annotations) {
        const put: PlacedAnnotation[] = [];
        const removed: string[] = [];
        for (const [id, a] of delta.changes) {
          if (a) put.push(a);
          else removed.push(id);
        }
        update(put, removed);
      } else {
        // Several changes since the last drawing: found by walking both lists.
        const { put, removed } = diffInOrder(last.annotations, annotations, compareAnnotations);
        update(put, removed.map((a) => a.id));
      }
    } else {
      viewer.setPassages((hidden.size ? annotations.filter((a) => isShown(a, hidden)) : annotations).map(toDrawn));
    }
    drawn.current = { viewer, codes, annotations, hidden };
    // Once this frame is painted (a task after the next animation frame), the side panel may draw
    // its (possibly long) list: the article the user opened comes first.
    requestAnimationFrame(() => setTimeout(() => actions.articleDrawn(document?.id ?? null), 0));
  }, [document, annotations, codes, hidden, viewerModule]);

  useEffect(() => handle.viewer?.highlights.setActive(selectedId), [selectedId, document, viewerModule]);
  useEffect(() => handle.viewer?.stripes.setNames(new Map(codes.map((c) => [c.slot, c.name]))), [codes, document, viewerModule]);
  useEffect(() => handle.viewer?.stripes.setEnabled(stripes), [stripes, document, viewerModule]);
  useEffect(() => handle.viewer?.setPending(picker?.range ?? null), [picker, document, viewerModule]);

  // A search's match chosen elsewhere (the search of the texts): selected, in the middle of the view, ready to code.
  const revealRange = useStore(store, (s) => s.revealRange);
  const shownRange = useRef(0);
  useEffect(() => {
    const viewer = handle.viewer;
    if (!viewer || !revealRange || revealRange.seq === shownRange.current || !document || revealRange.documentId !== document.id || behind) return;
    shownRange.current = revealRange.seq;
    viewer.showRange({ start: revealRange.start, end: revealRange.end });
    viewer.focus();
  }, [revealRange, document, viewerModule, behind]);

  useEffect(() => {
    const viewer = handle.viewer;
    const at = reveal && store.get().annotations.find((a) => a.id === reveal.id)?.anchor;
    if (!viewer || !reveal || !at) return;
    viewer.scrollTo(at.start);
    viewer.highlights.flash(reveal.id);
  }, [reveal, viewerModule]);

  return (
    <main class={`reader${stripes ? ' with-stripes' : ''}${behind ? ' behind' : ''}`} aria-label="Article" id="view-article" ref={scroller} inert={behind}>
      <FindBar document={document} ready={viewerModule !== null} viewer={() => handle.viewer} scroller={scroller} />
      {document ? (
        <DocumentDetails pages={document.meta.pages ?? ''} memo={memo} buttons={buttons} hasVersions={hasVersions} actions={actions} />
      ) : (
        <p class="muted">Choose a document.</p>
      )}
      <div ref={mount} class="viewer-mount" />
      <p class="hint" id="reader-hint">
        Select text with the mouse, or with Shift and the arrow keys then Enter, to code it. Click a highlight to open it.
      </p>
    </main>
  );
}

/**
 * Above the article, what its byline (title, authors, publication, date: drawn by the viewer)
 * leaves out: the pages and the document memo (folded, since it may be long), the way to
 * edit them all, and to give the document a new version of its text (or read its earlier ones).
 */
function DocumentDetails({ pages, memo, buttons, hasVersions, actions }: { pages: string; memo: string; buttons: ReaderButtons; hasVersions: boolean; actions: Actions }) {
  return (
    <div class="reader-head">
      <div class="reader-details">
        {pages ? <span class="reader-pages">Pages {pages}</span> : null}
        {memo ? (
          <details class="reader-memo">
            <summary>Document memo</summary>
            <p>{memo}</p>
          </details>
        ) : null}
      </div>
      <div class="reader-head-actions">
        <button type="button" class="ghost" ref={buttons.properties} onClick={() => actions.setPropertiesDialog(true)}>
          Document properties…
        </button>
        <button type="button" class="ghost" ref={buttons.replace} onClick={() => actions.setReplaceDialog(true)}>
          New version of the text…
        </button>
        {hasVersions ? (
          <button type="button" class="ghost" ref={buttons.versions} onClick={() => actions.setVersionsDialog(true)}>
            Earlier versions…
          </button>
        ) : null}
      </div>
    </div>
  );
}
