/**
 * The word-level difference between the rendered template and the generated copy, as two runs
 * of segments: the template with the words the copy left out marked, and the copy with the words
 * it added marked. jsdiff's Myers diff over words and the whitespace between them: with
 * whitespace as tokens of its own, each side's segments put together give back exactly its text
 * (jsdiff's diffWords would show the copy's spacing inside the template).
 */
import { diffWordsWithSpace } from 'diff';

export interface Segment {
  text: string;
  changed: boolean;
}

export interface WordDiff {
  template: Segment[];
  copy: Segment[];
}

/** Beyond this many edits the texts have little in common and highlighting would only be noise. */
const MAX_EDITS = 2_000;
/** A slow diff must not hold up the page. */
const TIMEOUT_MS = 200;

/** The two texts as segments, or null when they differ too much (or too slowly) to highlight. */
export function wordDiff(template: string, copy: string): WordDiff | null {
  const changes = diffWordsWithSpace(template, copy, { maxEditLength: MAX_EDITS, timeout: TIMEOUT_MS });
  if (!changes) return null;
  const result: WordDiff = { template: [], copy: [] };
  for (const change of changes) {
    if (!change.added) result.template.push({ text: change.value, changed: change.removed });
    if (!change.removed) result.copy.push({ text: change.value, changed: change.added });
  }
  return result;
}
