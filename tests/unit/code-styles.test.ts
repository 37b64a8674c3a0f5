import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Code } from '../../shared/model';
import { colourRules, diffColourRules } from '../../renderer/code-styles';
import { MAX_LAYERS } from '../../renderer/viewer/layers';

const code = (slot: number, color: string, more: Partial<Code> = {}): Code => ({ id: `c${slot}`, name: `C${slot}`, color, description: '', parentId: null, slot, ...more });

/** The diff between two codebooks' rules, the set part as `selector: value`. */
function diff(prev: readonly Code[], next: readonly Code[]): { removed: string[]; set: string[] } {
  const d = diffColourRules(colourRules(prev), colourRules(next));
  return { removed: d.removed, set: d.set.map(([s, r]) => `${s}: ${r.value}`) };
}

describe('code colour rules', () => {
  it('gives each slot a swatch class and one class per layer', () => {
    const rules = colourRules([code(5, '#112233')]);
    expect(rules.get('.code-5')).toEqual({ property: '--code-color', value: '#112233' });
    expect(rules.get('.hl.l1-c5')).toEqual({ property: '--l1', value: '#112233' });
    expect(rules.get('.hl.l4-c5')).toEqual({ property: '--l4', value: '#112233' });
    expect(rules.has('.hl.l5-c5')).toBe(false);
  });

  it('draws a colour that is not #rrggbb in grey', () => {
    expect(colourRules([code(1, 'red; background: url(x)')]).get('.code-1')!.value).toBe('#888888');
  });

  it('changes nothing when only other fields change', () => {
    expect(diff([code(1, '#112233')], [code(1, '#112233', { name: 'Renamed', description: 'x', shortcut: '3' })])).toEqual({ removed: [], set: [] });
  });

  it('sets only the recoloured slot’s rules', () => {
    const before = [code(1, '#112233'), code(2, '#445566')];
    const after = [code(1, '#112233'), code(2, '#abcdef')];
    expect(diff(before, after)).toEqual({
      removed: [],
      set: ['.code-2: #abcdef', '.hl.l1-c2: #abcdef', '.hl.l2-c2: #abcdef', '.hl.l3-c2: #abcdef', '.hl.l4-c2: #abcdef'],
    });
  });

  it('adds the rules of a new slot and removes those of a deleted one', () => {
    const d = diff([code(1, '#112233'), code(2, '#445566')], [code(1, '#112233'), code(3, '#778899')]);
    expect(d.removed).toEqual(['.code-2', '.hl.l1-c2', '.hl.l2-c2', '.hl.l3-c2', '.hl.l4-c2']);
    expect(d.set).toEqual(['.code-3: #778899', '.hl.l1-c3: #778899', '.hl.l2-c3: #778899', '.hl.l3-c3: #778899', '.hl.l4-c3: #778899']);
  });

  it('installs every rule into an empty sheet', () => {
    const rules = colourRules([code(1, '#112233')]);
    expect(diffColourRules(new Map(), rules).set.length).toBe(rules.size);
  });
});

describe('how styles.css draws the layers', () => {
  /** The declarations of the `.hl` rule, by property, whitespace collapsed. */
  const hl = (): Map<string, string> => {
    const css = readFileSync(new URL('../../renderer/styles.css', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const body = /(?:^|\})\s*\.hl\s*\{([^}]*)\}/.exec(css)![1]!;
    return new Map(
      body
        .split(';')
        .map((d) => d.trim().replace(/\s+/g, ' '))
        .filter(Boolean)
        .map((d) => [d.slice(0, d.indexOf(':')).trim(), d.slice(d.indexOf(':') + 1).trim()] as [string, string]),
    );
  };

  it('draws every layer’s bar from its variable, 3 px each and 1 px apart, outermost lowest', () => {
    const image = hl().get('background-image')!;
    for (let layer = 1; layer <= MAX_LAYERS; layer++) {
      const from = 4 * (layer - 1);
      expect(image).toMatch(new RegExp(`var\\(--l${layer}, transparent\\) ${from}(px)? ${from + 3}px`));
    }
    expect(image).not.toContain(`--l${MAX_LAYERS + 1}`);
    expect(hl().get('background-size')).toBe(`100% ${4 * MAX_LAYERS - 1}px`);
  });

  it('draws the bars as one gradient: a recolour repaints every highlight of the code, and each image is painted per line', () => {
    expect(hl().get('background-image')!.match(/gradient\(/g)).toHaveLength(1);
  });
});
