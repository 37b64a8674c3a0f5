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

/**
 * The headers every response of the UI's origin carries, in the desktop app (`app://gloss/`) and
 * in browser mode alike, errors included: the policy above, no MIME sniffing, no Referer sent
 * anywhere, a browsing context and resources no other origin can share, and no framing (for
 * browsers that predate `frame-ancestors`). Caching differs between the two and is left to each.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
});
