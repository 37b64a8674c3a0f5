import { describe, expect, it } from 'vitest';
import { defaultCodes } from '../../main/core/default-codebook';
import { schemas } from '../../shared/api';

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
