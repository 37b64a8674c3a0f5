import { Component } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import { CODE_PALETTE, descendantsOf } from '../../shared/codebook';
import { siblingStep } from '../../shared/code-moves';
import type { Code } from '../../shared/model';
import { codePath, codesInTreeOrder, drawsAlike } from '../state';
import { onMac, SHORTCUT_KEYS, shortcutLabel } from '../shortcuts';
import { useSameWhile } from '../store';
import { sameProps } from './same-props';

/** What the details pane is asking the user to confirm, if anything. */
type Confirming =
  | { kind: 'delete'; passages: number; documents: number; onlyThese: number; descendants: number; children: 'lift' | 'delete' }
  | { kind: 'merge'; into: string; passages: number; documents: number }
  | null;

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/**
 * One code's details, under the codebook tree: its name, colour (a palette of clearly
 * distinguishable colours, or any other) and definition, edited in place; and moving it, merging
 * it into another code and deleting it, each confirmed with what it will touch. Every change is
 * one undoable command.
 */
export function CodeDetails({
  code,
  codes,
  counts,
  actions,
  onAddChild,
  onClose,
  onGone,
}: {
  code: Code;
  codes: readonly Code[];
  counts: { here: number; all: number };
  actions: Actions;
  onAddChild: () => void;
  onClose: () => void;
  /** The code was merged away or deleted: what to select instead (null: nothing). */
  onGone: (next: string | null) => void;
}) {
  const [name, setName] = useState(code.name);
  const [description, setDescription] = useState(code.description);
  const [moveTo, setMoveTo] = useState<string>(code.parentId ?? '');
  const [mergeInto, setMergeInto] = useState<string>('');
  const [confirming, setConfirming] = useState<Confirming>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);

  // What another window changes shows here too, unless the user is editing that field.
  const editing = useRef<{ name: boolean; description: boolean }>({ name: false, description: false });
  useEffect(() => {
    if (!editing.current.name) setName(code.name);
    if (!editing.current.description) setDescription(code.description);
  }, [code.name, code.description]);
  // Moved elsewhere (dragged in the tree, undone, another window): Move to starts from where it is.
  useEffect(() => setMoveTo(code.parentId ?? ''), [code.parentId]);
  // Before the browser paints: a key pressed as soon as the question shows goes to its button.
  useLayoutEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  // The codebook as paths show it: kept across a recolour, so that the code lists (a thousand
  // options each, in a large codebook) are not drawn again for a colour they do not show.
  const tree = useSameWhile(codes, drawsAlike);
  // Where the code can go, and what it can be merged into: any code but itself and those below it.
  const targets = useMemo(() => {
    const below = new Set(descendantsOf(tree, code.id).map((c) => c.id));
    return codesInTreeOrder(tree).filter((c) => c.id !== code.id && !below.has(c.id));
  }, [tree, code.id]);
  // Which other code holds each key, once per codebook rather than a search per key per render.
  const holders = useMemo(() => {
    const by = new Map<string, Code>();
    for (const c of codes) if (c.shortcut && c.id !== code.id && !by.has(c.shortcut)) by.set(c.shortcut, c);
    return by;
  }, [codes, code.id]);

  const canStep = { up: siblingStep(codes, code.id, 'up') !== null, down: siblingStep(codes, code.id, 'down') !== null };
  /** The button for a step among siblings: `aria-disabled` at the end rather than `disabled`, which would drop the focus of a user stepping there. */
  const stepButton = (direction: 'up' | 'down', label: string) => (
    <button
      type="button"
      aria-disabled={!canStep[direction] || undefined}
      onClick={() => {
        if (canStep[direction]) void actions.stepCode(code.id, direction);
      }}
    >
      {label}
    </button>
  );

  const saveName = async (): Promise<void> => {
    editing.current.name = false;
    if (name.trim() === '' || name.trim() === code.name) {
      setName(code.name);
      return;
    }
    if (!(await actions.updateCode({ id: code.id, name }))) setName(code.name);
  };
  const saveDescription = async (): Promise<void> => {
    editing.current.description = false;
    if (description === code.description) return;
    if (!(await actions.updateCode({ id: code.id, description }))) setDescription(code.description);
  };

  const askDelete = async (): Promise<void> => {
    const descendants = descendantsOf(codes, code.id).length;
    const usage = await actions.codeUsage(code.id, false);
    if (usage) setConfirming({ kind: 'delete', ...usage, descendants, children: 'lift' });
  };
  const setChildren = async (children: 'lift' | 'delete'): Promise<void> => {
    const usage = await actions.codeUsage(code.id, children === 'delete');
    if (usage && confirming?.kind === 'delete') setConfirming({ ...confirming, ...usage, children });
  };
  const askMerge = async (): Promise<void> => {
    if (!mergeInto) return;
    const usage = await actions.codeUsage(code.id, false);
    if (usage) setConfirming({ kind: 'merge', into: mergeInto, passages: usage.passages, documents: usage.documents });
  };

  return (
    <section class="code-details" aria-labelledby="code-details-heading">
      <div class="code-details-head">
        <h3 id="code-details-heading" ref={heading} tabIndex={-1}>
          <span class={`swatch code-${code.slot}`} aria-hidden="true" /> {codePath(tree, code.id)}
        </h3>
        <button type="button" class="ghost" aria-label="Close code details" onClick={onClose}>
          ×
        </button>
      </div>
      <p class="muted">
        {plural(counts.here, 'passage')} in this document, {plural(counts.all, 'passage')} in the project
      </p>
      <label class="field">
        <span>Name</span>
        <input
          value={name}
          onFocus={() => (editing.current.name = true)}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
          onBlur={() => void saveName()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void saveName();
            } else if (e.key === 'Escape') {
              e.preventDefault();
              editing.current.name = false;
              setName(code.name);
            }
          }}
        />
      </label>
      <fieldset class="field palette">
        <legend>Colour</legend>
        {CODE_PALETTE.map((color, i) => (
          <button
            key={color}
            type="button"
            class={`swatch-button palette-${i}`}
            aria-label={`Colour ${i + 1} (${color})`}
            aria-pressed={code.color.toLowerCase() === color}
            onClick={() => void (code.color.toLowerCase() === color ? undefined : actions.updateCode({ id: code.id, color }))}
          />
        ))}
        <label class="custom-colour">
          <span>Custom</span>
          <input type="color" value={code.color} onChange={(e) => void actions.updateCode({ id: code.id, color: (e.target as HTMLInputElement).value })} />
        </label>
      </fieldset>
      <label class="field">
        <span>Shortcut key</span>
        <select
          value={code.shortcut ?? ''}
          onChange={(e) => {
            const v = (e.target as HTMLSelectElement).value;
            void actions.updateCode({ id: code.id, shortcut: v === '' ? null : v });
          }}
        >
          <option value="">None</option>
          {SHORTCUT_KEYS.map((k) => {
            const holder = holders.get(k);
            return (
              <option key={k} value={k}>
                {shortcutLabel(k, onMac())}
                {holder ? ` (now ${holder.name})` : ''}
              </option>
            );
          })}
        </select>
      </label>
      <label class="field">
        <span>Definition</span>
        <textarea
          rows={4}
          value={description}
          onFocus={() => (editing.current.description = true)}
          onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)}
          onBlur={() => void saveDescription()}
        />
      </label>
      <div class="code-actions">
        <button type="button" onClick={onAddChild}>
          Add child code
        </button>
        <CodeChoice label="Move to" none="Top level" value={moveTo} codes={tree} choices={targets} onChange={setMoveTo} />
        <button
          type="button"
          disabled={moveTo === (code.parentId ?? '')}
          onClick={() => void actions.moveCode({ id: code.id, parentId: moveTo === '' ? null : moveTo, before: null })}
        >
          Move
        </button>
        {stepButton('up', 'Move up')}
        {stepButton('down', 'Move down')}
        <CodeChoice label="Merge into" none="Choose a code…" value={mergeInto} codes={tree} choices={targets} onChange={setMergeInto} />
        <button type="button" disabled={!mergeInto} onClick={() => void askMerge()}>
          Merge…
        </button>
        <button type="button" class="danger" onClick={() => void askDelete()}>
          Delete…
        </button>
      </div>
      {confirming ? (
        <div class="confirm" role="alertdialog" aria-labelledby="code-confirm-text">
          {confirming.kind === 'merge' ? (
            <p id="code-confirm-text">
              Merge “{code.name}” into “{codes.find((c) => c.id === confirming.into)?.name}”? {plural(confirming.passages, 'passage')} in {plural(confirming.documents, 'document')} will be coded
              with it instead, and “{code.name}” will be deleted. You can undo this.
            </p>
          ) : (
            <>
              <p id="code-confirm-text">
                Delete “{code.name}”? It is on {plural(confirming.passages, 'passage')} in {plural(confirming.documents, 'document')}; they keep their other codes
                {confirming.onlyThese > 0 ? `, and ${plural(confirming.onlyThese, 'passage')} left without any code will be listed as uncoded` : ''}. You can undo this.
              </p>
              {confirming.descendants > 0 ? (
                <fieldset class="field">
                  <legend>Its {plural(confirming.descendants, 'code')} below it</legend>
                  <label>
                    <input type="radio" name="children" checked={confirming.children === 'lift'} onChange={() => void setChildren('lift')} /> Move up a level
                  </label>
                  <label>
                    <input type="radio" name="children" checked={confirming.children === 'delete'} onChange={() => void setChildren('delete')} /> Delete with it
                  </label>
                </fieldset>
              ) : null}
            </>
          )}
          <div class="confirm-buttons">
            <button
              type="button"
              class="danger"
              ref={confirmButton}
              onClick={async () => {
                const c = confirming;
                setConfirming(null);
                const done = c.kind === 'merge' ? await actions.mergeCode(code.id, c.into) : await actions.deleteCode(code.id, c.children);
                if (done) onGone(c.kind === 'merge' ? c.into : null);
              }}
            >
              {confirming.kind === 'merge' ? 'Merge' : 'Delete'}
            </button>
            <button type="button" onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}

interface CodeChoiceProps {
  label: string;
  none: string;
  value: string;
  codes: readonly Code[];
  choices: readonly Code[];
  onChange: (id: string) => void;
}

/**
 * A labelled choice of a code (by its path), with a first option for none (value ''). Drawn
 * again only when a prop changes: it may list every code of a large codebook.
 */
export class CodeChoice extends Component<CodeChoiceProps> {
  override shouldComponentUpdate(next: CodeChoiceProps): boolean {
    return !sameProps(this.props, next);
  }

  override render({ label, none, value, codes, choices, onChange }: CodeChoiceProps) {
    return (
      <label class="inline-field">
        <span>{label}</span>
        <select value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
          <option value="">{none}</option>
          {choices.map((c) => (
            <option key={c.id} value={c.id}>
              {codePath(codes, c.id)}
            </option>
          ))}
        </select>
      </label>
    );
  }
}
