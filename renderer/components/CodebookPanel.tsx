import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import type { CodebookFormat } from '../../shared/desktop-bridge';
import { treeRows, type TreeRow } from '../../shared/codebook';
import type { Code } from '../../shared/model';
import { passagesPerCode, type AppState } from '../state';
import { useStore, type Store } from '../store';
import { onMac, shortcutLabel, shortcutsOf } from '../shortcuts';
import { CodeDetails } from './CodeDetails';
import { CodebookImport } from './CodebookImport';
import { CodeTreeRow, type CodeRowActions } from './CodeTreeRow';
import { useTreeDrag } from './tree-drag';
import { VirtualList, type VirtualListHandle } from './VirtualList';

/** A code row's height (one line of name and counts): the first guess before rows are measured. */
const CODE_ROW_ESTIMATE = 30;

/** Passages per code id in the open document (placed and orphaned), and in the whole project. */
function useCounts(store: Store<AppState>): { inDocument: Map<string, number>; inProject: Map<string, number> } {
  const annotations = useStore(store, (s) => s.annotations);
  const orphans = useStore(store, (s) => s.orphans);
  const documents = useStore(store, (s) => s.documents);
  const inDocument = useMemo(() => passagesPerCode([annotations, orphans]), [annotations, orphans]);
  const inProject = useMemo(() => {
    const m = new Map<string, number>();
    for (const d of documents) for (const [c, n] of Object.entries(d.codeCounts)) m.set(c, (m.get(c) ?? 0) + n);
    return m;
  }, [documents]);
  return { inDocument, inProject };
}

/**
 * The rows shown for a search: every code whose name or definition holds the text, with its
 * ancestors (so each match is seen where it sits), all expanded.
 */
function searchRows(codes: readonly Code[], needle: string): TreeRow[] {
  const byId = new Map(codes.map((c) => [c.id, c]));
  const keep = new Set<string>();
  for (const c of codes) {
    if (!(c.name.toLowerCase().includes(needle) || c.description.toLowerCase().includes(needle))) continue;
    for (let x: Code | undefined = c; x && !keep.has(x.id); x = x.parentId === null ? undefined : byId.get(x.parentId)) keep.add(x.id);
  }
  return treeRows(codes.filter((c) => keep.has(c.id)));
}

/**
 * The codebook: a tree of codes with colour, name and counts (in the open document / in the
 * project), searchable by name or definition, collapsible; choosing a code opens its details,
 * where it is edited, moved, merged or deleted (CodeDetails). A code is also moved by dragging
 * its row (tree-drag.ts), and among its siblings with Alt+↑/↓. Virtualised: a codebook of
 * thousands of codes draws only the rows on screen.
 */
export function CodebookPanel({ store, actions }: { store: Store<AppState>; actions: Actions }) {
  const codes = useStore(store, (s) => s.codes);
  const loading = useStore(store, (s) => s.loading);
  const { inDocument, inProject } = useCounts(store);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [search, setSearch] = useState('');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [creating, setCreating] = useState<{ parentId: string | null } | null>(null);
  const [newName, setNewName] = useState('');
  const [exporting, setExporting] = useState<CodebookFormat | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const listHandle = useRef<VirtualListHandle | null>(null);
  const newField = useRef<HTMLInputElement>(null);
  /** The code whose row takes the focus once the tree is drawn again (after a move). */
  const [refocus, setRefocus] = useState<string | null>(null);

  const keys = useMemo(() => shortcutsOf(codes), [codes]);
  const needle = search.trim().toLowerCase();
  const rows = useMemo(() => (needle ? searchRows(codes, needle) : treeRows(codes, collapsed)), [codes, collapsed, needle]);
  const selected = codes.find((c) => c.id === selectedId) ?? null;
  const selectedIndex = selected ? rows.findIndex((r) => r.code.id === selected.id) : -1;

  const toggle = (id: string, open?: boolean): void =>
    setCollapsed((s) => {
      const next = new Set(s);
      const shut = open === undefined ? !next.has(id) : !open;
      if (shut) next.add(id);
      else next.delete(id);
      return next;
    });

  /**
   * The code being moved from the keyboard, whose row keeps the focus from the key to the end of
   * the move. The tree is drawn anew when the change comes in (often before the answer does),
   * and moving a focused element in the DOM drops its focus: it is given back in the same task,
   * so that a second key pressed meanwhile reaches the row, not the page.
   */
  const holdFocus = useRef<string | null>(null);

  // A moved row is drawn elsewhere (or its old element reused): its place is found in the new rows.
  useLayoutEffect(() => {
    const id = refocus ?? holdFocus.current;
    if (id === null) return;
    const i = rows.findIndex((r) => r.code.id === id);
    const row = i >= 0 ? scroller.current?.querySelector(`li[data-index="${i}"]`) : null;
    if (i >= 0 && !(row && row.contains(document.activeElement))) listHandle.current?.focusRow(i);
    if (refocus !== null) setRefocus(null);
  }, [rows, refocus]);

  /** After a move from the tree: the moved code is selected and its row keeps the focus. */
  const moved = (id: string, done: Promise<unknown>): void => {
    holdFocus.current = id;
    void done.then((ok) => {
      if (holdFocus.current === id) holdFocus.current = null;
      if (!ok) return;
      setSelectedId(id);
      setRefocus(id);
    });
  };
  const drag = useTreeDrag(codes, (id, placement) => {
    // Dropped into a collapsed code: opened, so that the code is seen where it went.
    if (placement.parentId !== null) toggle(placement.parentId, true);
    moved(id, actions.moveCode({ id, ...placement }));
  });

  const startCreating = (parentId: string | null): void => {
    setCreating({ parentId });
    setNewName('');
    if (parentId) toggle(parentId, true);
    queueMicrotask(() => newField.current?.focus());
  };

  const create = async (): Promise<void> => {
    if (!creating || newName.trim() === '') return;
    const result = await actions.createCode({ name: newName, parentId: creating.parentId });
    if (!result) return;
    setCreating(null);
    setSearch('');
    if (result.codeId) setSelectedId(result.codeId);
  };

  // The rows' actions: one object, calling the handlers of the latest render.
  const latest = useRef({ toggle, moved, drag, actions });
  latest.current = { toggle, moved, drag, actions };
  const [rowActions] = useState<CodeRowActions>(() => ({
    select: (id) => setSelectedId(id),
    toggle: (id, open) => latest.current.toggle(id, open),
    step: (id, direction) => latest.current.moved(id, latest.current.actions.stepCode(id, direction)),
    drag: (id) => latest.current.drag.rowProps(id),
  }));

  const row = ({ code, depth, hasChildren }: TreeRow, tabbable: boolean) => {
    const key = keys.get(code.id);
    return (
      <CodeTreeRow
        id={code.id}
        name={code.name}
        description={code.description}
        slot={code.slot}
        depth={depth}
        hasChildren={hasChildren}
        open={!collapsed.has(code.id) || needle !== ''}
        searching={needle !== ''}
        here={inDocument.get(code.id) ?? 0}
        all={inProject.get(code.id) ?? 0}
        keyText={key ? shortcutLabel(key, onMac()) : ''}
        current={code.id === selectedId}
        tabbable={tabbable}
        zone={drag.zoneOn(code.id)}
        dragging={drag.dragging === code.id}
        on={rowActions}
      />
    );
  };

  return (
    <section class="codebook" id="codebook" aria-labelledby="codebook-heading">
      <div class="codebook-head">
        <h2 id="codebook-heading">Codes</h2>
        <span>
          <button type="button" class="ghost" onClick={() => startCreating(null)}>
            New code
          </button>
          <CodebookImport actions={actions} />
          <button type="button" class="ghost" aria-expanded={exporting !== null} onClick={() => setExporting(exporting ? null : 'qdc')}>
            Export…
          </button>
        </span>
      </div>
      {exporting ? (
        <form
          class="code-export"
          aria-label="Export the codebook"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await actions.exportCodebook(exporting)) setExporting(null);
          }}
        >
          <label class="inline-field">
            <span>Format</span>
            <select value={exporting} onChange={(e) => setExporting((e.target as HTMLSelectElement).value as CodebookFormat)}>
              <option value="qdc">REFI-QDA codebook (.qdc)</option>
              <option value="csv">CSV (.csv)</option>
              <option value="md">Markdown (.md)</option>
            </select>
          </label>
          <button type="submit" class="primary">
            Export
          </button>
          <button type="button" onClick={() => setExporting(null)}>
            Cancel
          </button>
        </form>
      ) : null}
      <input type="search" class="code-search" aria-label="Search codes" placeholder="Search codes" value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
      {creating ? (
        <form
          class="code-new"
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <label for="code-new-name">{creating.parentId ? `New code under “${codes.find((c) => c.id === creating.parentId)?.name ?? ''}”` : 'New code'}</label>
          <input
            id="code-new-name"
            ref={newField}
            value={newName}
            onInput={(e) => setNewName((e.target as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                setCreating(null);
              }
            }}
          />
          <button type="submit" class="primary" disabled={newName.trim() === ''}>
            Create
          </button>
          <button type="button" onClick={() => setCreating(null)}>
            Cancel
          </button>
        </form>
      ) : null}
      <p class="muted code-counts-legend" aria-hidden="true">
        Passages: this document / project
      </p>
      <div class="code-tree" ref={scroller}>
        {rows.length === 0 && !loading ? <p class="muted">{needle ? 'No code matches.' : 'The codebook is empty.'}</p> : null}
        <VirtualList
          items={rows}
          getKey={(r) => r.code.id}
          estimateSize={CODE_ROW_ESTIMATE}
          renderItem={(r, _i, tabbable) => row(r, tabbable)}
          scrollElement={() => scroller.current}
          label="Codebook"
          class="code-list virtual"
          busy={loading}
          activeIndex={selectedIndex >= 0 ? selectedIndex : undefined}
          handle={listHandle}
          focusTarget=".code-item"
          rowProps={(r) => ({ 'aria-level': r.depth + 1, 'aria-setsize': r.siblings, 'aria-posinset': r.position })}
        />
      </div>
      {selected ? (
        <CodeDetails
          key={selected.id}
          code={selected}
          codes={codes}
          counts={{ here: inDocument.get(selected.id) ?? 0, all: inProject.get(selected.id) ?? 0 }}
          actions={actions}
          onAddChild={() => startCreating(selected.id)}
          onClose={() => {
            setSelectedId(null);
            if (selectedIndex >= 0) listHandle.current?.focusRow(selectedIndex);
          }}
          onGone={(next) => setSelectedId(next)}
        />
      ) : null}
    </section>
  );
}
