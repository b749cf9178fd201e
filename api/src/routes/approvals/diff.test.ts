import { describe, expect, it } from 'vitest';
import { wordDiff } from './diff.ts';

const text = (segments: { text: string }[]) => segments.map((segment) => segment.text).join('');
const marked = (segments: { text: string; changed: boolean }[]) => segments.filter((segment) => segment.changed).map((segment) => segment.text.trim());

describe('wordDiff', () => {
  it('marks the words the copy adds and the template words it leaves out, keeping each text exact', () => {
    const template = 'Store 001 is having a Summer sale!';
    const copy = 'Store 001 is having a big Summer sale this weekend!';
    const diff = wordDiff(template, copy);
    expect(diff && text(diff.template)).toBe(template);
    expect(diff && text(diff.copy)).toBe(copy);
    expect(diff && marked(diff.copy).filter(Boolean)).toEqual(['big', 'this weekend']);
    expect(diff && marked(diff.template).filter(Boolean)).toEqual([]);
    const replaced = wordDiff('Visit  us\non Main Street', 'Visit us on Elm Street');
    expect(replaced && text(replaced.template)).toBe('Visit  us\non Main Street');
    expect(replaced && marked(replaced.template)).toContain('Main');
    expect(replaced && marked(replaced.copy)).toContain('Elm');
  });

  it('gives up on texts that have too little in common to highlight', () => {
    const words = (prefix: string) => Array.from({ length: 3_000 }, (_, index) => `${prefix}${index}`).join(' ');
    expect(wordDiff(words('a'), words('b'))).toBeNull();
  });
});
