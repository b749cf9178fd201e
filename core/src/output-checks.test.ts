import { describe, expect, it } from 'vitest';
import { readBrandSettings } from './brand-settings.ts';
import { checkGeneratedCopy } from './output-checks.ts';

describe('checkGeneratedCopy', () => {
  it('passes clean copy', () => {
    expect(checkGeneratedCopy('Summer savings at Austin Downtown: 30% off patio sets.', { max_length: 100 })).toEqual([]);
  });

  it('names every problem', () => {
    const problems = checkGeneratedCopy('Visit [Store Name] for {{campaign.sale_type}} deals. Free money!', {
      max_length: 20,
      banned_phrases: ['free money'],
      required_phrases: ['Summit Hardware'],
    });
    expect(problems).toEqual([
      'it contains an unfilled template tag {{campaign.sale_type}}; write the actual value instead',
      'it contains the placeholder [Store Name]; replace it with real wording',
      'it is 64 characters long; the brand allows at most 20',
      'it uses the banned phrase "free money"',
      'it lacks the required phrase "Summit Hardware"',
    ]);
  });

  it('catches brace and angle placeholders but not ordinary punctuation', () => {
    expect(checkGeneratedCopy('Come to {store} today', {})).toHaveLength(1);
    expect(checkGeneratedCopy('Come to <CITY> today', {})).toHaveLength(1);
    expect(checkGeneratedCopy('Deals (while supplies last) & more: 2 < 3', {})).toEqual([]);
    expect(checkGeneratedCopy('   ', {})).toEqual(['the copy is empty']);
  });
});

describe('readBrandSettings', () => {
  it('keeps unknown keys and rejects malformed known ones', () => {
    expect(readBrandSettings({ tone: 'warm', colour: 'red' })).toEqual({ tone: 'warm', colour: 'red' });
    expect(() => readBrandSettings({ max_length: 'long' })).toThrow(/settings.max_length/);
    expect(readBrandSettings(null)).toEqual({});
  });
});
