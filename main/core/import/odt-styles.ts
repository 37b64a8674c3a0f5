import type { Document } from '@xmldom/xmldom';
import { attrNS, child, elements } from './xml';

/**
 * The styles of an OpenDocument text, as far as the importer (odt.ts) needs them: which
 * paragraph styles are quotations or the title (through their parent styles), and which list
 * levels are numbered. Read from content.xml's automatic styles and styles.xml.
 */

const NS = {
  office: 'urn:oasis:names:tc:opendocument:xmlns:office:1.0',
  text: 'urn:oasis:names:tc:opendocument:xmlns:text:1.0',
  style: 'urn:oasis:names:tc:opendocument:xmlns:style:1.0',
} as const;

/** Paragraph styles (by name, spaces decoded, lower case) that are block quotes. */
const QUOTE_STYLES = new Set(['quotations', 'quote', 'block text', 'intense quote']);

/** Paragraph and list styles, enough to tell quotations, titles and ordered lists. */
export class StyleBook {
  private readonly paragraphs = new Map<string, { parent: string; list: string; names: string[] }>();
  private readonly lists = new Map<string, Map<number, boolean>>();

  constructor(content: Document, styles: Document | null) {
    // Content's automatic styles first: styles.xml's automatic ones are for headers and footers
    // and may reuse the same names.
    const containers = [child(content.documentElement!, NS.office, 'automatic-styles'), styles && child(styles.documentElement!, NS.office, 'styles'), styles && child(styles.documentElement!, NS.office, 'automatic-styles')];
    for (const container of containers) {
      if (!container) continue;
      for (const el of elements(container)) {
        const name = attrNS(el, NS.style, 'name');
        if (!name) continue;
        if (el.namespaceURI === NS.style && el.localName === 'style' && attrNS(el, NS.style, 'family') === 'paragraph' && !this.paragraphs.has(name)) {
          const names = [decodeName(name), attrNS(el, NS.style, 'display-name').toLowerCase()].filter(Boolean);
          this.paragraphs.set(name, { parent: attrNS(el, NS.style, 'parent-style-name'), list: attrNS(el, NS.style, 'list-style-name'), names });
        } else if (el.namespaceURI === NS.text && el.localName === 'list-style' && !this.lists.has(name)) {
          const levels = new Map<number, boolean>();
          for (const level of elements(el)) {
            const n = Number.parseInt(attrNS(level, NS.text, 'level'), 10);
            if (!Number.isFinite(n)) continue;
            // A number style with an empty format shows no numbers: a plain list.
            levels.set(n, level.localName === 'list-level-style-number' && attrNS(level, NS.style, 'num-format') !== '');
          }
          this.lists.set(name, levels);
        }
      }
    }
  }

  /** The styles a paragraph style inherits from, itself first (cycles and long chains cut). */
  private chain(name: string): { parent: string; list: string; names: string[] }[] {
    const out = [];
    const seen = new Set<string>();
    for (let n = name; n && !seen.has(n) && out.length < 32; ) {
      seen.add(n);
      const s = this.paragraphs.get(n);
      if (!s) {
        out.push({ parent: '', list: '', names: [decodeName(n)] });
        break;
      }
      out.push(s);
      n = s.parent;
    }
    return out;
  }

  role(style: string): 'quote' | 'title' | null {
    for (const s of this.chain(style)) {
      if (s.names.some((n) => QUOTE_STYLES.has(n))) return 'quote';
      if (s.names.includes('title')) return 'title';
    }
    return null;
  }

  /** The list style a paragraph style names, if any. */
  listOf(style: string): string {
    return this.chain(style).find((s) => s.list)?.list ?? '';
  }

  /** Whether the list style numbers this level; unknown styles are bulleted. */
  ordered(list: string, level: number): boolean {
    const levels = this.lists.get(list);
    return levels?.get(level) ?? levels?.get(1) ?? false;
  }
}

/** Style names encode characters as `_XX_` (a space is `_20_`). */
function decodeName(name: string): string {
  return name.replace(/_([0-9a-f]{2})_/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))).toLowerCase();
}

