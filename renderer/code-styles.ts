import type { Code } from '../shared/model';
import { MAX_LAYERS } from './viewer/highlights';

/**
 * Code colours as CSS classes in a constructed stylesheet. The content security policy forbids
 * inline `style` attributes, and CSSOM is the sanctioned way around that: colours live in
 * custom properties set by classes (`l2-c5` = layer 2 drawn in code 5's colour,
 * `code-5` = a swatch of code 5) and styles.css decides how layers are drawn.
 */
let sheet: CSSStyleSheet | null = null;

/** Installs (or replaces) the colour classes for this codebook, indexed by codebook order. */
export function installCodeStyles(codes: readonly Code[]): void {
  const rules: string[] = [];
  codes.forEach((code, i) => {
    const color = /^#[0-9a-fA-F]{6}$/.test(code.color) ? code.color : '#888888';
    rules.push(`.code-${i} { --code-color: ${color}; }`);
    for (let layer = 1; layer <= MAX_LAYERS; layer++) rules.push(`.hl.l${layer}-c${i} { --l${layer}: ${color}; }`);
  });
  for (let layer = 1; layer <= MAX_LAYERS; layer++) rules.push(`.hl.l${layer}-cx { --l${layer}: #8a8a8a; }`);
  if (!sheet) {
    sheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
  sheet.replaceSync(rules.join('\n'));
}
