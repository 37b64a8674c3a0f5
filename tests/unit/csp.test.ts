import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';

describe('content security policy', () => {
  it('the page carries the same policy as the headers (less frame-ancestors, which a meta tag cannot set)', () => {
    const html = readFileSync('renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    const expected = CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim()).filter((d) => !d.startsWith('frame-ancestors'));
    expect(meta?.split(';').map((d) => d.trim())).toEqual(expected);
  });
  it('allows no inline script or style and no remote origin', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'/);
  });
  it('the page has no inline script or style', () => {
    const html = readFileSync('renderer/index.html', 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|style="/);
  });
});
