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
};
