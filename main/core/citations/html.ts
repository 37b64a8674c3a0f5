/**
 * The HTML that leaves the citation engine, rebuilt from an allow-list: citeproc-js writes a
 * handful of inline tags (italics, bold, super/subscript, a few styled spans) and escapes what a
 * field holds, but a reference is pasted into other programs and may be shown in Gloss's own
 * page, so nothing is trusted. Every tag not on the list becomes text; text is re-escaped; tags
 * are balanced; styled spans become classes (the page's CSP forbids style attributes).
 */

/** Tags kept as they are. */
const KEPT = new Set(['i', 'b', 'sup', 'sub']);
/** citeproc-js's styled spans → the class Gloss writes instead. */
const SPAN_CLASSES: Record<string, string> = {
  'font-style:normal;': 'csl-roman',
  'font-variant:small-caps;': 'csl-small-caps',
  'font-variant:normal;': 'csl-normal-variant',
  'font-weight:normal;': 'csl-normal-weight',
  'text-decoration:underline;': 'csl-underline',
  'text-decoration:none;': 'csl-no-decoration',
  'baseline': 'csl-baseline',
};
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** `s` with `&`, `<`, `>` and `"` escaped, for text and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Text with the character references citeproc-js writes (`&#38;`, `&amp;`, `&#x2019;`) decoded. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,6});/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

/**
 * citeproc-js's HTML output as safe inline HTML: only `<i>`, `<b>`, `<sup>`, `<sub>`,
 * `<span class="nocase">` and `<span class="csl-…">` (from its styled spans); the entry wrapper
 * (`<div class="csl-entry">`) dropped; everything else as escaped text.
 */
export function sanitizeCslHtml(html: string): string {
  let out = '';
  const open: string[] = [];
  for (const [token] of html.matchAll(/<[^<>]*>|[^<]+|</g)) {
    if (!token.startsWith('<') || token === '<') {
      out += escapeHtml(decodeEntities(token));
      continue;
    }
    // citeproc-js's own tags are short; anything long is text (and never meets the pattern).
    const tag = token.length <= 80 ? /^<(\/?)([a-z]+)((?: [a-z-]+="[^"]*")*)>$/i.exec(token) : null;
    if (!tag) {
      out += escapeHtml(decodeEntities(token));
      continue;
    }
    const [, closing, rawName, attrs] = tag;
    const name = rawName!.toLowerCase();
    if (name === 'div' && (closing || /^\s*class="csl-(entry|bib-body|left-margin|right-inline|indent)"\s*$/.test(attrs!))) continue;
    if (closing) {
      if (name === open[open.length - 1]) {
        open.pop();
        out += `</${name}>`;
      } else {
        out += escapeHtml(decodeEntities(token));
      }
      continue;
    }
    const opened = openTag(name, attrs!.trim());
    if (opened) {
      open.push(name);
      out += opened;
    } else {
      out += escapeHtml(decodeEntities(token));
    }
  }
  while (open.length > 0) out += `</${open.pop()}>`;
  return out.trim();
}

/** The tag Gloss writes for an opening tag citeproc-js wrote, or null when it is not allowed. */
function openTag(name: string, attrs: string): string | null {
  if (KEPT.has(name) && attrs === '') return `<${name}>`;
  if (name !== 'span') return null;
  if (attrs === 'class="nocase"') return '<span class="nocase">';
  const style = /^style="([^"]*)"$/.exec(attrs);
  const cls = style ? SPAN_CLASSES[style[1]!.replace(/\s+/g, '')] : undefined;
  return cls ? `<span class="${cls}">` : null;
}

/** The plain text of sanitised HTML (tags removed, references decoded). */
export function htmlToText(html: string): string {
  return decodeEntities(html.replace(/<[^<>]*>/g, ''));
}
