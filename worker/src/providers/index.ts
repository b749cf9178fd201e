/** The worker's model providers: OpenAI when an API key is configured, the offline provider otherwise. */
import type { WorkerEnv } from '../env.ts';
import { createOfflineProviders } from './offline.ts';
import { createOpenAIProviders } from './openai.ts';
import type { Providers } from './types.ts';

export type ProviderEnv = Pick<
  WorkerEnv,
  'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_CHAT_MODEL' | 'OPENAI_EMBEDDING_MODEL' | 'OPENAI_TIMEOUT_MS'
>;

export function createProviders(env: ProviderEnv): Providers {
  if (!env.OPENAI_API_KEY) return createOfflineProviders();
  return createOpenAIProviders({
    apiKey: env.OPENAI_API_KEY,
    baseURL: env.OPENAI_BASE_URL,
    chatModel: env.OPENAI_CHAT_MODEL,
    embeddingModel: env.OPENAI_EMBEDDING_MODEL,
    timeoutMs: env.OPENAI_TIMEOUT_MS,
  });
}

export * from './types.ts';
export {
  type CopyPromptFacts,
  OFFLINE_CHAT_MODEL,
  OFFLINE_EMBEDDING_MODEL,
  createOfflineProviders,
  estimateTokens,
  offlinePromptPayload,
} from './offline.ts';
export { type OpenAIProviderConfig, createOpenAIProviders, decodeEmbedding } from './openai.ts';
