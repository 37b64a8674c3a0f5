import { CODE_PALETTE } from '../shared/codebook';
import type { Code } from '../shared/model';
import { MAX_LAYERS } from './viewer/layers';

/**
 * Code colours as CSS classes in a constructed stylesheet. The content security policy forbids
 * inline `style` attributes, and CSSOM is the sanctioned way around that: colours live in
 * custom properties set by classes (`l2-c5` = layer 2 drawn in the colour of the code in slot 5,
 * `code-5` = a swatch of that code) and styles.css decides how layers are drawn. Classes are
 * keyed by each code's stable slot, so recolouring or adding a code changes one rule and no
 * decoration.
 */
let sheet: CSSStyleSheet | null = null;

/** Installs (or replaces) the colour classes for this codebook. */
export function installCodeStyles(codes: readonly Code[]): void {
  const rules: string[] = [];
  for (const code of codes) {
    const color = /^#[0-9a-fA-F]{6}$/.test(code.color) ? code.color : '#888888';
    rules.push(`.code-${code.slot} { --code-color: ${color}; }`);
    for (let layer = 1; layer <= MAX_LAYERS; layer++) rules.push(`.hl.l${layer}-c${code.slot} { --l${layer}: ${color}; }`);
  }
  for (let layer = 1; layer <= MAX_LAYERS; layer++) rules.push(`.hl.l${layer}-cx { --l${layer}: #8a8a8a; }`);
  // The palette offered when colouring a code.
  CODE_PALETTE.forEach((color, i) => rules.push(`.palette-${i} { --code-color: ${color}; }`));
  if (!sheet) {
    sheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
  sheet.replaceSync(rules.join('\n'));
}
