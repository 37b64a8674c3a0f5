import { defaultTreeAdapter, type DefaultTreeAdapterMap } from 'parse5';

/**
 * Footnotes and endnotes in HTML made readable as plain text, on parse5's tree before the walk
 * (html.ts) maps it to blocks: a reference becomes its number in brackets ("[1]"), a note
 * becomes paragraphs starting with the same "[1] ", and the links back to the text ("↑", "↩︎")
 * go. It knows mammoth's markup (DOCX: `footnote-ref-N` links, a closing list of
 * `footnote-N` items) and EPUB's (`epub:type` noteref/footnote/endnote and the DPUB-ARIA roles).
 * Notes stay where the document puts them: mammoth puts them at the end of the document, EPUB
 * writers at the end of a chapter or beside the reference.
 */

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];
type ParentNode = DefaultTreeAdapterMap['parentNode'];

/** `epub:type` values and DPUB-ARIA roles of one note (the plurals name their containers). */
const FOOTNOTE_TYPES = new Set(['footnote', 'note', 'doc-footnote']);
const ENDNOTE_TYPES = new Set(['endnote', 'rearnote', 'doc-endnote']);
const MAMMOTH_NOTE = /^(?:foot|end)note-\d+$/;
const MAMMOTH_REF = /^(?:foot|end)note-ref-\d+$/;

/** How many notes of each kind a document had. */
export interface NoteCounts {
  footnotes: number;
  endnotes: number;
}

/** What to tell the user about a document's notes; `placed` is where they ended up. */
export function notesSentence(counts: NoteCounts, placed: 'at the end' | 'in place'): string | null {
  const kinds = [counts.footnotes && plural(counts.footnotes, 'footnote'), counts.endnotes && plural(counts.endnotes, 'endnote')].filter(Boolean);
  if (!kinds.length) return null;
  const were = counts.footnotes + counts.endnotes === 1 ? 'was' : 'were';
  return placed === 'at the end'
    ? `${kinds.join(' and ')} ${were} moved to the end of the text as paragraphs numbered as their references in the text are (“[1]”).`
    : `${kinds.join(' and ')} ${were} kept as paragraphs numbered as their references in the text are (“[1]”).`;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** Rewrites the notes under `root` in place (see the module comment); returns how many there were. */
export function markNotes(root: ParentNode): NoteCounts {
  const all = elementsIn(root);
  const labels = new Map<string, string>();
  let refs = 0;
  for (const el of all) {
    if (el.nodeName !== 'a' || !isRef(el)) continue;
    const label = bare(textOf(el)) || String(++refs);
    const target = attr(el, 'href');
    if (target.startsWith('#') && !labels.has(target.slice(1))) labels.set(target.slice(1), label);
    replaceChildren(el, [defaultTreeAdapter.createTextNode(`[${label}]`)]);
  }
  removeAll(all.filter((el) => el.nodeName === 'a' && isBacklink(el)));

  // Labels first: a list item's number is its place among the items before any is rewritten.
  const counts: NoteCounts = { footnotes: 0, endnotes: 0 };
  const notes: { el: Element; label: string }[] = [];
  const positions = new Map<Node, Map<Node, number>>();
  for (const el of all) {
    const kind = noteKind(el);
    if (!kind) continue;
    counts[kind]++;
    notes.push({ el, label: labels.get(attr(el, 'id')) ?? positionLabel(el, positions) ?? String(counts.footnotes + counts.endnotes) });
  }
  const lists = new Set<Element>();
  for (const { el, label } of notes) {
    const first = childrenOf(el).find((c) => !(c.nodeName === '#text' && (c as DefaultTreeAdapterMap['textNode']).value.trim() === ''));
    const holder: Element = first && first.nodeName === 'p' ? (first as Element) : el;
    insertFirst(holder, defaultTreeAdapter.createTextNode(`[${label}] `));
    if (el.nodeName === 'li') {
      rename(el, 'div');
      const parent = el.parentNode;
      if (parent && 'tagName' in parent && (parent.nodeName === 'ol' || parent.nodeName === 'ul')) lists.add(parent);
    }
  }
  // A list that held only notes is now a run of paragraphs, not a list.
  for (const list of lists) if (childrenOf(list).every((c) => !('tagName' in c) || c.nodeName === 'div')) rename(list, 'div');
  return counts;
}

function isRef(a: Element): boolean {
  return tokens(a, 'epub:type').includes('noteref') || tokens(a, 'role').includes('doc-noteref') || MAMMOTH_REF.test(attr(a, 'id'));
}

function isBacklink(a: Element): boolean {
  return (
    tokens(a, 'role').includes('doc-backlink') ||
    tokens(a, 'class').includes('footnote-back') ||
    /^#(?:foot|end)note-ref-\d+$/.test(attr(a, 'href'))
  );
}

function noteKind(el: Element): keyof NoteCounts | null {
  if (el.nodeName === 'a') return null;
  const types = [...tokens(el, 'epub:type'), ...tokens(el, 'role')];
  if (types.some((t) => ENDNOTE_TYPES.has(t))) return 'endnotes';
  if (types.some((t) => FOOTNOTE_TYPES.has(t))) return 'footnotes';
  const id = attr(el, 'id');
  if (el.nodeName !== 'li' || !MAMMOTH_NOTE.test(id)) return null;
  return id.startsWith('end') ? 'endnotes' : 'footnotes';
}

/** A list item's number in its ordered list, as the list shows it; each list's items indexed once. */
function positionLabel(el: Element, positions: Map<Node, Map<Node, number>>): string | null {
  const parent = el.parentNode;
  if (el.nodeName !== 'li' || !parent || parent.nodeName !== 'ol') return null;
  let index = positions.get(parent);
  if (!index) {
    index = new Map(childrenOf(parent).filter((c) => c.nodeName === 'li').map((c, i) => [c, i]));
    positions.set(parent, index);
  }
  const start = Number.parseInt(attr(parent as Element, 'start'), 10);
  return String((Number.isFinite(start) ? start : 1) + (index.get(el) ?? 0));
}

/** A reference's text without the brackets or parentheses some writers put round it. */
function bare(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/^[[(](.*)[\])]$/, '$1').trim().slice(0, 20);
}

function elementsIn(root: ParentNode): Element[] {
  const out: Element[] = [];
  const stack: Node[] = [...childrenOf(root)].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (!('tagName' in n)) continue;
    out.push(n);
    const kids = childrenOf(n);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return out;
}

function textOf(el: Element): string {
  const parts: string[] = [];
  const stack: Node[] = [el];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.nodeName === '#text') parts.push((n as DefaultTreeAdapterMap['textNode']).value);
    else {
      const kids = childrenOf(n);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
  }
  return parts.join('');
}

function childrenOf(n: Node): Node[] {
  return 'childNodes' in n ? (n.childNodes as Node[]) : [];
}

// Children are replaced and removed a list at a time: parse5's detachNode searches and splices
// the parent's children once per node, quadratic in a hostile page with a million of them.
function replaceChildren(el: Element, nodes: DefaultTreeAdapterMap['childNode'][]): void {
  for (const c of el.childNodes) c.parentNode = null;
  el.childNodes = nodes;
  for (const n of nodes) n.parentNode = el;
}

function removeAll(nodes: Element[]): void {
  const byParent = new Map<ParentNode, Set<Node>>();
  for (const n of nodes) {
    if (!n.parentNode) continue;
    const set = byParent.get(n.parentNode) ?? new Set();
    set.add(n);
    byParent.set(n.parentNode, set);
  }
  for (const [parent, gone] of byParent) {
    parent.childNodes = parent.childNodes.filter((c) => !gone.has(c)) as typeof parent.childNodes;
    for (const n of gone) (n as Element).parentNode = null;
  }
}

function insertFirst(el: Element, node: DefaultTreeAdapterMap['childNode']): void {
  const first = el.childNodes[0];
  if (first) defaultTreeAdapter.insertBefore(el, node, first);
  else defaultTreeAdapter.appendChild(el, node);
}

function rename(el: Element, name: string): void {
  el.nodeName = name;
  el.tagName = name;
}

function attr(el: Element, name: string): string {
  return el.attrs.find((a) => a.name === name)?.value ?? '';
}

function tokens(el: Element, name: string): string[] {
  return attr(el, name).toLowerCase().split(/\s+/).filter(Boolean);
}
