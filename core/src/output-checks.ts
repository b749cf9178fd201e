/**
 * Checks generated copy must pass before it is stored as usable. Each failure is a sentence the
 * model can act on when it is retried, and that a person can read in the version history.
 */
import type { BrandSettings } from './brand-settings.ts';

const TEMPLATE_TAG = /\{\{[^}]*\}\}|\{%[^%]*%\}/;
/** [Store Name], [insert date], {store}, <CITY>: placeholders a model leaves when it lacks a fact. */
const BRACKET_PLACEHOLDER = /\[[^\]\n]{1,60}\]|\{[A-Za-z_][A-Za-z0-9_ ]{0,40}\}|<[A-Z][A-Z0-9_ ]{1,40}>/;

export function checkGeneratedCopy(content: string, settings: BrandSettings): string[] {
  const problems: string[] = [];
  const text = content.trim();
  if (!text) return ['the copy is empty'];
  const tag = TEMPLATE_TAG.exec(text);
  if (tag) problems.push(`it contains an unfilled template tag ${tag[0]}; write the actual value instead`);
  const bracket = BRACKET_PLACEHOLDER.exec(text);
  if (bracket) problems.push(`it contains the placeholder ${bracket[0]}; replace it with real wording`);
  if (settings.max_length && text.length > settings.max_length) {
    problems.push(`it is ${text.length} characters long; the brand allows at most ${settings.max_length}`);
  }
  const lower = text.toLowerCase();
  for (const phrase of settings.banned_phrases ?? []) {
    if (lower.includes(phrase.toLowerCase())) problems.push(`it uses the banned phrase "${phrase}"`);
  }
  for (const phrase of settings.required_phrases ?? []) {
    if (!lower.includes(phrase.toLowerCase())) problems.push(`it lacks the required phrase "${phrase}"`);
  }
  return problems;
}
