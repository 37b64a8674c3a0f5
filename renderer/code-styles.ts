import { CODE_PALETTE } from '../shared/codebook';
import type { Code } from '../shared/model';
import type { Store } from './store';
import { MAX_LAYERS } from './viewer/layers';

/**
 * Code colours as CSS classes in a constructed stylesheet. The content security policy forbids
 * inline `style` attributes, and CSSOM is the sanctioned way around that: colours live in
 * custom properties set by classes (`l2-c5` = layer 2 drawn in the colour of the code in slot 5,
 * `code-5` = a swatch of that code) and styles.css decides how layers are drawn. Classes are
 * keyed by each code's stable slot, so recolouring or adding a code changes one rule and no
 * decoration.
 *
 * Measured and not taken (bench/codebook-ui.ts, a code on 10,000 passages): each slot's colour
 * as one custom property on an element around the article, which the layer classes read
 * (`.hl.l2-c5 { --l2: var(--c5) }`). Changing that one property restyles the article's laid-out
 * elements at half the cost of a changed rule (no rule set rebuilt, no walk of the page, the
 * matched-properties cache kept), but only in a frame that changes no stylesheet; the swatches
 * spread over every panel still need their rule changed (a property on the root would restyle
 * all 13,000 elements of the window, ~100 ms), and with it the frame cost as much as this one,
 * plus a longer pre-paint.
 */

/** One colour class: `selector { property: value }`. */
export interface ColourRule {
  property: string;
  value: string;
}

/** The colour classes a codebook needs, by selector. */
export type ColourRules = Map<string, ColourRule>;

/** What to do to the sheet to go from one set of rules to the next. */
export interface ColourRulesDiff {
  /** Selectors no longer needed. */
  removed: string[];
  /** Selectors new or with a new value, with the rule they should have. */
  set: [string, ColourRule][];
}

const UNCODED = '#8a8a8a';
const FALLBACK = '#888888';

/** The colour classes for `codes`: a swatch and one class per layer for each slot, plus the fixed ones. */
export function colourRules(codes: readonly Code[]): ColourRules {
  const rules: ColourRules = new Map();
  for (const code of codes) {
    const value = /^#[0-9a-fA-F]{6}$/.test(code.color) ? code.color : FALLBACK;
    rules.set(`.code-${code.slot}`, { property: '--code-color', value });
    for (let layer = 1; layer <= MAX_LAYERS; layer++) rules.set(`.hl.l${layer}-c${code.slot}`, { property: `--l${layer}`, value });
  }
  for (let layer = 1; layer <= MAX_LAYERS; layer++) rules.set(`.hl.l${layer}-cx`, { property: `--l${layer}`, value: UNCODED });
  // The palette offered when colouring a code.
  CODE_PALETTE.forEach((value, i) => rules.set(`.palette-${i}`, { property: '--code-color', value }));
  return rules;
}

/** The rules to remove and to set so that a sheet holding `prev` holds `next`. */
export function diffColourRules(prev: ColourRules, next: ColourRules): ColourRulesDiff {
  const removed: string[] = [];
  for (const selector of prev.keys()) if (!next.has(selector)) removed.push(selector);
  const set: [string, ColourRule][] = [];
  for (const [selector, rule] of next) {
    const old = prev.get(selector);
    if (!old || old.property !== rule.property || old.value !== rule.value) set.push([selector, rule]);
  }
  return { removed, set };
}

let sheet: CSSStyleSheet | null = null;
let installed: ColourRules = new Map();
/** The sheet's rule for each selector of `installed`. */
const ruleOf = new Map<string, CSSStyleRule>();

/**
 * Brings the colour classes up to date with this codebook, touching only the rules whose colour
 * changed: replacing the whole sheet would restyle every highlight and swatch on the page.
 */
export function installCodeStyles(codes: readonly Code[]): void {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
  const next = colourRules(codes);
  const { removed, set } = diffColourRules(installed, next);
  if (removed.length > 0) {
    const gone = new Set(removed.map((s) => ruleOf.get(s)));
    // From the end, so that the indices still to visit are unchanged by each deletion.
    for (let i = sheet.cssRules.length - 1; i >= 0; i--) if (gone.has(sheet.cssRules[i] as CSSStyleRule)) sheet.deleteRule(i);
    for (const s of removed) ruleOf.delete(s);
  }
  for (const [selector, { property, value }] of set) {
    const existing = ruleOf.get(selector);
    if (existing) existing.style.setProperty(property, value);
    else {
      const at = sheet.insertRule(`${selector} { ${property}: ${value}; }`, sheet.cssRules.length);
      ruleOf.set(selector, sheet.cssRules[at] as CSSStyleRule);
    }
  }
  installed = next;
}

/**
 * Keeps the colour classes in step with the store's codebook, in the task that changes it (not
 * in an effect, which runs after the next paint): the first frame after a recolour is drawn in
 * the new colours.
 */
export function followCodeStyles(store: Pick<Store<{ codes: readonly Code[] }>, 'get' | 'subscribe'>): () => void {
  let codes = store.get().codes;
  installCodeStyles(codes);
  return store.subscribe(() => {
    const next = store.get().codes;
    if (next === codes) return;
    codes = next;
    installCodeStyles(codes);
  });
}
