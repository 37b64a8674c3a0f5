import { describe, expect, it } from 'vitest';
import { History, type HistoryView } from '../../renderer/history';

function counter() {
  const log: string[] = [];
  let value = 0;
  const step = (label: string, delta: number) => ({
    label,
    undo: async () => void log.push(`undo ${label}`, String((value -= delta))),
    redo: async () => void log.push(`redo ${label}`, String((value += delta))),
  });
  return { log, step, get value() { return value; }, set value(v: number) { value = v; } };
}

describe('undo history', () => {
  it('undoes and redoes in order and labels the next step', async () => {
    const views: HistoryView[] = [];
    const h = new History((v) => views.push(v));
    const c = counter();
    c.value = 3;
    h.push(c.step('add one', 1));
    h.push(c.step('add two', 2));
    expect(views.at(-1)).toEqual({ undoLabel: 'add two', redoLabel: null });
    await h.undo();
    expect(c.value).toBe(1);
    expect(views.at(-1)).toEqual({ undoLabel: 'add one', redoLabel: 'add two' });
    await h.undo();
    await h.undo(); // nothing left: no effect
    expect(c.value).toBe(0);
    await h.redo();
    expect(c.value).toBe(1);
    h.push(c.step('add five', 5)); // a new action clears redo
    expect(views.at(-1)).toEqual({ undoLabel: 'add five', redoLabel: null });
  });

  it('keeps a step whose undo failed on the undo stack, and reports the failure', async () => {
    const h = new History(() => undefined);
    let fail = true;
    h.push({ label: 'x', undo: async () => { if (fail) throw new Error('offline'); }, redo: async () => undefined });
    await expect(h.undo()).rejects.toThrow('offline');
    fail = false;
    await expect(h.undo()).resolves.toBeUndefined();
  });

  it('runs queued work one at a time, in order', async () => {
    const h = new History(() => undefined);
    const seen: number[] = [];
    const slow = (n: number, ms: number) => h.run(async () => { await new Promise((r) => setTimeout(r, ms)); seen.push(n); });
    await Promise.all([slow(1, 30), slow(2, 1), slow(3, 10)]);
    expect(seen).toEqual([1, 2, 3]);
  });
});
