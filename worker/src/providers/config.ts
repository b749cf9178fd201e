/** Provider settings, shared by the worker's and the API's env schemas (the API embeds search queries). */
import { z } from 'zod';

export const providerEnvShape = {
  /** Unset: the offline provider generates deterministic copy and embeddings without a network. */
  OPENAI_API_KEY: z.string().min(1).optional(),
  /** Any OpenAI-compatible server; unset means api.openai.com. */
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_CHAT_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  /**
   * The provider account's limits, kept by all workers together through Redis (chat and
   * embedding calls alike; see worker/src/rate-limit/limiter.ts). Unset: not limited by us.
   */
  OPENAI_REQUESTS_PER_MINUTE: z.coerce.number().int().positive().optional(),
  OPENAI_TOKENS_PER_MINUTE: z.coerce.number().int().positive().optional(),
};

/** USD per million tokens, for cost estimates. Defaults are gpt-4o-mini and text-embedding-3-small list prices. */
export const priceEnvShape = {
  PRICE_INPUT_PER_MTOK: z.coerce.number().nonnegative().default(0.15),
  PRICE_OUTPUT_PER_MTOK: z.coerce.number().nonnegative().default(0.6),
  PRICE_EMBEDDING_PER_MTOK: z.coerce.number().nonnegative().default(0.02),
};

export function pricesFrom(env: { PRICE_INPUT_PER_MTOK: number; PRICE_OUTPUT_PER_MTOK: number; PRICE_EMBEDDING_PER_MTOK: number }) {
  return {
    inputPerMTok: env.PRICE_INPUT_PER_MTOK,
    outputPerMTok: env.PRICE_OUTPUT_PER_MTOK,
    embeddingPerMTok: env.PRICE_EMBEDDING_PER_MTOK,
  };
}
