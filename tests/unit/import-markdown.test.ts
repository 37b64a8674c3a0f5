import { describe, expect, it } from 'vitest';
import { importBytes } from '../../main/core/import/formats';
import type { Block } from '../../shared/model';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const para = (text: string): Block => ({ type: 'paragraph', text });

describe('Markdown import', () => {
  it('maps structure to blocks, inline markup to its text', async () => {
    const r = await importBytes(
      'notes.md',
      utf8(`# Field notes\n\nA *very* **long** day, see [the map](https://x.example "t") and \`code\`.\nSame paragraph.\n\n> quoted\n> > deeper\n\n- one\n- two\n  1. nested\n\n| Site | Wave |\n|------|------|\n| A    | 1    |\n\n    indented code\n\n---\n\n![A photo](img/photo.jpg)\n`),
    );
    expect(r.blocks).toEqual([
      { type: 'heading', level: 1, text: 'Field notes' },
      para('A very long day, see the map and code. Same paragraph.'),
      { type: 'blockquote', children: [para('quoted'), { type: 'blockquote', children: [para('deeper')] }] },
      { type: 'list', ordered: false, items: [[para('one')], [para('two'), { type: 'list', ordered: true, items: [[para('nested')]] }]] },
      para('Site | Wave'),
      para('A | 1'),
      para('indented code'),
      para('[Image: A photo]'),
    ]);
    expect(r.meta.title).toBe('notes');
  });

  it('shows raw HTML as the text it is, never as markup', async () => {
    const r = await importBytes('x.md', utf8('<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)> here.\n'));
    expect(r.blocks).toEqual([para('<script>alert(1)</script>'), para('Text <img src=x onerror=alert(1)> here.')]);
  });

  it('takes the properties front matter gives, and nothing it does not', async () => {
    const r = await importBytes('x.md', utf8('---\ntitle: "Interview 3"\nauthors: [Ana Lima, Kim Ji-woo]\ndate: 2024-03-05\npublication: Field journal\nurl: javascript:alert(1)\nsite: Seoul\n---\nBody.\n'));
    expect(r.meta).toEqual({ title: 'Interview 3', author: 'Ana Lima; Kim Ji-woo', date: '2024-03-05', publication: 'Field journal', url: '' });
    expect(r.blocks).toEqual([para('Body.')]);
  });

  it('notes front matter that is not YAML and imports the text anyway', async () => {
    const r = await importBytes('x.md', utf8('---\ntitle: [unclosed\n---\nBody.\n'));
    expect(r.meta.title).toBe('x');
    expect(r.notes[0]).toMatch(/front matter is not valid YAML/);
    expect(r.blocks).toEqual([para('Body.')]);
  });

  it('survives an alias bomb in the front matter', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n');
    const r = await importBytes('x.md', utf8(`---\n${bomb}\ntitle: T\n---\nBody.\n`));
    expect(r.meta.title).toBe('x');
    expect(r.notes[0]).toMatch(/front matter could not be read/);
  });
});
