import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import { inVivoTarget } from '../in-vivo';
import { creatableName, matchingEntries, pickerEntries, recentFirst, type PickerEntry } from '../picker-options';
import { codeForShortcut, inVivoKeyLabel, isInVivoKey, onMac, shortcutLabel, shortcutOfEvent, shortcutsOf } from '../shortcuts';
import { codePath, type AppState } from '../state';
import { useStore, type Store } from '../store';
import type { TextRange } from '../viewer/viewer';
import { VirtualList, type VirtualListHandle } from './VirtualList';
import type { Box } from '../placement';
import { usePlacement } from './use-placement';

/** An option's height (one line of path): the first guess before rows are measured. */
const OPTION_ESTIMATE = 27;

/** One option of the listbox: a code, the offer to create one, or the note that nothing matches. */
type PickerOption = { kind: 'code'; entry: PickerEntry } | { kind: 'create'; name: string } | { kind: 'none' };

/** An option's element id, by what it offers (not its place, which every key changes). */
const optionId = (o: PickerOption): string => (o.kind === 'code' ? `picker-code-${o.entry.code.id}` : `picker-${o.kind}`);

/**
 * The code picker beside a selection: typing filters the codebook, arrows and Enter choose,
 * and 1–9 apply one of the first nine codes straight away (while the filter is empty); a name
 * no code has is offered as "Create code “…”". For a selection, a button under the filter (Tab,
 * or Ctrl/⌘+I from anywhere in the picker) codes it in vivo: with a code named after its words
 * (in-vivo.ts). It is not one of the options, so that arrows and Enter choose as they always did.
 * Copying while it is open (and its filter has no text selected) copies the selection being
 * coded, whose text `textOf` gives. Once a code is chosen or Escape pressed, a picker opened for
 * a passage gives the focus back to what opened it; one opened for a selection calls `onDone`.
 * The options are a virtual list: a key redraws the few on screen, whatever the codebook's size,
 * and the active one is always drawn (the filter's `aria-activedescendant` names it).
 * It stands beside `anchor` (the selection's boxes), inside the window and clear of the
 * selection, following it as the article scrolls (use-placement.ts).
 */
export function CodePicker({
  store,
  actions,
  onDone,
  textOf,
  anchor,
}: {
  store: Store<AppState>;
  actions: Actions;
  onDone: (coded: boolean) => void;
  textOf: (range: TextRange) => string;
  /** The boxes the picker stays clear of, read whenever it is placed. */
  anchor: () => readonly Box[];
}) {
  const picker = useStore(store, (s) => s.picker);
  const codes = useStore(store, (s) => s.codes);
  const annotations = useStore(store, (s) => s.annotations);
  const recentCodes = useStore(store, (s) => s.recentCodes);
  const inVivoParent = useStore(store, (s) => s.inVivoParent);
  const [filter, setFilter] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const listHandle = useRef<VirtualListHandle | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLElement | null>(null);

  // Paths and their search keys once per codebook; a key only filters them.
  const entries = useMemo(() => pickerEntries(codes), [codes]);
  const keys = useMemo(() => shortcutsOf(codes), [codes]);
  // Unfiltered, the codes this window used last come first (then the tree); filtered, the tree's order.
  const byRecency = useMemo(() => recentFirst(entries, recentCodes), [entries, recentCodes]);
  const forId = picker?.forId ?? null;
  const already = useMemo(() => new Set(forId ? (annotations.find((a) => a.id === forId)?.codeIds ?? []) : []), [forId, annotations]);
  const visible = useMemo(() => matchingEntries(entries, byRecency, filter), [entries, byRecency, filter]);
  // Typing a name no code has offers to create it (at the top level) and apply it at once.
  const newName = useMemo(() => creatableName(codes, filter), [codes, filter]);
  const items = useMemo((): PickerOption[] => {
    const list: PickerOption[] = visible.map((entry) => ({ kind: 'code', entry }));
    if (newName !== null) list.push({ kind: 'create', name: newName });
    return list.length ? list : [{ kind: 'none' }];
  }, [visible, newName]);
  // Memoised: the selection may be a whole chapter, and its name is read on every key typed.
  const range = picker && !picker.forId ? picker.range : null;
  const inVivo = useMemo(() => (range ? inVivoTarget({ codes, inVivoParent }, textOf(range)) : null), [range, codes, inVivoParent]);
  const options = visible.length + (newName !== null ? 1 : 0);
  const inVivoKey = inVivoKeyLabel();

  // The field, the in-vivo button and the list's rows make the picker's size; the list box itself scrolls. Placed
  // before the filter takes the focus, so that focusing it scrolls nothing.
  usePlacement(box, picker, anchor, { x: picker?.at.x, watch: () => [...(box.current?.querySelectorAll(':scope > input, :scope > .picker-in-vivo, .picker-options') ?? [])] });
  useLayoutEffect(() => {
    setFilter('');
    setActive(0);
    const from = document.activeElement;
    if (picker && from instanceof HTMLElement && !box.current?.contains(from)) opener.current = from;
    // Focus before the browser paints, so keys typed right after opening reach the picker.
    input.current?.focus();
  }, [picker]);
  // Before the frame is painted, so that the active option is seen in it (it is drawn wherever the list is scrolled).
  // Only while open: closed, the handle is that of a list no longer mounted.
  useLayoutEffect(() => {
    if (picker) listHandle.current?.scrollToRow(active);
  }, [picker, active, items]);

  if (!picker) return null;

  const finish = (coded: boolean): void => {
    const back = opener.current;
    if (picker.forId && back?.isConnected) back.focus();
    else onDone(coded);
  };
  const apply = (codeId: string): void => {
    if (picker.forId) void actions.addCode(picker.forId, codeId);
    else if (picker.range) void actions.codeRange(picker.range, codeId, textOf(picker.range));
    finish(picker.range !== null);
  };
  const codeInVivo = (): void => {
    if (!range) return;
    void actions.codeInVivo(range, textOf(range));
    finish(true);
  };
  const choose = (i: number): void => {
    const option = items[i];
    if (option?.kind === 'create') {
      const { range, forId } = picker;
      const text = range ? textOf(range) : '';
      finish(range !== null);
      actions.closePicker();
      void actions.createCode({ name: option.name, parentId: null }).then((made) => {
        if (!made?.codeId) return;
        if (forId) return actions.addCode(forId, made.codeId);
        if (range) return actions.codeRange(range, made.codeId, text);
      });
      return;
    }
    if (option?.kind === 'code') apply(option.entry.code.id);
  };
  /** The option a click in the list is on, by its row's place. */
  const optionAt = (target: EventTarget | null): number | null => {
    const row = target instanceof Element ? target.closest('li[data-index]') : null;
    return row ? Number(row.getAttribute('data-index')) : null;
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    // On the in-vivo button, Enter and Space press it.
    if (e.target !== input.current && (e.key === 'Enter' || e.key === ' ')) return;
    if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, options - 1));
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
    else if (e.key === 'Home' && e.ctrlKey) setActive(0);
    else if (e.key === 'End' && e.ctrlKey) setActive(options - 1);
    else if (e.key === 'Enter') choose(active);
    else if (isInVivoKey(e)) codeInVivo();
    else if (e.key === 'Escape') {
      actions.closePicker();
      finish(false);
    } else {
      // A code's key: digits while the filter is empty (else they are typed), Alt+letter always.
      const key = shortcutOfEvent(e);
      const code = key && (key.startsWith('Alt+') || filter === '') ? codeForShortcut(codes, key) : undefined;
      if (!code) return;
      apply(code.id);
    }
    e.preventDefault();
    e.stopPropagation();
  };

  const codeOption = ({ code, path }: PickerEntry) => {
    const key = keys.get(code.id);
    return (
      <>
        <span class="key" aria-hidden="true">
          {key ? shortcutLabel(key, onMac()) : ''}
        </span>
        <span class="swatch" aria-hidden="true" />
        <span class="name">{path}</span>
        {already.has(code.id) ? <span class="check"> (applied)</span> : null}
      </>
    );
  };
  const createOption = (name: string) => (
    <>
      <span class="key" aria-hidden="true">
        +
      </span>
      <span class="name">Create code “{name}”</span>
    </>
  );

  const title = picker.forId ? 'Add a code to the passage' : 'Code the selection';
  return (
    <div
      ref={box}
      class="picker"
      role="dialog"
      aria-label={title}
      onKeyDown={onKeyDown}
      onFocusOut={(e) => {
        // Focus leaving the picker (a click outside, Tab past its last control) closes it; moving inside keeps it.
        const next = e.relatedTarget as Node | null;
        if (!next || !box.current?.contains(next)) setTimeout(() => store.get().picker === picker && actions.closePicker(), 150);
      }}
      onCopy={(e) => {
        // The filter took the focus (and with it the page's selection) from the article, so the copy would otherwise be empty.
        const field = input.current;
        const text = picker.range ? textOf(picker.range) : '';
        if (!text || !e.clipboardData || (field && field.selectionStart !== field.selectionEnd)) return;
        e.clipboardData.setData('text/plain', text);
        e.preventDefault();
      }}
    >
      <input
        ref={input}
        type="text"
        role="combobox"
        aria-label="Filter codes"
        aria-expanded="true"
        aria-controls="picker-codes"
        aria-autocomplete="list"
        aria-activedescendant={active < options ? optionId(items[active]!) : undefined}
        placeholder="Type to filter or name a new code; a code's key applies it"
        value={filter}
        onInput={(e) => {
          setFilter((e.target as HTMLInputElement).value);
          setActive(0);
        }}
      />
      {inVivo ? (
        <button type="button" class="picker-in-vivo" aria-keyshortcuts={inVivoKey.aria} onMouseDown={(ev) => ev.preventDefault()} onClick={codeInVivo}>
          <span class="name">
            In-vivo code “{inVivo.name}”{' '}
            <span class="hint">
              {inVivo.existing ? '(there already: applies it)' : inVivo.parentId === null ? '(new)' : `(new, under ${codePath(codes, inVivo.parentId)})`}
            </span>
          </span>
          <span class="key-hint" aria-hidden="true">
            {inVivoKey.label}
          </span>
        </button>
      ) : null}
      {/* The listbox is the box that scrolls, as a combobox's popup is expected to be; the virtual list inside is only its rows. */}
      <div
        id="picker-codes"
        role="listbox"
        aria-label="Codes"
        class="picker-list"
        ref={scroller}
        // Pressing an option must not take the focus from the filter; clicking one chooses it.
        onMouseDown={(ev) => optionAt(ev.target) !== null && ev.preventDefault()}
        onClick={(ev) => {
          const i = optionAt(ev.target);
          if (i !== null) choose(i);
        }}
      >
        <VirtualList
          items={items}
          getKey={optionId}
          estimateSize={OPTION_ESTIMATE}
          renderItem={(o) => (o.kind === 'code' ? codeOption(o.entry) : o.kind === 'create' ? createOption(o.name) : `No code matches “${filter}”`)}
          scrollElement={() => scroller.current}
          role="none"
          class="picker-options"
          handle={listHandle}
          alwaysDrawn={active < options ? active : undefined}
          rowProps={(o, i) =>
            o.kind === 'none'
              ? { role: 'option', class: 'empty', 'aria-disabled': 'true', 'aria-selected': 'false' }
              : {
                  id: optionId(o),
                  role: 'option',
                  'aria-selected': i === active,
                  'aria-disabled': (o.kind === 'code' && already.has(o.entry.code.id)) || undefined,
                  'aria-keyshortcuts': o.kind === 'code' ? keys.get(o.entry.code.id) : undefined,
                  class: o.kind === 'code' ? `picker-code code-${o.entry.code.slot}${o.entry.code.parentId ? ' child' : ''}` : 'picker-code create',
                }
          }
        />
      </div>
    </div>
  );
}
