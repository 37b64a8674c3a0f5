/**
 * The Content Security Policy of every Gloss page, the same in the desktop app and in browser
 * mode. Scripts, styles and fonts come only from the app itself; nothing may be framed, posted or
 * fetched elsewhere.
 *
 * `style-src 'self'` forbids `style="…"` attributes in served HTML and inline `<style>` blocks,
 * but not styles set through the DOM (`element.style.setProperty(…)`, which ProseMirror decorations
 * and highlight colours use): CSP governs parsed markup, not CSSOM calls.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";
