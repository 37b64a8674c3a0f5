import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { repoRoot, skipBrowserTests, useAppAndBrowser } from './harness';

// The tab's icon in browser mode: the page's favicons are Gloss's own icon (build/icons), served
// by the app from its own origin, and load under the page's CSP.

describe.skipIf(skipBrowserTests)('browser mode: the tab’s icon', () => {
  const env = useAppAndBrowser();

  it('each link[rel=icon] is a same-origin PNG of the size it declares, served with the CSP', async () => {
    const { page } = env.ui;
    await page.goto(env.app.url);
    await page.waitForLoadState('load');
    const icons = await page.evaluate(async () => {
      const links = [...document.querySelectorAll<HTMLLinkElement>('link[rel="icon"]')];
      return Promise.all(
        links.map(async (link) => {
          const res = await fetch(link.href);
          const bytes = new Uint8Array(await res.arrayBuffer());
          // Loaded as an image too, which is what img-src in the CSP governs.
          const img = new Image();
          img.src = link.href;
          await img.decode();
          return {
            href: link.href,
            sizes: link.getAttribute('sizes'),
            status: res.status,
            contentType: res.headers.get('content-type'),
            csp: res.headers.get('content-security-policy'),
            bytes: Array.from(bytes),
            decoded: `${img.naturalWidth}x${img.naturalHeight}`,
          };
        }),
      );
    });
    expect(icons.map((i) => i.sizes)).toEqual(['16x16', '32x32']);
    for (const icon of icons) {
      expect(new URL(icon.href).origin).toBe(env.app.server.origin);
      expect(icon).toMatchObject({ status: 200, contentType: 'image/png', csp: CONTENT_SECURITY_POLICY, decoded: icon.sizes });
      const committed = await readFile(path.join(repoRoot, 'build', 'icons', `${icon.sizes}.png`));
      expect(Buffer.from(icon.bytes).equals(committed)).toBe(true);
    }
    expect(env.ui.consoleErrors).toEqual([]);
  });
});
