/**
 * The two things generation needs from a model provider. Implemented by the OpenAI provider
 * (the real `openai` SDK against any OpenAI-compatible server) and by the offline provider
 * (deterministic, no network), which is the default when no API key is configured.
 */

export type ProviderName = 'openai' | 'offline';

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface ChatResult {
  content: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
}

export interface ChatProvider {
  readonly name: ProviderName;
  readonly model: string;
  complete(messages: ChatMessage[], options?: { signal?: AbortSignal }): Promise<ChatResult>;
}

export interface EmbeddingResult {
  embeddings: number[][];
  model: string;
  promptTokens: number;
}

export interface EmbeddingProvider {
  readonly name: ProviderName;
  readonly model: string;
  readonly dimensions: number;
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<EmbeddingResult>;
}

/**
 * Why a provider call failed, so the job layer can decide: `retryable` failures (429, 5xx,
 * timeouts, connection errors) are retried with backoff; the rest (400, 401, 403, content
 * policy, malformed answers that will not change) fail at once with `reason` stored.
 */
export class ProviderError extends Error {
  readonly retryable: boolean;
  readonly status: number | undefined;
  /** Seconds the server asked us to wait (Retry-After), when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    message: string,
    options: { retryable: boolean; status?: number; retryAfterSeconds?: number; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = 'ProviderError';
    this.retryable = options.retryable;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export interface Providers {
  chat: ChatProvider;
  embeddings: EmbeddingProvider;
}
