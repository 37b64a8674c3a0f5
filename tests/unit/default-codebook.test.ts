import { describe, expect, it } from 'vitest';
import { defaultCodes } from '../../main/core/default-codebook';
import { differenceCiede2000, wcagContrast } from 'culori';
import { schemas } from '../../shared/api';
import { CODE_PALETTE } from '../../shared/codebook';

describe('default codebook', () => {
  const codes = defaultCodes();
  it('starts from the three codes our user named, each with sub-codes', () => {
    const top = codes.filter((c) => c.parentId === null).map((c) => c.name);
    expect(top).toEqual(['Repression tactic', 'Economic change', 'Source reliability']);
    for (const parent of codes.filter((c) => c.parentId === null)) expect(codes.filter((c) => c.parentId === parent.id).length).toBeGreaterThanOrEqual(5);
  });
  it('gives every code a valid, distinct colour and a definition, with unique ids', () => {
    for (const c of codes) expect(schemas.Code.parse(c)).toEqual(c);
    expect(new Set(codes.map((c) => c.color)).size).toBe(codes.length);
    expect(new Set(codes.map((c) => c.id)).size).toBe(codes.length);
    expect(codes.every((c) => c.description.trim().length > 10)).toBe(true);
  });
});

describe('code colours', () => {
  const distance = differenceCiede2000();
  const minDistance = (colors: readonly string[]): number => {
    let min = Infinity;
    for (let i = 0; i < colors.length; i++) for (let j = i + 1; j < colors.length; j++) min = Math.min(min, distance(colors[i]!, colors[j]!));
    return min;
  };
  it('the palette: any two told apart at a glance (CIEDE2000 ≥ 15), each visible as a stripe on white, none like the grey of an unknown code', () => {
    expect(CODE_PALETTE).toHaveLength(24);
    expect(new Set(CODE_PALETTE).size).toBe(24);
    expect(minDistance(CODE_PALETTE)).toBeGreaterThanOrEqual(15);
    for (const c of CODE_PALETTE) expect(wcagContrast(c, '#ffffff'), c).toBeGreaterThanOrEqual(1.9);
    for (const c of CODE_PALETTE) expect(distance(c, '#8a8a8a'), c).toBeGreaterThanOrEqual(15);
  });
  it('the default codebook: every code a palette colour, any two told apart, sub-codes from parents and siblings', () => {
    const codes = defaultCodes();
    for (const c of codes) expect(CODE_PALETTE, c.name).toContain(c.color);
    expect(minDistance(codes.map((c) => c.color))).toBeGreaterThanOrEqual(15);
  });
});
