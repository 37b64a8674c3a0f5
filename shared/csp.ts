/**
 * The Content Security Policy of every Gloss page, the same in the desktop app and in browser
 * mode. Scripts, styles and fonts come only from the app itself; nothing may be framed, posted or
 * fetched elsewhere.
 *
 * `style-src 'self'` forbids inline `<style>` blocks and `style` attributes, including ones set
 * with `setAttribute`; it does not govern CSSOM calls. So highlight colours live in a constructed
 * stylesheet (renderer/code-styles.ts) and floating panels are placed through `element.style`.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";
