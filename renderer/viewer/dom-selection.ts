import type { EditorView } from 'prosemirror-view';

/** The browser's selection in a view, in document positions. */
export interface DomSelection {
  anchor: number;
  head: number;
  from: number;
  to: number;
}

/**
 * The browser's selection when it lies in the view, in document positions; null otherwise.
 * ProseMirror learns of selection changes from the asynchronous `selectionchange` event, so
 * right after Shift+Arrow its state can lag one step behind what the user sees; the DOM
 * selection is the truth.
 */
export function domSelection(view: EditorView): DomSelection | null {
  const sel = (view.root as Document).getSelection?.();
  if (!sel || sel.rangeCount === 0 || !sel.anchorNode || !sel.focusNode) return null;
  if (!view.dom.contains(sel.anchorNode) || !view.dom.contains(sel.focusNode)) return null;
  try {
    const anchor = view.posAtDOM(sel.anchorNode, sel.anchorOffset);
    const head = view.posAtDOM(sel.focusNode, sel.focusOffset);
    return { anchor, head, from: Math.min(anchor, head), to: Math.max(anchor, head) };
  } catch {
    return null;
  }
}
