import { describe, expect, it } from 'vitest';
import { clampBoxes, intersects, MARGIN, placePopup, type Box, type Placement, type Size } from '../../renderer/placement';

// Where the code picker, the overlap chooser and menus go: inside the window, clear of the selection.

const box = (left: number, top: number, width: number, height: number): Box => ({ left, top, right: left + width, bottom: top + height });
const window1024: Size = { width: 1024, height: 700 };
const picker: Size = { width: 350, height: 356 };

/** The box the pop-up takes once placed (its height capped by `maxHeight`). */
const taken = (p: Placement, size: Size): Box => box(p.left, p.top, Math.min(size.width, p.maxWidth), Math.min(size.height, p.maxHeight));

/** Fully inside the window, its margins kept. */
function expectInside(p: Placement, size: Size, viewport: Size): void {
  const b = taken(p, size);
  expect(b.left).toBeGreaterThanOrEqual(MARGIN);
  expect(b.top).toBeGreaterThanOrEqual(MARGIN);
  expect(b.right).toBeLessThanOrEqual(viewport.width - MARGIN);
  expect(b.bottom).toBeLessThanOrEqual(viewport.height - MARGIN);
}

function expectClear(p: Placement, size: Size, anchor: readonly Box[]): void {
  expect(p.overlaps).toBe(false);
  for (const a of anchor) expect(intersects(taken(p, size), a)).toBe(false);
}

describe('placing a pop-up beside a selection', () => {
  it('goes below a selection near the top, starting at the selection’s end', () => {
    const sel = [box(300, 120, 200, 28)];
    const p = placePopup(sel, picker, window1024, { x: 480 });
    expect(p.side).toBe('below');
    expect(p.top).toBe(120 + 28 + 6);
    expect(p.left).toBe(480);
    expect(p.maxHeight).toBeGreaterThanOrEqual(picker.height);
    expectInside(p, picker, window1024);
    expectClear(p, picker, sel);
  });

  it('goes above a selection near the bottom, where the old picker ran off the window', () => {
    const sel = [box(300, 620, 200, 28)];
    const p = placePopup(sel, picker, window1024);
    expect(p.side).toBe('above');
    expect(p.top + picker.height).toBe(620 - 6);
    expectInside(p, picker, window1024);
    expectClear(p, picker, sel);
  });

  it('stays inside the window at its left and right edges', () => {
    const left = [box(0, 200, 40, 28)];
    const atLeft = placePopup(left, picker, window1024, { x: 0 });
    expect(atLeft.left).toBe(MARGIN);
    expectInside(atLeft, picker, window1024);
    expectClear(atLeft, picker, left);

    const right = [box(990, 200, 34, 28)];
    const atRight = placePopup(right, picker, window1024, { x: 1010 });
    expect(atRight.left).toBe(1024 - MARGIN - picker.width);
    expectInside(atRight, picker, window1024);
    expectClear(atRight, picker, right);
  });

  it('moves beside a selection when neither below nor above holds it, to the left when the right has no room', () => {
    const middle = [box(40, 300, 400, 100)];
    const beside = placePopup(middle, picker, window1024);
    expect(beside.side).toBe('right');
    expect(beside.left).toBe(446);
    expectInside(beside, picker, window1024);
    expectClear(beside, picker, middle);

    const onTheRight = [box(600, 300, 400, 100)];
    const left = placePopup(onTheRight, picker, window1024);
    expect(left.side).toBe('left');
    expect(left.left + picker.width).toBe(594);
    expectInside(left, picker, window1024);
    expectClear(left, picker, onTheRight);
  });

  it('takes the side with most room and makes the pop-up shorter when no side holds it whole', () => {
    const small: Size = { width: 320, height: 480 };
    // A selection across the window's width, a little above the middle.
    const sel = [box(10, 180, 300, 40)];
    const p = placePopup(sel, picker, small);
    expect(p.side).toBe('below');
    expect(p.maxHeight).toBe(480 - MARGIN - (220 + 6));
    expect(p.maxHeight).toBeLessThan(picker.height);
    expectInside(p, picker, small);
    expectClear(p, picker, sel);

    const low = [box(10, 300, 300, 40)];
    const up = placePopup(low, picker, small);
    expect(up.side).toBe('above');
    expect(up.top).toBe(MARGIN);
    expectInside(up, picker, small);
    expectClear(up, picker, low);
  });

  it('narrows a pop-up wider than the window to the window less its margins', () => {
    const phone: Size = { width: 320, height: 640 };
    const sel = [box(12, 100, 200, 28)];
    const p = placePopup(sel, picker, phone, { x: 150 });
    expect(p.maxWidth).toBe(320 - 2 * MARGIN);
    expect(p.left).toBe(MARGIN);
    expectInside(p, picker, phone);
    expectClear(p, picker, sel);
  });

  it('covers the selection only when the window has no room anywhere, and then stays inside it', () => {
    const tiny: Size = { width: 320, height: 200 };
    const all = [box(0, 0, 320, 200)];
    const p = placePopup(all, picker, tiny);
    expect(p.overlaps).toBe(true);
    expect(p.maxHeight).toBe(200 - 2 * MARGIN);
    expectInside(p, picker, tiny);
  });

  it('keeps the side it is on while it still fits there, so a shrinking list does not jump', () => {
    const sel = [box(300, 380, 200, 28)];
    const short: Size = { width: 350, height: 200 };
    expect(placePopup(sel, short, window1024).side).toBe('below');
    expect(placePopup(sel, short, window1024, { prefer: 'above' }).side).toBe('above');
    // A preferred side without room gives way.
    expect(placePopup([box(300, 60, 200, 28)], short, window1024, { prefer: 'above' }).side).toBe('below');
  });

  it('keeps a selection scrolled out of the article at the article’s edge', () => {
    const article = box(270, 80, 500, 620);
    expect(clampBoxes([box(300, -400, 200, 28)], article)).toEqual([box(300, 80, 200, 0)]);
    expect(clampBoxes([box(300, 900, 200, 28)], article)).toEqual([box(300, 700, 200, 0)]);
    expect(clampBoxes([box(300, 690, 200, 28)], article)).toEqual([box(300, 690, 200, 10)]);
    const p = placePopup(clampBoxes([box(300, -400, 200, 28)], article), picker, window1024);
    expect(p.side).toBe('below');
    expect(p.top).toBe(86);
  });
});
