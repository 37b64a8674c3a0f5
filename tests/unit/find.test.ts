import { afterEach, describe, expect, it, vi } from 'vitest';
import { foldText } from '../../shared/folded-text';
import { SearchError, type Hit } from '../../shared/text-search';
import { countLabel, drawnRange, firstFrom, MAX_MATCHES, step, stepFrom, typingDelayMs, wrapNote } from '../../renderer/find-matches';
import { answer, packHits, unpackHits, type FindReply, type FindRequest, type WorkerText } from '../../renderer/find-protocol';
import { PlainSearch, Superseded, tooLongMessage, WorkerSearch, type WorkerLike } from '../../renderer/find-search';
import { findStepOfKey, isFindKey } from '../../renderer/shortcuts';

// Find in the article: which match is current and where next/previous go, what the count says,
// which matches are drawn, the worker's protocol and time limit, and its keys.

const hits = (...starts: number[]): Hit[] => starts.map((s) => ({ start: s, end: s + 3 }));

describe('the current match and stepping', () => {
  it('starts at the first match at or after where the reader was, going round to the first', () => {
    const h = hits(10, 20, 30);
    expect(firstFrom(h, 0)).toBe(0);
    expect(firstFrom(h, 20)).toBe(1);
    expect(firstFrom(h, 21)).toBe(2);
    expect(firstFrom(h, 31)).toBe(0);
    expect(firstFrom([], 5)).toBe(-1);
  });

  it('steps forward and back, saying when it went round an end', () => {
    expect(step(0, 3, 1)).toEqual({ index: 1, wrapped: false });
    expect(step(2, 3, 1)).toEqual({ index: 0, wrapped: true });
    expect(step(0, 3, -1)).toEqual({ index: 2, wrapped: true });
    expect(step(-1, 3, -1)).toEqual({ index: 2, wrapped: false });
    expect(step(0, 1, 1)).toEqual({ index: 0, wrapped: false });
    expect(step(0, 0, 1)).toEqual({ index: -1, wrapped: false });
    expect(wrapNote(1)).toBe('Back at the first match');
    expect(wrapNote(-1)).toBe('Back at the last match');
  });

  it('steps first to the match nearest the caret when none is current (the text changed under the bar)', () => {
    const h = hits(10, 20, 30);
    expect(stepFrom(h, 15, 1)).toBe(1);
    expect(stepFrom(h, 15, -1)).toBe(0);
    expect(stepFrom(h, 5, -1)).toBe(2);
    expect(stepFrom(h, 35, 1)).toBe(0);
    expect(stepFrom(h, 35, -1)).toBe(2);
    expect(stepFrom([], 0, 1)).toBe(-1);
  });

  it('counts "3 of 17", "No matches", and past the limit "1 of 100,000+"', () => {
    expect(countLabel(2, { hits: hits(...Array.from({ length: 17 }, (_, i) => i * 5)), truncated: false })).toBe('3 of 17');
    expect(countLabel(-1, { hits: [], truncated: false })).toBe('No matches');
    expect(countLabel(-1, { hits: hits(1), truncated: false })).toBe('1 match');
    const many = { hits: new Array<Hit>(MAX_MATCHES).fill({ start: 0, end: 1 }), truncated: true };
    expect(countLabel(0, many)).toBe('1 of 100,000+');
  });

  it('searches at once on a short text and waits a moment on a long one or for a regular expression', () => {
    expect(typingDelayMs(50_000, false)).toBe(0);
    expect(typingDelayMs(5_000_000, false)).toBeGreaterThan(typingDelayMs(500_000, false));
    expect(typingDelayMs(100, true)).toBeGreaterThan(0);
  });
});

describe('the matches drawn', () => {
  const h = hits(0, 10, 20, 30, 40, 50, 60, 70, 80, 90);

  it('are those overlapping the text around the screen', () => {
    expect(drawnRange(h, 25, 55, 100)).toEqual([3, 6]);
    // A match straddling either edge is drawn.
    expect(drawnRange(h, 22, 51, 100)).toEqual([2, 6]);
    expect(drawnRange(h, 23, 50, 100)).toEqual([3, 5]);
    expect(drawnRange(h, 200, 300, 100)).toEqual([10, 10]);
    expect(drawnRange([], 0, 10, 100)).toEqual([0, 0]);
  });

  it('are at most `max`, taken around the middle of the screen', () => {
    expect(drawnRange(h, 0, 100, 4, 50)).toEqual([3, 7]);
    expect(drawnRange(h, 0, 100, 4, 0)).toEqual([0, 4]);
    expect(drawnRange(h, 0, 100, 4, 95)).toEqual([6, 10]);
    const [first, last] = drawnRange(hits(...Array.from({ length: 100_000 }, (_, i) => i * 3)), 0, 300_000, 2000, 150_000);
    expect(last - first).toBe(2000);
    expect(first).toBeLessThanOrEqual(50_000);
    expect(last).toBeGreaterThan(50_000);
  });
});

describe('the worker protocol', () => {
  const request = (over: Partial<FindRequest> = {}): FindRequest => ({ id: 1, textKey: 'doc@1', query: 'wave \\d+', opts: { regex: true }, limit: 10, ...over });
  const text = 'Wave 1, wave 2 and WAVE 10.';
  const offsets = (reply: FindReply): Hit[] => (reply.ok ? unpackHits(reply.hits) : []);

  it('packs matches into one transferable array and back', () => {
    const h = [{ start: 1, end: 4 }, { start: 7, end: 9 }];
    expect([...packHits(h)]).toEqual([1, 4, 7, 9]);
    expect(unpackHits(packHits(h))).toEqual(h);
  });

  it('answers with the matches, keeping the text for the next request of that version', () => {
    const first = answer(request({ text }), null);
    expect(offsets(first.reply).map((m) => text.slice(m.start, m.end))).toEqual(['Wave 1', 'wave 2', 'WAVE 10']);
    expect(first.kept).toEqual({ key: 'doc@1', text });
    const second = answer(request({ id: 2, query: 'wave', opts: { regex: true, caseSensitive: true } }), first.kept);
    expect(second.reply).toMatchObject({ id: 2, ok: true, truncated: false });
    expect(offsets(second.reply)).toEqual([{ start: 8, end: 12 }]);
  });

  it('says when there are more than the limit', () => {
    const reply = answer(request({ text: 'a'.repeat(50), query: 'a', opts: {}, limit: 10 }), null).reply;
    expect(reply).toMatchObject({ ok: true, truncated: true });
    expect(offsets(reply)).toHaveLength(10);
  });

  it('runs plain queries too, folding the text once per folding options', () => {
    const article = 'Pyŏngyang and PYONGYANG.';
    const first = answer(request({ text: article, query: 'pyongyang', opts: {} }), null);
    expect(offsets(first.reply)).toHaveLength(2);
    const folded = first.kept!.folded;
    const again = answer(request({ id: 2, query: 'yang', opts: { wholeWord: false } }), first.kept);
    expect(offsets(again.reply)).toHaveLength(2);
    expect(again.kept!.folded).toBe(folded);
    const exact = answer(request({ id: 3, query: 'PYONGYANG', opts: { caseSensitive: true } }), again.kept);
    expect(offsets(exact.reply)).toEqual([{ start: 14, end: 23 }]);
    expect(exact.kept!.folded).not.toBe(folded);
  });

  it('reports a malformed expression as the user’s, and a missing text as its own fault', () => {
    expect(answer(request({ text, query: '(' }), null).reply).toMatchObject({ ok: false, search: true, message: expect.stringMatching(/^The regular expression cannot be read/) });
    const kept: WorkerText = { key: 'doc@1', text };
    expect(answer(request({ textKey: 'doc@2' }), kept).reply).toMatchObject({ ok: false, search: false });
  });
});

/** A worker that answers in a task of its own, as a real one would, or never (`stuck`). */
class FakeWorker implements WorkerLike {
  onmessage: ((event: MessageEvent<FindReply>) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  kept: WorkerText | null = null;
  received: FindRequest[] = [];
  terminated = false;
  constructor(readonly stuck: (r: FindRequest) => boolean = () => false) {}
  postMessage(message: FindRequest): void {
    this.received.push(message);
    if (this.stuck(message)) return;
    setTimeout(() => {
      if (this.terminated) return;
      const { reply, kept } = answer(message, this.kept);
      this.kept = kept;
      this.onmessage?.({ data: reply } as MessageEvent<FindReply>);
    }, 1);
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('regular expressions in the worker', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const article = { key: 'doc@1', text: 'aaa b aaa' };

  it('sends the text once per version, and finds', async () => {
    const workers: FakeWorker[] = [];
    const search = new WorkerSearch(() => {
      workers.push(new FakeWorker());
      return workers.at(-1)!;
    });
    expect((await search.find(article, 'a+', { regex: true })).hits).toEqual([{ start: 0, end: 3 }, { start: 6, end: 9 }]);
    expect((await search.find(article, 'b', { regex: true })).hits).toEqual([{ start: 4, end: 5 }]);
    const next = { key: 'doc@2', text: 'b b' };
    expect((await search.find(next, 'b', { regex: true })).hits).toHaveLength(2);
    expect(workers).toHaveLength(1);
    expect(workers[0]!.received.map((r) => r.text !== undefined)).toEqual([true, false, true]);
  });

  it('stops a search past the time limit, saying why, and starts afresh for the next', async () => {
    vi.useFakeTimers();
    const workers: FakeWorker[] = [];
    const search = new WorkerSearch(() => {
      workers.push(new FakeWorker((r) => r.query === '(a+)+$'));
      return workers.at(-1)!;
    }, { regex: 1500, plain: 15_000 });
    const slow = search.find(article, '(a+)+$', { regex: true });
    const outcome = slow.then(
      () => 'found',
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(1499);
    expect(workers[0]!.terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    const e = await outcome;
    expect(e).toBeInstanceOf(SearchError);
    expect((e as Error).message).toBe(tooLongMessage(1500));
    expect((e as Error).message).toMatch(/more than 1\.5 s.*\(a\+\)\+/);
    expect(workers[0]!.terminated).toBe(true);
    // The next search has a new worker, given the text again.
    const fast = search.find(article, 'b', { regex: true });
    await vi.advanceTimersByTimeAsync(5);
    expect((await fast).hits).toEqual([{ start: 4, end: 5 }]);
    expect(workers).toHaveLength(2);
    expect(workers[1]!.received[0]!.text).toBe(article.text);
  });

  it('abandons a search still running when a new one starts (its worker may be stuck)', async () => {
    const workers: FakeWorker[] = [];
    const search = new WorkerSearch(() => {
      workers.push(new FakeWorker((r) => r.query === 'stuck'));
      return workers.at(-1)!;
    });
    const first = search.find(article, 'stuck', { regex: true });
    const second = search.find(article, 'b', { regex: true });
    await expect(first).rejects.toBeInstanceOf(Superseded);
    expect((await second).hits).toHaveLength(1);
    expect(workers[0]!.terminated).toBe(true);
    search.cancel();
  });

  it('drops the answer of a plain search a newer one replaced, keeping the worker (and its folded text)', async () => {
    const workers: FakeWorker[] = [];
    const search = new WorkerSearch(() => {
      workers.push(new FakeWorker());
      return workers.at(-1)!;
    });
    const first = search.find(article, 'aaa', {});
    const second = search.find(article, 'b', {});
    await expect(first).rejects.toBeInstanceOf(Superseded);
    expect((await second).hits).toEqual([{ start: 4, end: 5 }]);
    expect(workers).toHaveLength(1);
    expect(workers[0]!.terminated).toBe(false);
  });

  it('gives a plain search a longer time, and says so in its own words', async () => {
    vi.useFakeTimers();
    const search = new WorkerSearch(() => new FakeWorker(() => true), { regex: 1500, plain: 15_000 });
    const outcome = search.find(article, 'aaa', {}).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1600);
    let settled = false;
    void outcome.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(((await outcome) as Error).message).toBe('The search took too long on this text (more than 15 s).');
  });

  it('passes a malformed expression’s message on as a SearchError', async () => {
    const search = new WorkerSearch(() => new FakeWorker());
    await expect(search.find(article, '[', { regex: true })).rejects.toThrow(SearchError);
  });
});

describe('plain searches', () => {
  it('fold case and diacritics, and keep the folded text for the next keystroke', () => {
    const search = new PlainSearch();
    const article = { key: 'd@1', text: 'Pyŏngyang, PYONGYANG and pyongyang.' };
    expect(search.find(article, 'pyongyang', {}).hits).toHaveLength(3);
    expect(search.find(article, 'Pyongyang', { caseSensitive: true }).hits).toHaveLength(1);
    expect(search.find(article, 'pyongyang', { diacriticSensitive: true }).hits).toHaveLength(2);
    expect(search.find(article, 'yang', { wholeWord: true }).hits).toHaveLength(0);
    expect(() => search.find(article, ' ', {})).toThrow(SearchError);
  });

  it('stop counting past the limit', () => {
    const m = new PlainSearch().find({ key: 'd@1', text: 'a'.repeat(MAX_MATCHES + 5) }, 'a', {});
    expect(m.hits).toHaveLength(MAX_MATCHES);
    expect(m.truncated).toBe(true);
  });
});

describe('folding a long text', () => {
  /** The folding as the module comment states it, a character at a time. */
  function reference(text: string, opts: { caseSensitive?: boolean; diacriticSensitive?: boolean }): { text: string; map: number[] } {
    let out = '';
    const map: number[] = [];
    for (let i = 0; i < text.length; ) {
      const code = text.charCodeAt(i);
      const width = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
      const ch = text.slice(i, i + width);
      let f = ch;
      if (/\s/.test(ch)) f = ' ';
      else {
        if (!opts.diacriticSensitive && !/[\uac00-\ud7a3]/.test(ch)) f = f.normalize('NFKD').replace(/\p{Mn}/gu, '');
        if (!opts.caseSensitive) f = f.toUpperCase().toLowerCase();
      }
      out += f;
      for (let k = 0; k < f.length; k++) map.push(i);
      i += width;
    }
    map.push(text.length);
    return { text: out, map };
  }

  it('folds every character as one at a time would, with the way back', () => {
    const pieces = ['a', 'B', ' ', '\n', 'é', 'e\u0301', 'ß', 'ﬁ', 'Σ', 'ς', '한', '𝐀', '\u00a0', '’', 'İ', 'Ǆ', 'ŏ', 'x'];
    let seed = 3;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let t = 0; t < 300; t++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 40) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      for (const opts of [{}, { caseSensitive: true }, { diacriticSensitive: true }]) {
        const folded = foldText(text, opts);
        const want = reference(text, opts);
        expect(folded.text).toBe(want.text);
        if (folded.map) expect([...folded.map]).toEqual(want.map);
        else expect(want.map.slice(0, -1).every((m, i) => m === i || text.charCodeAt(m) >= 0xd800)).toBe(true);
      }
    }
  });

  it('folds megabytes of mostly-ASCII text', () => {
    const sentence = 'The government’s officials said the defectors’ families were interrogated in Pyŏngyang. ';
    const text = sentence.repeat(12_000);
    const folded = foldText(text);
    // The outcome is checked, not the speed (a benchmark's business); the timeout guards a hang.
    expect(folded.text.length).toBe(text.length);
    expect(folded.text.startsWith('the government’s')).toBe(true);
    expect(folded.text).toBe(foldText(sentence).text.repeat(12_000));
  }, 60_000);
});

describe('the keys of Find', () => {
  const press = (key: string, mods: { ctrl?: boolean; meta?: boolean; shift?: boolean; alt?: boolean } = {}, code = `Key${key.toUpperCase()}`): KeyboardEvent =>
    ({ key, code, ctrlKey: !!mods.ctrl, metaKey: !!mods.meta, shiftKey: !!mods.shift, altKey: !!mods.alt }) as KeyboardEvent;

  it('opens with Ctrl+F, ⌘F on macOS, whatever the layout types', () => {
    expect(isFindKey(press('f', { ctrl: true }), false)).toBe(true);
    expect(isFindKey(press('F', { ctrl: true }), false)).toBe(true);
    expect(isFindKey(press('f', { meta: true }), true)).toBe(true);
    expect(isFindKey(press('f', { ctrl: true }), true)).toBe(false);
    expect(isFindKey(press('f', { ctrl: true, shift: true }), false)).toBe(false);
    expect(isFindKey(press('а', { ctrl: true }, 'KeyF'), false)).toBe(true);
    expect(isFindKey(press('f'), false)).toBe(false);
  });

  it('steps with F3 and Ctrl/⌘+G, back with Shift', () => {
    expect(findStepOfKey(press('F3', {}, 'F3'), false)).toBe(1);
    expect(findStepOfKey(press('F3', { shift: true }, 'F3'), false)).toBe(-1);
    expect(findStepOfKey(press('g', { ctrl: true }), false)).toBe(1);
    expect(findStepOfKey(press('g', { meta: true, shift: true }), true)).toBe(-1);
    expect(findStepOfKey(press('g'), false)).toBe(0);
    expect(findStepOfKey(press('Enter', {}, 'Enter'), false)).toBe(0);
  });
});
