import { describe, expect, it } from 'vitest';
import { nameKey as codeNameKey } from '../../shared/codebook';
import { nameKey as variableNameKey, variableNameProblem } from '../../shared/variables';

// Names compared for clashes: one key for codes and variables, a variable's name cleaned first.

describe('name keys', () => {
  it('folds case, composes accents and trims, for codes and variables alike', () => {
    for (const key of [codeNameKey, variableNameKey]) {
      expect(key('  Site ')).toBe('site');
      expect(key('Cafe\u0301')).toBe(key('CAFÉ'));
    }
  });

  it('takes a variable name with inner runs of white space as one space', () => {
    expect(variableNameKey('Birth \t  year')).toBe('birth year');
    expect(variableNameProblem('birth year', [{ id: 'v1', name: 'Birth  Year', type: 'number' }])).toBe('A variable is called “Birth  Year” already.');
  });
});
