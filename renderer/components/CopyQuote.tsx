import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Actions } from '../actions';
import { isCitationStyle, storedCitationStyle, writePreferences, type CitationStyle } from '../preferences';
import type { PassageRef } from '../../shared/model';
import { copyMessage, copyQuotationKeyLabel, isCopyQuotationKey, type CopyOutcome } from '../quote-actions';
import { onMac } from '../shortcuts';
import { isPending } from '../state';

/** The styles as the user reads them, in the order offered. */
export const CITATION_STYLE_LABELS: Readonly<Record<CitationStyle, string>> = { apa: 'APA 7', chicago: 'Chicago author-date', mla: 'MLA 9' };

/**
 * Copies `passage` as a quotation in `style` (by default the style chosen on this computer for
 * the project in `location`) and says in the window's notice what was copied, or why not.
 */
export async function copyAndTell(actions: Pick<Actions, 'notify' | 'copyQuotation'>, passage: PassageRef, location: string | undefined, style: CitationStyle = storedCitationStyle(location)): Promise<CopyOutcome> {
  if (isPending(passage.id)) {
    const outcome: CopyOutcome = { ok: false, message: 'This passage is still being saved: copy it once “Saving…” has gone.' };
    actions.notify('info', outcome.message);
    return outcome;
  }
  const outcome = await actions.copyQuotation(passage, style);
  actions.notify(outcome.ok ? 'info' : 'error', copyMessage(outcome));
  return outcome;
}

/**
 * A keydown handler's part for Copy quotation (Alt+Shift+C) over a passage: a row of a passages
 * list, or its details. Text fields keep the key (⌥⇧C types “Ç” on macOS).
 */
export function onCopyQuotationKey(e: JSX.TargetedKeyboardEvent<HTMLElement> | KeyboardEvent, copy: () => void): void {
  if (!isCopyQuotationKey(e) || e.defaultPrevented) return;
  const target = e.target;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement || (target instanceof HTMLElement && target.isContentEditable)) return;
  e.preventDefault();
  if (!e.repeat) copy();
}

/**
 * The citation style quotations are copied in, kept per project on this computer; `style` is
 * held by the caller (its copy button uses it), starting from `storedCitationStyle`.
 */
export function CitationStyleSelect({ style, onStyle, location }: { style: CitationStyle; onStyle: (style: CitationStyle) => void; location: string | undefined }) {
  const choose = (value: string): void => {
    if (!isCitationStyle(value)) return;
    onStyle(value);
    if (location !== undefined) writePreferences(location, { citationStyle: value });
  };
  return (
    <label class="copy-quote-style">
      <span>Citation style</span>
      <select value={style} onChange={(e) => choose(e.currentTarget.value)}>
        {(Object.keys(CITATION_STYLE_LABELS) as CitationStyle[]).map((s) => (
          <option key={s} value={s}>
            {CITATION_STYLE_LABELS[s]}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * "Copy quotation" and the citation style it uses. The button is never disabled; what copying
 * did is said in the window's notice.
 */
export function CopyQuotation({ passage, actions, location }: { passage: PassageRef; actions: Pick<Actions, 'notify' | 'copyQuotation'>; location: string | undefined }) {
  const [style, setStyle] = useState<CitationStyle>(() => storedCitationStyle(location));
  const key = copyQuotationKeyLabel(onMac());
  return (
    <div class="copy-quote">
      <button type="button" aria-keyshortcuts={key.aria} title={`Copy the passage as a quotation with its citation (${key.label})`} onClick={() => void copyAndTell(actions, passage, location, style)}>
        Copy quotation
      </button>
      <CitationStyleSelect style={style} onStyle={setStyle} location={location} />
    </div>
  );
}
