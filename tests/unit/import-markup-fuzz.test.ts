import { describe, expect, it } from 'vitest';
import { importBytes } from '../../main/core/import/formats';
import { mutateBytes, outcome, prng } from '../fixtures/import/fuzz';

// Fuzzing the text formats: thousands of generated and mutated inputs per format, in a bounded
// run; every outcome is blocks the store accepts or an ImportFailure, never a crash or a hang.

const PIECES = [
  '<p>', '</p>', '<div>', '</div>', '<h1>', '</h2>', '<ul><li>', '</li>', '<ol>', '<table><tr><td>', '</td></tr>', '<blockquote>', '<pre>', '</pre>',
  '<br>', '<img src="x" onerror="alert(1)">', '<script>alert(1)</script>', '<style>p{}</style>', '<svg><g>', '<math><mi>', '<template>', '<noscript>',
  '<a href="javascript:alert(1)">', '&amp;', '&#x1F468;', '&#0;', '&bogus;', '<!--', '-->', '<![CDATA[', ']]>', '<!DOCTYPE html>', '<?xml?>', '\u0000',
  '\uFEFF', '\uD800', 'text ', 'Família ', '조선 ', '\r\n', '\n\n', '  ', '\t', '"', "'", '<', '>', '/', '=',
  '# ', '## ', '> ', '- ', '1. ', '| a | b |\n|---|---|\n', '```\n', '    code', '---\n', 'title: x\n', '*', '_', '[x](y)', '![alt](img.png)', '\\',
];

function generated(rnd: () => number): string {
  let s = '';
  const n = 1 + Math.floor(rnd() * 60);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rnd() * PIECES.length)]!;
  return s;
}

describe('fuzzing the text importers', () => {
  it.each([
    ['page.html', 11],
    ['notes.md', 12],
    ['transcript.txt', 13],
  ])('%s: 3,000 generated and mutated inputs, each blocks or a refusal', async (name, seed) => {
    const rnd = prng(seed);
    const counts = { ok: 0, refused: 0 };
    const base = new TextEncoder().encode('---\ntitle: "Interview"\n---\n# Heading\n\n<p>Para <b>bold</b></p>\n\n- item\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
    for (let i = 0; i < 3000; i++) {
      const bytes = i % 2 === 0 ? new TextEncoder().encode(generated(rnd)) : mutateBytes(base, rnd);
      counts[await outcome(importBytes(name, bytes))]++;
    }
    // Both kinds of outcome happen: the inputs reach past the checks at the door.
    expect(counts.ok).toBeGreaterThan(500);
    expect(counts.refused).toBeGreaterThan(10);
  }, 30_000);
});
