import { describe, expect, it } from 'vitest';
import { arrangeSides, drawerWidth, type SideRequest } from '../../renderer/panel-layout';

// How the window is shared between the article and the side panels.

const left = (width = 260, open = true): SideRequest => ({ open, width, min: 220 });
const right = (width = 360, open = true): SideRequest => ({ open, width, min: 280 });
/** 45 characters of ~10.7 px and the reader's paddings. */
const ARTICLE_MIN = 545;
const SPLITTER = 6;

describe('sharing the window between the article and the panels', () => {
  it('docks both sides at their widths in a wide window', () => {
    const a = arrangeSides(1440, ARTICLE_MIN, SPLITTER, { left: left(), right: right() });
    expect(a.left).toEqual({ docked: true, width: 260, max: 1440 - ARTICLE_MIN - 12 - 360 });
    expect(a.right).toEqual({ docked: true, width: 360, max: 1440 - ARTICLE_MIN - 12 - 260 });
  });

  it('narrows the documents and codes first, then the passages, before the article falls under its measure', () => {
    const a = arrangeSides(1100, ARTICLE_MIN, SPLITTER, { left: left(), right: right() });
    expect(a.left.docked && a.right.docked).toBe(true);
    expect(a.left.width).toBe(220);
    expect(a.right.width).toBe(1100 - ARTICLE_MIN - 12 - 220);
    expect(1100 - a.left.width - a.right.width - 12).toBeGreaterThanOrEqual(ARTICLE_MIN);
  });

  it('undocks the documents and codes when both sides cannot keep their least widths, keeping the passages', () => {
    const a = arrangeSides(1024, ARTICLE_MIN, SPLITTER, { left: left(), right: right() });
    expect(a.left.docked).toBe(false);
    expect(a.right).toEqual({ docked: true, width: 360, max: 1024 - ARTICLE_MIN - 6 });
    // Then the passages too, when even they alone would leave the article under its measure.
    const b = arrangeSides(800, ARTICLE_MIN, SPLITTER, { left: left(), right: right() });
    expect(b.left.docked || b.right.docked).toBe(false);
    expect(arrangeSides(840, ARTICLE_MIN, SPLITTER, { left: left(), right: right() }).right).toEqual({ docked: true, width: 840 - ARTICLE_MIN - 6, max: 840 - ARTICLE_MIN - 6 });
  });

  it('docks nothing in a window narrower than the article’s measure and a panel', () => {
    const a = arrangeSides(320, ARTICLE_MIN, SPLITTER, { left: left(), right: right() });
    expect(a.left.docked).toBe(false);
    expect(a.right.docked).toBe(false);
  });

  it('gives a closed side’s room to the other one', () => {
    const a = arrangeSides(1024, ARTICLE_MIN, SPLITTER, { left: left(), right: right(360, false) });
    expect(a.left).toEqual({ docked: true, width: 260, max: 1024 - ARTICLE_MIN - 6 });
    expect(a.right.docked).toBe(false);
  });

  it('never lets a side be made so wide that the article falls under its measure', () => {
    const a = arrangeSides(1440, ARTICLE_MIN, SPLITTER, { left: left(2000), right: right() });
    expect(a.left.width).toBe(a.left.max);
    expect(1440 - a.left.width - a.right.width - 12).toBeGreaterThanOrEqual(ARTICLE_MIN);
  });

  it('leaves a strip of the article beside a drawer in a narrow window', () => {
    expect(drawerWidth(320, 360)).toBe(280);
    expect(drawerWidth(1440, 360)).toBe(360);
  });
});
