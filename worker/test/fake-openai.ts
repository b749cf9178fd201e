/**
 * A local OpenAI-compatible server for tests and benchmarks (`@storesync/worker/testing`): the
 * real `openai` SDK talks to it over HTTP exactly as it talks to api.openai.com, so tests cover
 * the SDK's own request building, parsing and error classes. Dependency-free (node:http).
 *
 * Speaks `POST /v1/chat/completions` (JSON, or server-sent events with `stream: true`) and
 * `POST /v1/embeddings` (float arrays, or base64 little-endian float32 when the request asks for
 * `encoding_format: 'base64'`, which is the SDK's default), with `id`, `object`, `created`,
 * `model`, `finish_reason` and `usage` as the API sends them.
 *
 * By default chat answers with the offline provider's copy for the messages (so prompts carrying
 * a `storesync-offline` block get realistic copy) and embeddings are the offline provider's
 * feature-hashing vectors (so similar texts are near each other). Behaviour can be changed at any
 * time with `setBehaviour`: a delay, failures for the next K requests (429 with `retry-after`,
 * 5xx, malformed JSON, a content-policy 400), a requests-per-minute limit, a custom chat reply,
 * forced embedding encodings or dimensions, a rewrite of successful answers.
 */
import { once } from 'node:events';
import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { composeOfflineCopy, estimateTokens, hashedEmbedding } from '../src/providers/offline.ts';

export type FakeFailure =
  /**
   * 429 `rate_limit_exceeded`, with a `retry-after` header (whole seconds) when `retryAfterSeconds`
   * is given and a `retry-after-ms` header when `retryAfterMs` is, as OpenAI sends them.
   */
  | { kind: 'rate_limit'; retryAfterSeconds?: number; retryAfterMs?: number }
  /** A 5xx `server_error` (500 unless `status` says otherwise). */
  | { kind: 'server_error'; status?: number }
  /** 200 with `content-type: application/json` and a truncated body. */
  | { kind: 'malformed_json' }
  /** 400 `content_policy_violation`, as the API answers a prompt its safety system rejects. */
  | { kind: 'content_policy' };

export type FinishReason = 'stop' | 'length' | 'content_filter';

/** A chat request as the fake read it; message content in parts is joined to text. */
export interface FakeChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  body: Record<string, unknown>;
}

export interface FakeChatReply {
  content: string | null;
  finishReason?: FinishReason;
  refusal?: string;
}

export type FakeChatReplier = (request: FakeChatRequest) => string | FakeChatReply;

export interface FakeBehaviour {
  /** Wait this long before answering any request. */
  delayMs: number;
  /** Fail the next `count` requests (of any endpoint) this way, then answer normally again. */
  failNext: { failure: FakeFailure; count: number } | undefined;
  /** Answer 429 (with `retry-after`) beyond this many accepted requests in any 60-second window. */
  requestsPerMinute: number | undefined;
  chatReply: FakeChatReplier;
  /** `as_requested` follows the request's `encoding_format`; the others force one, as some servers do. */
  embeddingEncoding: 'as_requested' | 'float' | 'base64';
  /** Vector length regardless of the request; unset means the request's `dimensions`, else 1536. */
  embeddingDimensions: number | undefined;
  /** Rewrites each successful JSON answer before it is sent (reorder, drop or break fields). */
  rewriteAnswer: ((answer: Record<string, unknown>, path: string) => unknown) | undefined;
}

export interface FakeOpenAIOptions extends Partial<FakeBehaviour> {
  /** When set, requests must send `Authorization: Bearer <apiKey>` or get 401 `invalid_api_key`. */
  apiKey?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  /** When the request arrived (Date.now()), for tests of pacing and pauses. */
  receivedAt: number;
  /** The HTTP status it was answered with; unset until answered (or when the client gave up first). */
  status?: number;
}

export interface FakeOpenAI {
  /** `http://127.0.0.1:<port>/v1`, for the SDK's `baseURL`. */
  baseURL: string;
  /** Every request received, in order, failed ones included. */
  requests: RecordedRequest[];
  setBehaviour(changes: Partial<FakeBehaviour>): void;
  /** Back to the options the server started with; forgets recorded requests and the rate window. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_DIMENSIONS = 1536;
const RATE_WINDOW_MS = 60_000;

export const defaultChatReply: FakeChatReplier = (request) =>
  composeOfflineCopy(
    request.messages.filter((message) => message.role === 'user').map((message) => ({ role: 'user' as const, content: message.content })),
  );

function initialBehaviour(options: FakeOpenAIOptions): FakeBehaviour {
  return {
    delayMs: options.delayMs ?? 0,
    failNext: options.failNext ? { ...options.failNext } : undefined,
    requestsPerMinute: options.requestsPerMinute,
    chatReply: options.chatReply ?? defaultChatReply,
    embeddingEncoding: options.embeddingEncoding ?? 'as_requested',
    embeddingDimensions: options.embeddingDimensions,
    rewriteAnswer: options.rewriteAnswer,
  };
}

/** An answer to write: status, extra headers and a JSON value or raw text. */
interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  raw?: string;
  /** Server-sent events, written one by one. */
  events?: unknown[];
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  let behaviour = initialBehaviour(options);
  const requests: RecordedRequest[] = [];
  let acceptedTimes: number[] = [];
  let requestCount = 0;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    requestCount += 1;
    const requestId = `req_fake_${requestCount}`;
    const receivedAt = Date.now();
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    // Listen before reading the body: a client that hangs up early must not be answered later
    // with a failure planned for the next test's request.
    const clientGone = new AbortController();
    response.on('close', () => clientGone.abort());
    const text = await readBody(request);
    const body = parseJson(text);
    const recorded: RecordedRequest = { method: request.method ?? '', path, headers: request.headers, body: body ?? text, receivedAt };
    requests.push(recorded);
    if (clientGone.signal.aborted) return;

    if (behaviour.delayMs > 0) {
      const waited = await sleep(behaviour.delayMs, true, { signal: clientGone.signal }).catch((error: unknown) => {
        // The client gave up (its timeout) while we waited: there is nobody left to answer.
        if (clientGone.signal.aborted) return false;
        throw error;
      });
      if (!waited) return;
    }
    const answer = rewritten(answerRequest(request, path, body), path);
    recorded.status = answer.status;
    writeAnswer(response, answer, requestId);
  };

  const answerRequest = (request: IncomingMessage, path: string, body: Record<string, unknown> | undefined): FakeAnswer => {
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return errorAnswer(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    }
    const failure = takeFailure();
    if (failure) return failureAnswer(failure);
    const rateLimited = rateLimitAnswer();
    if (rateLimited) return rateLimited;
    if (request.method !== 'POST') return errorAnswer(405, `Method ${request.method ?? ''} not allowed.`, 'invalid_request_error', null);
    if (!body) return errorAnswer(400, 'We could not parse the JSON body of your request.', 'invalid_request_error', null);
    if (path === '/v1/chat/completions') return chatAnswer(body, behaviour.chatReply);
    if (path === '/v1/embeddings') return embeddingAnswer(body, behaviour);
    return errorAnswer(404, `Invalid URL (POST ${path})`, 'invalid_request_error', null);
  };

  const rewritten = (answer: FakeAnswer, path: string): FakeAnswer => {
    const { rewriteAnswer } = behaviour;
    if (!rewriteAnswer || answer.status !== 200 || !isRecord(answer.json)) return answer;
    return { ...answer, json: rewriteAnswer(answer.json, path) };
  };

  const takeFailure = (): FakeFailure | undefined => {
    const pending = behaviour.failNext;
    if (!pending || pending.count <= 0) return undefined;
    pending.count -= 1;
    return pending.failure;
  };

  const rateLimitAnswer = (): FakeAnswer | undefined => {
    const limit = behaviour.requestsPerMinute;
    if (limit === undefined) return undefined;
    const now = Date.now();
    acceptedTimes = acceptedTimes.filter((time) => time > now - RATE_WINDOW_MS);
    const [oldest] = acceptedTimes;
    if (acceptedTimes.length >= limit && oldest !== undefined) {
      const retryAfter = Math.max(1, Math.ceil((oldest + RATE_WINDOW_MS - now) / 1000));
      const answer = errorAnswer(429, `Rate limit reached: limit ${limit} requests per minute.`, 'requests', 'rate_limit_exceeded');
      answer.headers = { 'retry-after': String(retryAfter), ...rateLimitHeaders(limit, 0, retryAfter) };
      return answer;
    }
    acceptedTimes.push(now);
    return undefined;
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A bug in the fake or a custom reply: answer 500 with the reason, as a server would.
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) writeAnswer(response, errorAnswer(500, `fake server error: ${message}`, 'server_error', null), 'req_fake_error');
      else response.destroy(error instanceof Error ? error : undefined);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    setBehaviour(changes) {
      behaviour = { ...behaviour, ...changes, ...(changes.failNext ? { failNext: { ...changes.failNext } } : {}) };
    },
    reset() {
      behaviour = initialBehaviour(options);
      requests.length = 0;
      acceptedTimes = [];
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Endpoints

function chatAnswer(body: Record<string, unknown>, chatReply: FakeChatReplier): FakeAnswer {
  const { model, messages } = body;
  if (typeof model !== 'string' || !Array.isArray(messages) || messages.length === 0) {
    return errorAnswer(400, "'model' and a non-empty 'messages' array are required.", 'invalid_request_error', null);
  }
  const request: FakeChatRequest = { model, messages: messages.map(readMessage), body };
  const reply = normaliseReply(chatReply(request));
  const promptTokens = estimateTokens(request.messages.map((message) => message.content).join('\n'));
  const completionTokens = estimateTokens(reply.content ?? reply.refusal ?? '');
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
  const id = `chatcmpl-fake${Math.random().toString(36).slice(2, 12)}`;
  const created = Math.floor(Date.now() / 1000);
  if (body.stream === true) {
    const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
    return { status: 200, events: chatChunks({ id, created, model, reply, usage: includeUsage ? usage : undefined }) };
  }
  return {
    status: 200,
    json: {
      id,
      object: 'chat.completion',
      created,
      model,
      system_fingerprint: 'fp_fake',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: reply.content, refusal: reply.refusal ?? null, annotations: [] },
          logprobs: null,
          finish_reason: reply.finishReason,
        },
      ],
      usage,
      service_tier: 'default',
    },
  };
}

function readMessage(message: unknown): { role: string; content: string } {
  if (!isRecord(message)) return { role: 'unknown', content: '' };
  const role = typeof message.role === 'string' ? message.role : 'unknown';
  const { content } = message;
  if (typeof content === 'string') return { role, content };
  // Content in parts: [{ type: 'text', text: '…' }, …]
  const text = Array.isArray(content)
    ? content.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('')
    : '';
  return { role, content: text };
}

function normaliseReply(reply: string | FakeChatReply): Required<Omit<FakeChatReply, 'refusal'>> & Pick<FakeChatReply, 'refusal'> {
  if (typeof reply === 'string') return { content: reply, finishReason: 'stop' };
  return { content: reply.content, finishReason: reply.finishReason ?? 'stop', refusal: reply.refusal };
}

/** The chunks of a streamed completion: the role, the content word by word, the finish reason, usage. */
function chatChunks(completion: {
  id: string;
  created: number;
  model: string;
  reply: ReturnType<typeof normaliseReply>;
  usage: object | undefined;
}): unknown[] {
  const { id, created, model, reply, usage } = completion;
  const chunk = (choices: unknown[], extra: object = {}) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    system_fingerprint: 'fp_fake',
    choices,
    ...(usage ? { usage: null } : {}),
    ...extra,
  });
  const delta = (content: object, finishReason: FinishReason | null = null) => ({
    index: 0,
    delta: content,
    logprobs: null,
    finish_reason: finishReason,
  });
  const pieces = (reply.content ?? '').match(/\S+\s*/g) ?? [];
  return [
    chunk([delta({ role: 'assistant', content: '', refusal: null })]),
    ...pieces.map((piece) => chunk([delta({ content: piece })])),
    ...(reply.refusal ? [chunk([delta({ refusal: reply.refusal })])] : []),
    chunk([delta({}, reply.finishReason)]),
    ...(usage ? [chunk([], { usage })] : []),
  ];
}

function embeddingAnswer(body: Record<string, unknown>, behaviour: FakeBehaviour): FakeAnswer {
  const { model, input } = body;
  const texts = typeof input === 'string' ? [input] : input;
  if (typeof model !== 'string' || !Array.isArray(texts) || texts.length === 0 || !texts.every((text) => typeof text === 'string')) {
    return errorAnswer(400, "'model' and 'input' (a string or a non-empty array of strings) are required.", 'invalid_request_error', 'input');
  }
  const requestedDimensions = typeof body.dimensions === 'number' ? body.dimensions : undefined;
  const dimensions = behaviour.embeddingDimensions ?? requestedDimensions ?? DEFAULT_DIMENSIONS;
  const base64 =
    behaviour.embeddingEncoding === 'base64' || (behaviour.embeddingEncoding === 'as_requested' && body.encoding_format === 'base64');
  const promptTokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
  return {
    status: 200,
    json: {
      object: 'list',
      data: texts.map((text, index) => {
        const vector = hashedEmbedding(text, dimensions);
        return { object: 'embedding', index, embedding: base64 ? encodeFloat32Base64(vector) : vector };
      }),
      model,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    },
  };
}

/** Base64 of little-endian float32 values, as the API encodes `encoding_format: 'base64'`. */
export function encodeFloat32Base64(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * Float32Array.BYTES_PER_ELEMENT);
  vector.forEach((value, position) => bytes.writeFloatLE(value, position * Float32Array.BYTES_PER_ELEMENT));
  return bytes.toString('base64');
}

// ---------------------------------------------------------------------------------------------
// Failures and writing

function failureAnswer(failure: FakeFailure): FakeAnswer {
  switch (failure.kind) {
    case 'rate_limit': {
      const answer = errorAnswer(429, 'Rate limit reached for requests.', 'requests', 'rate_limit_exceeded');
      answer.headers = {
        ...(failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {}),
        ...(failure.retryAfterMs !== undefined ? { 'retry-after-ms': String(failure.retryAfterMs) } : {}),
      };
      return answer;
    }
    case 'server_error':
      return errorAnswer(
        failure.status ?? 500,
        'The server had an error while processing your request. Sorry about that!',
        'server_error',
        null,
      );
    case 'malformed_json':
      return { status: 200, raw: '{"id":"chatcmpl-fake-broken","object":"chat.completion","choices":[{"index":0,"mess' };
    case 'content_policy':
      return errorAnswer(
        400,
        'Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.',
        'invalid_request_error',
        'content_policy_violation',
      );
  }
}

function errorAnswer(status: number, message: string, type: string, code: string | null): FakeAnswer {
  return { status, json: { error: { message, type, param: null, code } } };
}

function rateLimitHeaders(limit: number, remaining: number, resetSeconds: number): Record<string, string> {
  return {
    'x-ratelimit-limit-requests': String(limit),
    'x-ratelimit-remaining-requests': String(remaining),
    'x-ratelimit-reset-requests': `${resetSeconds}s`,
  };
}

function writeAnswer(response: ServerResponse, answer: FakeAnswer, requestId: string): void {
  const headers = { 'x-request-id': requestId, 'openai-processing-ms': '1', ...answer.headers };
  if (answer.events) {
    response.writeHead(answer.status, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const event of answer.events) response.write(`data: ${JSON.stringify(event)}\n\n`);
    response.end('data: [DONE]\n\n');
    return;
  }
  const text = answer.raw ?? JSON.stringify(answer.json);
  response.writeHead(answer.status, { ...headers, 'content-type': 'application/json' });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    // Not JSON: the endpoint answers 400 like the API, and the raw text is recorded.
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
