import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import { nameKey, nameProblem } from '../../shared/codebook';
import { inVivoTarget } from '../in-vivo';
import { codeForShortcut, inVivoKeyLabel, isInVivoKey, onMac, shortcutLabel, shortcutOfEvent, shortcutsOf } from '../shortcuts';
import { codePath, codesInTreeOrder, type AppState } from '../state';
import { useStore, type Store } from '../store';
import type { TextRange } from '../viewer/viewer';

/**
 * The code picker beside a selection: typing filters the codebook, arrows and Enter choose,
 * and 1–9 apply one of the first nine codes straight away (while the filter is empty); a name
 * no code has is offered as "Create code “…”". For a selection, a button under the filter (Tab,
 * or Ctrl/⌘+I from anywhere in the picker) codes it in vivo: with a code named after its words
 * (in-vivo.ts). It is not one of the options, so that arrows and Enter choose as they always did.
 * Copying while it is open (and its filter has no text selected) copies the selection being
 * coded, whose text `textOf` gives. Once a code is chosen or Escape pressed, a picker opened for
 * a passage gives the focus back to what opened it; one opened for a selection calls `onDone`.
 */
export function CodePicker({
  store,
  actions,
  onDone,
  textOf,
}: {
  store: Store<AppState>;
  actions: Actions;
  onDone: (coded: boolean) => void;
  textOf: (range: TextRange) => string;
}) {
  const picker = useStore(store, (s) => s.picker);
  const codes = useStore(store, (s) => s.codes);
  const annotations = useStore(store, (s) => s.annotations);
  const recentCodes = useStore(store, (s) => s.recentCodes);
  const inVivoParent = useStore(store, (s) => s.inVivoParent);
  const [filter, setFilter] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLElement | null>(null);

  const entries = useMemo(() => {
    return codesInTreeOrder(codes).map((c) => ({ code: c, path: codePath(codes, c.id), color: c.slot }));
  }, [codes]);
  const keys = useMemo(() => shortcutsOf(codes), [codes]);
  // Unfiltered, the codes this window used last come first (then the tree); filtered, the tree's order.
  const byRecency = useMemo(() => {
    const recent = recentCodes.flatMap((id) => entries.filter((e) => e.code.id === id));
    return recent.length ? [...recent, ...entries.filter((e) => !recentCodes.includes(e.code.id))] : entries;
  }, [entries, recentCodes]);
  const already = new Set(picker?.forId ? (annotations.find((a) => a.id === picker.forId)?.codeIds ?? []) : []);
  const needle = filter.trim().toLowerCase();
  const visible = needle ? entries.filter((e) => e.path.toLowerCase().includes(needle)) : byRecency;
  // Typing a name no code has offers to create it (at the top level) and apply it at once.
  const newName = filter.trim();
  const creatable = newName !== '' && nameProblem(newName) === null && !codes.some((c) => c.parentId === null && nameKey(c.name) === nameKey(newName));
  // Memoised: the selection may be a whole chapter, and its name is read on every key typed.
  const range = picker && !picker.forId ? picker.range : null;
  const inVivo = useMemo(() => (range ? inVivoTarget({ codes, inVivoParent }, textOf(range)) : null), [range, codes, inVivoParent]);
  const options = visible.length + (creatable ? 1 : 0);
  const inVivoKey = inVivoKeyLabel();

  useLayoutEffect(() => {
    setFilter('');
    setActive(0);
    const from = document.activeElement;
    if (picker && from instanceof HTMLElement && !box.current?.contains(from)) opener.current = from;
    // Focus before the browser paints, so keys typed right after opening reach the picker.
    input.current?.focus();
  }, [picker]);
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [active, filter]);

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
    if (creatable && i === visible.length) {
      const { range, forId } = picker;
      const text = range ? textOf(range) : '';
      finish(range !== null);
      actions.closePicker();
      void actions.createCode({ name: newName, parentId: null }).then((made) => {
        if (!made?.codeId) return;
        if (forId) return actions.addCode(forId, made.codeId);
        if (range) return actions.codeRange(range, made.codeId, text);
      });
      return;
    }
    const entry = visible[i];
    if (entry) apply(entry.code.id);
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

  // Room below for the list, and the in-vivo button when there is one.
  const top = Math.min(picker.at.bottom + 6, window.innerHeight - (inVivo ? 360 : 320));
  const left = Math.max(8, Math.min(picker.at.x, window.innerWidth - 360));
  const title = picker.forId ? 'Add a code to the passage' : 'Code the selection';
  return (
    <div
      ref={box}
      class="picker"
      role="dialog"
      aria-label={title}
      style={{ top: `${Math.max(8, top)}px`, left: `${left}px` }}
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
        aria-activedescendant={active < options ? `picker-code-${active}` : undefined}
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
      <ul id="picker-codes" ref={list} role="listbox" aria-label="Codes">
        {visible.map((e, i) => (
          <li
            key={e.code.id}
            id={`picker-code-${i}`}
            role="option"
            aria-selected={i === active}
            aria-disabled={already.has(e.code.id) || undefined}
            aria-keyshortcuts={keys.get(e.code.id)}
            class={`picker-code code-${e.color}${e.code.parentId ? ' child' : ''}`}
            onMouseDown={(ev) => ev.preventDefault()}
            onClick={() => choose(i)}
          >
            <span class="key" aria-hidden="true">
              {keys.has(e.code.id) ? shortcutLabel(keys.get(e.code.id)!, onMac()) : ''}
            </span>
            <span class="swatch" aria-hidden="true" />
            <span class="name">{e.path}</span>
            {already.has(e.code.id) ? <span class="check"> (applied)</span> : null}
          </li>
        ))}
        {creatable ? (
          <li id={`picker-code-${visible.length}`} role="option" aria-selected={active === visible.length} class="picker-code create" onMouseDown={(ev) => ev.preventDefault()} onClick={() => choose(visible.length)}>
            <span class="key" aria-hidden="true">+</span>
            <span class="name">Create code “{newName}”</span>
          </li>
        ) : null}
        {options === 0 ? <li class="empty" role="option" aria-disabled="true" aria-selected="false">No code matches “{filter}”</li> : null}
      </ul>
    </div>
  );
}
