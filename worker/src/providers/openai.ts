/**
 * The OpenAI provider: the real `openai` SDK against api.openai.com or any OpenAI-compatible
 * server (OPENAI_BASE_URL).
 *
 * - The SDK's own retries are off (`maxRetries: 0`): the job layer retries with backoff, and two
 *   retrying layers would multiply (3 SDK tries × N job attempts) and hide the real attempt count.
 * - Answers are validated with zod rather than trusted: the SDK only casts the JSON it receives,
 *   and compatible servers differ (some send base64 embeddings even when asked for floats).
 * - Every failure becomes a {@link ProviderError} whose `retryable` tells the job layer whether
 *   trying again can help; see {@link toProviderError}. A call aborted through the caller's own
 *   signal rejects with the signal's reason instead, as abortable web APIs do: it is the caller's
 *   decision, not a provider failure.
 */
import { EMBEDDING_DIMENSIONS } from '@storesync/db';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { z } from 'zod';
import { estimateTokens } from './offline.ts';
import {
  type ChatMessage,
  type ChatProvider,
  type ChatResult,
  type EmbeddingProvider,
  type EmbeddingResult,
  ProviderError,
  type Providers,
} from './types.ts';

export interface OpenAIProviderConfig {
  apiKey: string;
  /** Any OpenAI-compatible server, ending in `/v1`; unset means api.openai.com. */
  baseURL?: string;
  chatModel: string;
  embeddingModel: string;
  /** Per request, until the response headers arrive. */
  timeoutMs: number;
}

const CHAT_TEMPERATURE = 0.7;

export function createOpenAIProviders(config: OpenAIProviderConfig): Providers {
  const client = new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseURL,
    timeout: config.timeoutMs,
    maxRetries: 0,
  });
  const chat: ChatProvider = {
    name: 'openai',
    model: config.chatModel,
    complete: (messages, options) =>
      callProvider(`chat completion with ${config.chatModel}`, config.timeoutMs, options?.signal, () =>
        completeChat(client, config.chatModel, messages, options?.signal),
      ),
  };
  const embeddings: EmbeddingProvider = {
    name: 'openai',
    model: config.embeddingModel,
    dimensions: EMBEDDING_DIMENSIONS,
    embed: (texts, options) =>
      callProvider(`embedding with ${config.embeddingModel}`, config.timeoutMs, options?.signal, () =>
        createEmbeddings(client, config.embeddingModel, EMBEDDING_DIMENSIONS, texts, options?.signal),
      ),
  };
  return { chat, embeddings };
}

/** Runs one SDK call, turning its failures into ProviderErrors (or the caller's abort reason). */
async function callProvider<T>(
  operation: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof APIUserAbortError && signal?.aborted) throw signal.reason;
    throw toProviderError(error, operation, timeoutMs) ?? error;
  }
}

// ---------------------------------------------------------------------------------------------
// Chat

const chatCompletionSchema = z.object({
  model: z.string(),
  choices: z
    .array(
      z.object({
        finish_reason: z.string().nullable(),
        message: z.object({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
        }),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() }).nullish(),
});

async function completeChat(
  client: OpenAI,
  model: string,
  messages: ChatMessage[],
  signal: AbortSignal | undefined,
): Promise<ChatResult> {
  const response: unknown = await client.chat.completions.create(
    { model, messages, temperature: CHAT_TEMPERATURE },
    { signal },
  );
  const completion = parseAnswer(chatCompletionSchema, response, 'chat completion');
  const [choice] = completion.choices;
  if (!choice) throw new Error('unreachable: the schema requires one choice');
  const content = acceptedContent(choice);
  return {
    content,
    model: completion.model,
    // Some compatible servers omit usage; an estimate keeps cost reporting from reading zero.
    promptTokens: completion.usage?.prompt_tokens ?? estimateTokens(messages.map((message) => message.content).join('\n')),
    completionTokens: completion.usage?.completion_tokens ?? estimateTokens(content),
  };
}

type ChatChoice = z.infer<typeof chatCompletionSchema>['choices'][number];

/** The trimmed copy of a choice, or why there is none and whether asking again can help. */
function acceptedContent(choice: ChatChoice): string {
  const { refusal } = choice.message;
  if (refusal) {
    throw new ProviderError(`the model refused: ${refusal}`, { retryable: false });
  }
  if (choice.finish_reason === 'content_filter') {
    throw new ProviderError('the content filter stopped the completion (content policy); the same prompt will be filtered again', {
      retryable: false,
    });
  }
  if (choice.finish_reason === 'length') {
    // We set no max_tokens, so this is the model's context limit: the same prompt overflows again.
    throw new ProviderError('the completion was cut off at the length limit (prompt too long for the model)', { retryable: false });
  }
  const content = choice.message.content?.trim() ?? '';
  if (!content) {
    // Retryable: with no refusal, filter or length limit, an empty answer is a sampling glitch,
    // and a new sample at temperature 0.7 is a fresh draw. The job layer bounds the attempts.
    throw new ProviderError(`the model answered with no content (finish_reason ${choice.finish_reason ?? 'null'})`, {
      retryable: true,
    });
  }
  return content;
}

// ---------------------------------------------------------------------------------------------
// Embeddings

const embeddingResponseSchema = z.object({
  model: z.string(),
  data: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      embedding: z.union([z.array(z.number()), z.string()]),
    }),
  ),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative() }).nullish(),
});

async function createEmbeddings(
  client: OpenAI,
  model: string,
  dimensions: number,
  texts: string[],
  signal: AbortSignal | undefined,
): Promise<EmbeddingResult> {
  // The API rejects an empty input list; nothing to embed is simply no embeddings.
  if (texts.length === 0) return { embeddings: [], model, promptTokens: 0 };
  const response: unknown = await client.embeddings.create(
    {
      model,
      input: texts,
      encoding_format: 'float',
      // Only the text-embedding-3 models can shorten their vectors; others reject the parameter.
      ...(supportsDimensionsParameter(model) ? { dimensions } : {}),
    },
    { signal },
  );
  const answer = parseAnswer(embeddingResponseSchema, response, 'embedding');
  return {
    embeddings: orderedEmbeddings(answer.data, texts.length, dimensions),
    model: answer.model,
    promptTokens: answer.usage?.prompt_tokens ?? texts.reduce((sum, text) => sum + estimateTokens(text), 0),
  };
}

function supportsDimensionsParameter(model: string): boolean {
  return model.startsWith('text-embedding-3');
}

/** The vectors in input order (by `index`), each checked to be exactly `dimensions` long. */
function orderedEmbeddings(
  data: z.infer<typeof embeddingResponseSchema>['data'],
  inputCount: number,
  dimensions: number,
): number[][] {
  if (data.length !== inputCount) {
    throw new ProviderError(`the embedding answer has ${data.length} vectors for ${inputCount} inputs`, { retryable: false });
  }
  const vectors = new Array<number[] | undefined>(inputCount).fill(undefined);
  for (const item of data) {
    if (item.index >= inputCount || vectors[item.index]) {
      throw new ProviderError(`the embedding answer has a missing or repeated index ${item.index}`, { retryable: false });
    }
    const vector = decodeEmbedding(item.embedding);
    if (vector.length !== dimensions) {
      // Not retryable: the model (or its `dimensions` setting) does not match our vector(1536) column.
      throw new ProviderError(`the embedding has ${vector.length} dimensions, expected ${dimensions}`, { retryable: false });
    }
    vectors[item.index] = vector;
  }
  return vectors.map((vector) => {
    if (!vector) throw new Error('unreachable: every index was filled once');
    return vector;
  });
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * An embedding as numbers: float arrays pass through; a string is base64 of little-endian float32
 * values (what the API sends for `encoding_format: 'base64'`, and what some compatible servers
 * send whatever was asked).
 */
export function decodeEmbedding(value: number[] | string): number[] {
  if (typeof value !== 'string') return value;
  if (value.length % 4 !== 0 || !BASE64.test(value)) {
    throw new ProviderError('the embedding is neither a float array nor base64', { retryable: false });
  }
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length % Float32Array.BYTES_PER_ELEMENT !== 0) {
    throw new ProviderError(`the base64 embedding has ${bytes.length} bytes, not a whole number of float32 values`, {
      retryable: false,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / Float32Array.BYTES_PER_ELEMENT }, (_, position) =>
    view.getFloat32(position * Float32Array.BYTES_PER_ELEMENT, true),
  );
}

// ---------------------------------------------------------------------------------------------
// Answers and errors

/**
 * The answer checked against `schema`. A body that is not JSON at all (the SDK hands over text
 * when the content type is not JSON, e.g. a proxy's HTML page) is treated like malformed JSON:
 * retryable. JSON of the wrong shape is a server that does not speak this API: not retryable.
 */
function parseAnswer<T>(schema: z.ZodType<T>, response: unknown, what: string): T {
  if (response === null || typeof response !== 'object') {
    throw new ProviderError(`the ${what} answer is not a JSON object`, { retryable: true });
  }
  const parsed = schema.safeParse(response);
  if (!parsed.success) {
    throw new ProviderError(`the ${what} answer does not match the OpenAI API: ${z.prettifyError(parsed.error)}`, {
      retryable: false,
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** OpenAI error codes of a request its content policy rejected. */
const CONTENT_POLICY_CODES = new Set(['content_policy_violation', 'content_filter']);

/**
 * Maps an SDK failure to a ProviderError. Retryable: 429 (except an exhausted quota), 408, 409
 * (the API's lock timeout), 5xx, timeouts, connection errors and malformed JSON. Not retryable:
 * the other 4xx (bad request, authentication, permission, unknown model, unprocessable) and
 * content policy rejections. Undefined for errors that are not the SDK's (bugs): they pass through.
 */
export function toProviderError(error: unknown, operation: string, timeoutMs: number): ProviderError | undefined {
  if (error instanceof ProviderError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError(`${operation} timed out after ${timeoutMs} ms`, { retryable: true, cause: error });
  }
  if (error instanceof APIConnectionError) {
    return new ProviderError(`${operation} could not connect: ${error.message}`, { retryable: true, cause: error });
  }
  if (isApiError(error)) return apiErrorToProviderError(error, operation);
  if (error instanceof SyntaxError) {
    // The SDK parses JSON bodies itself and lets the SyntaxError through. A truncated or garbled
    // body is usually a proxy or connection hiccup, not an answer that will repeat: retryable.
    return new ProviderError(`${operation} answered malformed JSON: ${error.message}`, { retryable: true, cause: error });
  }
  return undefined;
}

/** `instanceof APIError` narrows to APIError<any, any, any>; this keeps the default, typed parameters. */
function isApiError(error: unknown): error is APIError {
  return error instanceof APIError;
}

function apiErrorToProviderError(error: APIError, operation: string): ProviderError {
  const status = error.status;
  const detail = `${operation} failed with HTTP ${status ?? 'error'}: ${error.message}`;
  if (error.code && CONTENT_POLICY_CODES.has(error.code)) {
    return new ProviderError(`${operation} was rejected by the content policy: ${error.message}`, {
      retryable: false,
      status,
      cause: error,
    });
  }
  if (status === 429) {
    // An exhausted quota (billing) is also a 429, but waiting does not refill it.
    const quotaExhausted = error.code === 'insufficient_quota';
    return new ProviderError(detail, {
      retryable: !quotaExhausted,
      status,
      retryAfterSeconds: quotaExhausted ? undefined : retryAfterSeconds(error.headers),
      cause: error,
    });
  }
  const retryable = status === undefined || status === 408 || status === 409 || status >= 500;
  return new ProviderError(detail, { retryable, status, cause: error });
}

/** The wait the server asked for: `retry-after-ms`, or `retry-after` in seconds or as an HTTP date. */
export function retryAfterSeconds(headers: Headers | undefined, now = Date.now()): number | undefined {
  const milliseconds = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds / 1000;
  const retryAfter = headers?.get('retry-after')?.trim();
  if (!retryAfter) return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number.parseFloat(retryAfter);
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
