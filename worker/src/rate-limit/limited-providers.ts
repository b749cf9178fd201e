/**
 * Providers whose every call (chat and embeddings) first takes its slot from the shared rate
 * limiter, and whose 429 answers with a Retry-After pause every worker's calls for that long.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { estimateTokens } from '../providers/offline.ts';
import { type ChatProvider, type EmbeddingProvider, ProviderError, type Providers } from '../providers/types.ts';
import type { RateLimiter, Reservation } from './limiter.ts';

/**
 * Completion tokens reserved for a chat call before its answer says how many it used. We send
 * no max_tokens (see providers/openai.ts), so this is an allowance, not a ceiling: store copy
 * runs to about 100-150 tokens, and the real figure replaces it as soon as the answer arrives.
 */
const COMPLETION_TOKENS_RESERVED = 256;

/** What a provider call costs before it is made: one request and this many tokens. */
function chatTokensEstimate(messages: { content: string }[]): number {
  return estimateTokens(messages.map((message) => message.content).join('\n')) + COMPLETION_TOKENS_RESERVED;
}

function embeddingTokensEstimate(texts: string[]): number {
  return texts.reduce((sum, text) => sum + estimateTokens(text), 0);
}

async function limited<T>(
  limiter: RateLimiter,
  estimatedTokens: number,
  call: () => Promise<T>,
  usedTokens: (result: T) => number,
): Promise<T> {
  const reservation = await limiter.reserve(estimatedTokens);
  if (reservation.waitMs > 0) {
    await sleep(reservation.waitMs);
    // A 429 elsewhere may have paused every call while this one waited for its slot.
    const paused = await limiter.pausedFor();
    if (paused > 0) await sleep(paused);
  }
  let result: T;
  try {
    result = await call();
  } catch (error) {
    await onFailure(limiter, reservation, error);
    throw error;
  }
  await limiter.adjust(reservation, usedTokens(result));
  return result;
}

/**
 * A 429 with Retry-After pauses every worker for that long. An error answer used no tokens,
 * so its reservation is refunded; a timeout or a dropped connection may have been processed,
 * so it keeps its estimate.
 */
async function onFailure(limiter: RateLimiter, reservation: Reservation, error: unknown) {
  if (!(error instanceof ProviderError)) return;
  if (error.retryAfterSeconds !== undefined) await limiter.pause(error.retryAfterSeconds * 1000);
  if (error.status !== undefined) await limiter.adjust(reservation, 0);
}

export function rateLimitedProviders(providers: Providers, limiter: RateLimiter): Providers {
  const { chat, embeddings } = providers;
  const limitedChat: ChatProvider = {
    name: chat.name,
    model: chat.model,
    complete: (messages, options) =>
      limited(limiter, chatTokensEstimate(messages), () => chat.complete(messages, options), (result) => result.promptTokens + result.completionTokens),
  };
  const limitedEmbeddings: EmbeddingProvider = {
    name: embeddings.name,
    model: embeddings.model,
    dimensions: embeddings.dimensions,
    embed: (texts, options) => limited(limiter, embeddingTokensEstimate(texts), () => embeddings.embed(texts, options), (result) => result.promptTokens),
  };
  return { chat: limitedChat, embeddings: limitedEmbeddings };
}
