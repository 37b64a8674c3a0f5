import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CITATION_STYLE, isCitationStyle, readPreferences, storedCitationStyle, writePreferences } from '../../renderer/preferences';
import { copyMessage, copyQuotation, isCopyQuotationKey, type Quotation, type QuoteApi } from '../../renderer/quote-actions';

// The window's side of copying a passage as a quotation: the style kept per project, the
// clipboard routes tried in turn, what the user is told, and the key.

/** A Storage in memory, or one that refuses every write. */
function memoryStorage(refuse = false): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (i: number) => [...items.keys()][i] ?? null,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (refuse) throw new DOMException('full', 'QuotaExceededError');
      items.set(k, v);
    },
    removeItem: (k: string) => void items.delete(k),
    clear: () => items.clear(),
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the citation style kept per project', () => {
  it('is APA until one is chosen, and before a project is open', () => {
    vi.stubGlobal('localStorage', memoryStorage());
    expect(DEFAULT_CITATION_STYLE).toBe('apa');
    expect(storedCitationStyle('/projects/new')).toBe('apa');
    expect(storedCitationStyle(undefined)).toBe('apa');
  });

  it('is kept per project folder, beside the other preferences', () => {
    vi.stubGlobal('localStorage', memoryStorage());
    writePreferences('/projects/one', { inVivoParent: 'a' });
    writePreferences('/projects/one', { citationStyle: 'mla' });
    expect(storedCitationStyle('/projects/one')).toBe('mla');
    expect(readPreferences('/projects/one').inVivoParent).toBe('a');
    expect(storedCitationStyle('/projects/two')).toBe('apa');
    writePreferences('/projects/one', { citationStyle: 'chicago' });
    expect(storedCitationStyle('/projects/one')).toBe('chicago');
  });

  it('reads what is not a style Gloss knows as the default', () => {
    const storage = memoryStorage();
    vi.stubGlobal('localStorage', storage);
    for (const stored of ['harvard', 'APA', '', 42, null, ['mla'], { style: 'mla' }, 'toString', '__proto__']) {
      storage.setItem('gloss.project-preferences:/p', JSON.stringify({ citationStyle: stored }));
      expect(storedCitationStyle('/p'), JSON.stringify(stored)).toBe('apa');
    }
    storage.setItem('gloss.project-preferences:/p', '{not json');
    expect(storedCitationStyle('/p')).toBe('apa');
  });

  it('lasts the page where storage refuses to keep it', () => {
    vi.stubGlobal('localStorage', memoryStorage(true));
    writePreferences('/refused', { citationStyle: 'chicago' });
    expect(storedCitationStyle('/refused')).toBe('chicago');
  });

  it('tells styles from other values', () => {
    expect(['apa', 'chicago', 'mla'].every(isCitationStyle)).toBe(true);
    expect([undefined, 'Chicago', 'hasOwnProperty', 1].some(isCitationStyle)).toBe(false);
  });
});

const quoted: Quotation = {
  text: '“internal policing” (Jang, n.d., para. 6).\n\nJang, S. (n.d.). Secret Police.',
  html: '<p>“internal policing” (Jang, n.d., para. 6).</p><p>Jang, S. (n.d.). <i>Secret Police</i>.</p>',
  inText: '(Jang, n.d., para. 6)',
  reference: 'Jang, S. (n.d.). Secret Police.',
  referenceHtml: 'Jang, S. (n.d.). <i>Secret Police</i>.',
  locator: { label: 'paragraph', value: '6' },
};
const api = (answer: Quotation | Error = quoted): QuoteApi & { asked: unknown[] } => {
  const asked: unknown[] = [];
  return {
    asked,
    'passages.quote': async (input) => {
      asked.push(input);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
};
const ref = { documentId: 'doc', id: '00000000-0000-4000-8000-000000000001' };
const refused = async (): Promise<void> => {
  throw new DOMException('Write permission denied.', 'NotAllowedError');
};

describe('copying a quotation', () => {
  it('asks main for the passage in the style, and writes both plain text and HTML', async () => {
    const quote = api();
    const written: string[][] = [];
    const outcome = await copyQuotation(quote, ref, 'mla', { write: async (text, html) => void written.push([text, html]) });
    expect(quote.asked).toEqual([{ ...ref, style: 'mla' }]);
    expect(written).toEqual([[quoted.text, quoted.html]]);
    expect(outcome).toEqual({ ok: true, quotation: quoted, formats: 'html' });
    expect(copyMessage(outcome)).toBe('Copied with citation (Jang, n.d., para. 6).');
  });

  it('falls back to plain text, then to the copy command, where the clipboard is refused', async () => {
    const plain: string[] = [];
    const viaText = await copyQuotation(api(), ref, 'apa', { write: refused, writeText: async (t) => void plain.push(t), command: () => 'html' });
    expect(plain).toEqual([quoted.text]);
    expect(viaText).toMatchObject({ ok: true, formats: 'text' });
    expect(copyMessage(viaText)).toBe('Copied with citation (Jang, n.d., para. 6) as plain text.');

    const commanded: string[][] = [];
    const viaCommand = await copyQuotation(api(), ref, 'apa', {
      write: refused,
      writeText: refused,
      command: (text, html) => {
        commanded.push([text, html]);
        return 'html';
      },
    });
    expect(commanded).toEqual([[quoted.text, quoted.html]]);
    expect(viaCommand).toMatchObject({ ok: true, formats: 'html' });
    // Where there is no asynchronous Clipboard API at all.
    expect(await copyQuotation(api(), ref, 'apa', { command: () => 'text' })).toMatchObject({ ok: true, formats: 'text' });
  });

  it('never throws: every route refused, or main failing, is a message', async () => {
    const none = await copyQuotation(api(), ref, 'apa', {
      write: refused,
      writeText: refused,
      command: () => {
        throw new Error('no document');
      },
    });
    expect(none).toEqual({ ok: false, message: 'Copying the quotation failed: this window may not use the clipboard.' });
    expect(await copyQuotation(api(), ref, 'apa', {})).toMatchObject({ ok: false });
    const gone = await copyQuotation(api(new Error('The passage was deleted, perhaps in another window.')), ref, 'apa', { write: async () => undefined });
    expect(gone).toEqual({ ok: false, message: 'Copying the quotation failed: The passage was deleted, perhaps in another window.' });
    expect(copyMessage(gone)).toBe(gone.ok ? '' : gone.message);
  });

  it('says when an unplaced passage was quoted without its place', () => {
    const outcome = { ok: true as const, formats: 'html' as const, quotation: { ...quoted, inText: '(Jang, n.d.)', locator: null } };
    expect(copyMessage(outcome)).toBe('Copied with citation (Jang, n.d.), without a page or paragraph: the passage is not placed in the text.');
  });
});

describe('the Copy quotation key', () => {
  const press = (code: string, mods: { ctrl?: boolean; meta?: boolean; alt?: boolean; shift?: boolean }) =>
    ({ code, ctrlKey: !!mods.ctrl, metaKey: !!mods.meta, altKey: !!mods.alt, shiftKey: !!mods.shift }) as KeyboardEvent;

  it('is Alt+Shift+C by the physical key, and nothing near it (Ctrl+Shift+C is the inspector, Alt+C may be a code’s)', () => {
    expect(isCopyQuotationKey(press('KeyC', { alt: true, shift: true }))).toBe(true);
    expect(isCopyQuotationKey(press('KeyC', { ctrl: true, shift: true }))).toBe(false);
    expect(isCopyQuotationKey(press('KeyC', { alt: true }))).toBe(false);
    expect(isCopyQuotationKey(press('KeyC', { alt: true, shift: true, ctrl: true }))).toBe(false);
    expect(isCopyQuotationKey(press('KeyC', { alt: true, shift: true, meta: true }))).toBe(false);
    expect(isCopyQuotationKey(press('KeyV', { alt: true, shift: true }))).toBe(false);
  });
});
