/**
 * The offline provider: deterministic copy and embeddings without a network, the default when no
 * OPENAI_API_KEY is configured (demos, tests, CI). The same input always gives the same output.
 *
 * ## Chat: the prompt payload contract
 *
 * A prompt is prose for a real model, and prose is hard to parse. So the prompt builder also
 * appends the facts it wrote the prompt from, as a fenced JSON block at the very end of the user
 * message, made by {@link offlinePromptPayload}:
 *
 * ````text
 * …the prompt for the model…
 *
 * ```storesync-offline
 * {"renderedTemplate":"Spring sale at …","location":{"name":"Pearl Street","city":"Boulder",
 *  "attributes":{"has_garden_center":true}},"customizations":{"discount_percentage":20},"maxLength":280}
 * ```
 * ````
 *
 * The block's fields are {@link CopyPromptFacts}. The offline provider writes 2–3 short sentences:
 * the first one or two sentences of the rendered template (placeholders removed), plus one that
 * names the location and one or two of its features (boolean attributes that are true:
 * `has_garden_center` → "garden center", `drive_thru` → "drive-thru") that the template does not
 * already mention, or else one that invites people to the location. Sentences are dropped, least
 * important first, to stay within `maxLength`. The wording variant is chosen by a hash of the
 * whole payload, so different locations and campaigns do not all read alike.
 *
 * A real model reads the block as a compact summary of the facts it was already given, so the
 * builder may always append it. Without a block (or with no user message) the offline provider
 * echoes the first sentences of the user message, cleaned of markdown markers and placeholders.
 * A block that is present but invalid is a bug in the prompt builder and fails loudly.
 *
 * ## Embeddings: feature hashing
 *
 * Text is lowercased, stripped of accents and split into words. Its features are the words, the
 * word pairs (bigrams) and the character trigrams of each word (so "sale" and "sales" still share
 * most features), each weighted by kind and by sublinear term frequency (1 + ln tf). Every feature
 * is hashed (FNV-1a 32-bit, then a mixing step) to one of the 1536 dimensions and a sign, and the
 * vector is L2-normalised, so cosine similarity measures shared wording: paraphrases land near each
 * other, unrelated texts near zero.
 */
import { EMBEDDING_DIMENSIONS } from '@storesync/db';
import { z } from 'zod';
import {
  type ChatMessage,
  type ChatProvider,
  type ChatResult,
  type EmbeddingProvider,
  type EmbeddingResult,
  ProviderError,
  type Providers,
} from './types.ts';

export const OFFLINE_CHAT_MODEL = 'storesync-offline-copy-v1';
export const OFFLINE_EMBEDDING_MODEL = 'storesync-offline-embed-v1';

/** The fence language of the payload block in the user message. */
const PAYLOAD_FENCE = 'storesync-offline';

/**
 * What the prompt builder knows about one campaign's copy: the facts it states in the user message
 * for a real model and hands to the offline provider in the payload block.
 */
export interface CopyPromptFacts {
  /** The campaign template rendered for this location and its customizations. */
  renderedTemplate: string;
  location: {
    name: string;
    city?: string;
    /** The location's attributes as stored, e.g. `{ has_garden_center: true, region: 'front_range' }`. */
    attributes?: Record<string, unknown>;
  };
  /** The campaign's customizations (the template's `campaign.*` values). */
  customizations?: Record<string, unknown>;
  /** The brand's maximum copy length in characters, when it has one. */
  maxLength?: number;
}

const copyPromptFactsSchema = z.object({
  renderedTemplate: z.string(),
  location: z.object({
    name: z.string().min(1),
    city: z.string().optional(),
    attributes: z.record(z.string(), z.unknown()).optional(),
  }),
  customizations: z.record(z.string(), z.unknown()).optional(),
  maxLength: z.number().int().positive().optional(),
});

/** The fenced block that carries `facts` to the offline provider; append it to the user message. */
export function offlinePromptPayload(facts: CopyPromptFacts): string {
  // Single-line JSON escapes every newline inside strings, so no value can close the fence early.
  return `\`\`\`${PAYLOAD_FENCE}\n${JSON.stringify(facts)}\n\`\`\``;
}

/** The rough token count of a text: about four characters per token for English. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function createOfflineProviders(): Providers {
  const chat: ChatProvider = {
    name: 'offline',
    model: OFFLINE_CHAT_MODEL,
    complete: (messages, options) => settle(options?.signal, () => offlineChatResult(messages)),
  };
  const embeddings: EmbeddingProvider = {
    name: 'offline',
    model: OFFLINE_EMBEDDING_MODEL,
    dimensions: EMBEDDING_DIMENSIONS,
    embed: (texts, options) => settle(options?.signal, () => offlineEmbeddingResult(texts)),
  };
  return { chat, embeddings };
}

/** Runs synchronous work as the interface promises: failures and a prior abort reject, never throw. */
function settle<T>(signal: AbortSignal | undefined, work: () => T): Promise<T> {
  return new Promise((resolve) => {
    signal?.throwIfAborted();
    resolve(work());
  });
}

function offlineChatResult(messages: ChatMessage[]): ChatResult {
  const content = composeOfflineCopy(messages);
  const promptText = messages.map((message) => message.content).join('\n');
  return {
    content,
    model: OFFLINE_CHAT_MODEL,
    promptTokens: estimateTokens(promptText),
    completionTokens: estimateTokens(content),
  };
}

function offlineEmbeddingResult(texts: string[]): EmbeddingResult {
  return {
    embeddings: texts.map((text) => hashedEmbedding(text, EMBEDDING_DIMENSIONS)),
    model: OFFLINE_EMBEDDING_MODEL,
    promptTokens: texts.reduce((sum, text) => sum + estimateTokens(text), 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Copy

/** The offline copy for a conversation: from the payload block when there is one, else an echo. */
export function composeOfflineCopy(messages: ChatMessage[]): string {
  const userMessage = messages.findLast((message) => message.role === 'user');
  if (!userMessage) throw new ProviderError('offline chat needs a user message', { retryable: false });
  const facts = parsePayloadBlock(userMessage.content);
  const copy = facts ? copyFromFacts(facts) : echoCopy(userMessage.content);
  if (!copy) throw new ProviderError('offline chat found no text to write copy from', { retryable: false });
  return copy;
}

function parsePayloadBlock(content: string): CopyPromptFacts | undefined {
  const block = new RegExp(`\`\`\`${PAYLOAD_FENCE}\\n([\\s\\S]*?)\\n\`\`\`\\s*$`).exec(content);
  if (!block?.[1]) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(block[1]);
  } catch (error) {
    throw new ProviderError('the storesync-offline block of the prompt is not valid JSON', { retryable: false, cause: error });
  }
  const facts = copyPromptFactsSchema.safeParse(json);
  if (!facts.success) {
    throw new ProviderError(`the storesync-offline block of the prompt is invalid: ${z.prettifyError(facts.error)}`, {
      retryable: false,
      cause: facts.error,
    });
  }
  return facts.data;
}

interface CopySentence {
  text: string;
  /** Lower is more important: kept first when the copy must be shortened. */
  importance: number;
}

/** How many sentences the echo fallback keeps; copy from facts has at most three by construction. */
const MAX_ECHO_SENTENCES = 3;

function copyFromFacts(facts: CopyPromptFacts): string {
  const variant = fnv1a32(JSON.stringify(facts));
  const templateSentences = splitSentences(removePlaceholders(facts.renderedTemplate)).slice(0, 2);
  const sentences: CopySentence[] = templateSentences.map((text, position) => ({ text, importance: position === 0 ? 0 : 2 }));
  const locationSentence = describeLocation(facts, templateSentences, variant);
  if (locationSentence) sentences.push({ text: locationSentence, importance: 1 });
  return joinWithinLength(sentences, facts.maxLength);
}

/**
 * A sentence naming the location and features the template does not mention yet; without such
 * features, an invitation to the location when the copy would otherwise not name it or be one
 * sentence only.
 */
function describeLocation(facts: CopyPromptFacts, templateSentences: string[], variant: number): string | undefined {
  const { name, city } = facts.location;
  const mentioned = comparable(templateSentences.join(' '));
  const features = locationFeatures(facts.location.attributes ?? {})
    .filter((feature) => !mentioned.includes(comparable(feature)))
    .slice(0, 2);
  if (features.length > 0) {
    const featureText = features.join(' and ');
    const phrasings = [
      `While you're at ${name}, stop by our ${featureText}.`,
      `Don't miss our ${featureText} at ${name}.`,
      `Visit the ${featureText} at ${name} too.`,
    ];
    return pick(phrasings, variant);
  }
  if (mentioned.includes(comparable(name)) && templateSentences.length >= 2) return undefined;
  const where = city ? `${name} in ${city}` : name;
  return pick([`See you at ${where}.`, `Come visit us at ${where}.`], variant);
}

/** Boolean attributes that are true, as words: `has_garden_center` → "garden center", `drive_thru` → "drive-thru". */
function locationFeatures(attributes: Record<string, unknown>): string[] {
  return Object.entries(attributes)
    .filter(([, value]) => value === true)
    .map(([key]) =>
      key
        .replace(/^(has|is|offers)_/, '')
        .replaceAll('_', ' ')
        .replace(/\bdrive thru\b/, 'drive-thru')
        .trim(),
    )
    .filter((feature) => feature.length > 0);
}

/**
 * The most important sentence (cut at a word when it alone is too long), plus the others that
 * still fit within `maxLength` by importance, in their original order.
 */
function joinWithinLength(sentences: CopySentence[], maxLength: number | undefined): string {
  const limit = maxLength ?? Number.POSITIVE_INFINITY;
  const [mostImportant, ...others] = [...sentences].sort((a, b) => a.importance - b.importance);
  if (!mostImportant) return '';
  if (mostImportant.text.length > limit) return truncateAtWord(mostImportant.text, limit);
  const kept = new Set([mostImportant]);
  let length = mostImportant.text.length;
  for (const sentence of others) {
    if (length + 1 + sentence.text.length <= limit) {
      kept.add(sentence);
      length += 1 + sentence.text.length;
    }
  }
  return sentences
    .filter((sentence) => kept.has(sentence))
    .map((sentence) => sentence.text)
    .join(' ');
}

function truncateAtWord(text: string, limit: number): string {
  const cut = text.slice(0, Math.max(0, limit - 1));
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > 0 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:–—-]+$/, '')}…`;
}

/**
 * Without a payload block: the first sentences of the user message. Headings, labels ending in a
 * colon and fences are skipped, list markers removed, and each line ends as a sentence so that
 * lines do not run into each other.
 */
function echoCopy(content: string): string {
  const prose = content
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !/^(#{1,6}\s|```)/.test(line) && !line.endsWith(':'))
    .map((line) => line.replace(/^([-*>]|\d+[.)])\s+/, ''))
    .map((line) => (/[.!?]["'”]?$/.test(line) ? line : `${line}.`))
    .join(' ');
  return splitSentences(removePlaceholders(prose)).slice(0, MAX_ECHO_SENTENCES).join(' ');
}

/** Removes Liquid tags and bracketed placeholders (`{{location.name}}`, `[insert date]`) and tidies the spaces they leave. */
function removePlaceholders(text: string): string {
  return text
    .replace(/\{\{[^}]*\}\}|\{%[^%]*%\}|\[[^\]]*\]|<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.;:!?])/g, '$1')
    .trim();
}

function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"'“])/u)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}

/** Lowercase with hyphens as spaces, so "drive-thru" and "Drive thru" compare equal. */
function comparable(text: string): string {
  return text.toLowerCase().replaceAll('-', ' ');
}

function pick(choices: readonly string[], variant: number): string {
  const choice = choices[variant % choices.length];
  if (choice === undefined) throw new Error('pick needs at least one choice');
  return choice;
}

// ---------------------------------------------------------------------------------------------
// Embeddings

const UNIGRAM_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.7;
const TRIGRAM_WEIGHT = 0.25;
/** Gives an empty text a unit vector too: a zero vector has no cosine distance to anything. */
const EMPTY_TEXT_FEATURE = 'empty:';

/** The unit-length feature-hashing embedding of `text` (see the file header). */
export function hashedEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const [feature, weight] of weightedFeatures(text)) {
    const hash = mix32(fnv1a32(feature));
    const index = hash % dimensions;
    const sign = hash >>> 31 === 0 ? 1 : -1;
    vector[index] = (vector[index] ?? 0) + sign * weight;
  }
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return vector.map((value) => value / norm);
}

function words(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** Each feature with its weight: kind weight × (1 + ln tf). */
function weightedFeatures(text: string): Map<string, number> {
  const tokens = words(text);
  if (tokens.length === 0) return new Map([[EMPTY_TEXT_FEATURE, 1]]);
  const counts = new Map<string, { kindWeight: number; count: number }>();
  const count = (feature: string, kindWeight: number) => {
    const entry = counts.get(feature);
    if (entry) entry.count += 1;
    else counts.set(feature, { kindWeight, count: 1 });
  };
  tokens.forEach((token, position) => {
    count(`w:${token}`, UNIGRAM_WEIGHT);
    const next = tokens[position + 1];
    if (next !== undefined) count(`b:${token} ${next}`, BIGRAM_WEIGHT);
    const padded = `#${token}#`;
    for (let start = 0; start + 3 <= padded.length; start += 1) count(`c:${padded.slice(start, start + 3)}`, TRIGRAM_WEIGHT);
  });
  return new Map([...counts].map(([feature, { kindWeight, count: tf }]) => [feature, kindWeight * (1 + Math.log(tf))]));
}

const utf8 = new TextEncoder();

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of utf8.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's finaliser: FNV-1a's low bits are weak, and both the index and the sign need good bits. */
function mix32(value: number): number {
  let hash = value;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
