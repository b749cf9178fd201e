import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { once } from 'node:events';
import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAI, encodeFloat32Base64, startFakeOpenAI } from '../../test/fake-openai.ts';
import { offlinePromptPayload } from './offline.ts';
import { createOpenAIProviders, decodeEmbedding, retryAfterSeconds, toProviderError } from './openai.ts';
import { type ChatMessage, ProviderError, type Providers } from './types.ts';

const API_KEY = 'sk-test-storesync';

let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: API_KEY });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

function providers(overrides: Partial<Parameters<typeof createOpenAIProviders>[0]> = {}): Providers {
  return createOpenAIProviders({
    apiKey: API_KEY,
    baseURL: fake.baseURL,
    chatModel: 'gpt-4o-mini',
    embeddingModel: 'text-embedding-3-small',
    timeoutMs: 5_000,
    ...overrides,
  });
}

const messages: ChatMessage[] = [
  { role: 'system', content: 'You write short local marketing copy.' },
  { role: 'user', content: 'Write copy for the spring sale at Pearl Street.' },
];

/** The ProviderError a call rejects with; fails the test when it resolves or throws something else. */
async function providerError(call: Promise<unknown>): Promise<ProviderError> {
  const error: unknown = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('OpenAI chat provider', () => {
  it('sends the model, messages and temperature once and returns the trimmed content with usage', async () => {
    fake.setBehaviour({ chatReply: () => '  Spring sale at Pearl Street: 20% off garden tools.\n' });

    const result = await providers().chat.complete(messages);

    expect(result).toEqual({
      content: 'Spring sale at Pearl Street: 20% off garden tools.',
      model: 'gpt-4o-mini',
      promptTokens: expect.any(Number),
      completionTokens: expect.any(Number),
    });
    expect(result.promptTokens).toBeGreaterThan(0);
    expect(result.completionTokens).toBe(Math.ceil('  Spring sale at Pearl Street: 20% off garden tools.\n'.length / 4));
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.body).toEqual({ model: 'gpt-4o-mini', messages, temperature: 0.7 });
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers['x-stainless-retry-count']).toBe('0');
  });

  it('gets realistic copy from the fake when the prompt carries the offline payload', async () => {
    const payload = offlinePromptPayload({
      renderedTemplate: 'Spring sale at Summit Hardware Pearl Street in Boulder: save 20% on garden tools.',
      location: { name: 'Pearl Street', city: 'Boulder', attributes: { has_lumber_yard: true } },
    });
    const result = await providers().chat.complete([{ role: 'user', content: `Write the copy.\n\n${payload}` }]);
    expect(result.content).toContain('Pearl Street');
    expect(result.content).toContain('lumber yard');
  });

  it('rejects a refusal as not retryable, stating the reason', async () => {
    fake.setBehaviour({ chatReply: () => ({ content: null, refusal: "I can't help with that request." }) });
    const error = await providerError(providers().chat.complete(messages));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("refused: I can't help with that request.");
  });

  it('rejects a content_filter finish as not retryable', async () => {
    fake.setBehaviour({ chatReply: () => ({ content: '', finishReason: 'content_filter' }) });
    const error = await providerError(providers().chat.complete(messages));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/content filter.*content policy/);
  });

  it('rejects a completion cut off at the length limit as not retryable', async () => {
    fake.setBehaviour({ chatReply: () => ({ content: 'Spring sale at', finishReason: 'length' }) });
    const error = await providerError(providers().chat.complete(messages));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('length limit');
  });

  it('rejects empty content as retryable (a fresh sample usually has content)', async () => {
    fake.setBehaviour({ chatReply: () => '   ' });
    const error = await providerError(providers().chat.complete(messages));
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('no content');
  });

  it('estimates usage when a compatible server omits it', async () => {
    fake.setBehaviour({ chatReply: () => 'Hello Boulder.', rewriteAnswer: ({ usage: _usage, ...answer }) => answer });
    const result = await providers().chat.complete(messages);
    expect(result.completionTokens).toBe(Math.ceil('Hello Boulder.'.length / 4));
    expect(result.promptTokens).toBe(Math.ceil(messages.map((message) => message.content).join('\n').length / 4));
  });

  it('rejects an answer that does not match the API as not retryable', async () => {
    fake.setBehaviour({ rewriteAnswer: ({ choices: _choices, ...answer }) => answer });
    const error = await providerError(providers().chat.complete(messages));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('does not match the OpenAI API');
  });
});

describe('OpenAI embedding provider', () => {
  const texts = ['Spring sale on garden tools in Boulder', 'Double rewards points at the Capitol Hill cafe'];

  it('asks for floats and 1536 dimensions and returns one vector per input', async () => {
    const result = await providers().embeddings.embed(texts);

    expect(result.model).toBe('text-embedding-3-small');
    expect(result.embeddings).toHaveLength(2);
    for (const vector of result.embeddings) expect(vector).toHaveLength(1536);
    expect(result.promptTokens).toBe(texts.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0));
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.body).toEqual({
      model: 'text-embedding-3-small',
      input: texts,
      encoding_format: 'float',
      dimensions: 1536,
    });
  });

  it('does not send dimensions to models that cannot shorten their vectors', async () => {
    await providers({ embeddingModel: 'text-embedding-ada-002' }).embeddings.embed(texts);
    expect(fake.requests[0]?.body).not.toHaveProperty('dimensions');
  });

  it('decodes base64 vectors from a server that sends them although floats were asked for', async () => {
    const asFloats = await providers().embeddings.embed(texts);
    fake.setBehaviour({ embeddingEncoding: 'base64' });

    const asBase64 = await providers().embeddings.embed(texts);

    expect(asBase64.embeddings).toHaveLength(2);
    asBase64.embeddings.forEach((vector, position) => {
      expect(vector).toHaveLength(1536);
      // float32 on the wire: equal to the float answer up to float32 rounding.
      expect(vector).toEqual(asFloats.embeddings[position]?.map((value) => Math.fround(value)));
    });
  });

  it('puts vectors in input order by their index', async () => {
    const inOrder = await providers().embeddings.embed(texts);
    fake.setBehaviour({
      rewriteAnswer: (answer, path) =>
        path === '/v1/embeddings' && Array.isArray(answer.data) ? { ...answer, data: [...(answer.data as unknown[])].reverse() } : answer,
    });
    const reversed = await providers().embeddings.embed(texts);
    expect(reversed.embeddings).toEqual(inOrder.embeddings);
  });

  it('rejects vectors of the wrong length as not retryable', async () => {
    fake.setBehaviour({ embeddingDimensions: 768 });
    const error = await providerError(providers().embeddings.embed(texts));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('768 dimensions, expected 1536');
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects an answer with fewer vectors than inputs', async () => {
    fake.setBehaviour({
      rewriteAnswer: (answer) => ({ ...answer, data: (answer.data as unknown[]).slice(0, 1) }),
    });
    const error = await providerError(providers().embeddings.embed(texts));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('1 vectors for 2 inputs');
  });

  it('answers an empty input list without a request', async () => {
    const result = await providers().embeddings.embed([]);
    expect(result.embeddings).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('OpenAI provider errors (SDK retries off: one request per failing call)', () => {
  it('maps 429 to retryable with the retry-after seconds', async () => {
    fake.setBehaviour({ failNext: { failure: { kind: 'rate_limit', retryAfterSeconds: 7 }, count: 1 } });
    const error = await providerError(providers().chat.complete(messages));
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterSeconds: 7 });
    expect(fake.requests).toHaveLength(1);
  });

  it('maps a requests-per-minute limit to retryable with the wait until the window frees', async () => {
    fake.setBehaviour({ requestsPerMinute: 2 });
    const chat = providers().chat;
    await chat.complete(messages);
    await chat.complete(messages);
    const error = await providerError(chat.complete(messages));
    expect(error).toMatchObject({ retryable: true, status: 429 });
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(fake.requests).toHaveLength(3);
  });

  it.each([500, 502, 503])('maps %i to retryable', async (status) => {
    fake.setBehaviour({ failNext: { failure: { kind: 'server_error', status }, count: 1 } });
    const error = await providerError(providers().embeddings.embed(['text']));
    expect(error).toMatchObject({ retryable: true, status });
    expect(fake.requests).toHaveLength(1);
  });

  it('maps a malformed JSON body to retryable', async () => {
    fake.setBehaviour({ failNext: { failure: { kind: 'malformed_json' }, count: 1 } });
    const error = await providerError(providers().chat.complete(messages));
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('malformed JSON');
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(fake.requests).toHaveLength(1);
  });

  it('maps a content-policy 400 to not retryable, saying so', async () => {
    fake.setBehaviour({ failNext: { failure: { kind: 'content_policy' }, count: 1 } });
    const error = await providerError(providers().chat.complete(messages));
    expect(error).toMatchObject({ retryable: false, status: 400 });
    expect(error.message).toContain('rejected by the content policy');
    expect(fake.requests).toHaveLength(1);
  });

  it('maps 401 (wrong API key) to not retryable', async () => {
    const error = await providerError(providers({ apiKey: 'sk-wrong' }).chat.complete(messages));
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(fake.requests).toHaveLength(1);
  });

  it('maps 404 (unknown endpoint) to not retryable', async () => {
    const error = await providerError(providers({ baseURL: `${fake.baseURL}/missing` }).chat.complete(messages));
    expect(error).toMatchObject({ retryable: false, status: 404 });
  });

  it('maps a timeout to retryable after a single request', async () => {
    fake.setBehaviour({ delayMs: 1_000 });
    const started = Date.now();
    const error = await providerError(providers({ timeoutMs: 100 }).chat.complete(messages));
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('timed out after 100 ms');
    expect(Date.now() - started).toBeLessThan(900);
    expect(fake.requests).toHaveLength(1);
  });

  it('maps a refused connection to retryable', async () => {
    const closedServer = createServer();
    closedServer.listen(0, '127.0.0.1');
    await once(closedServer, 'listening');
    const { port } = closedServer.address() as AddressInfo;
    closedServer.close();
    await once(closedServer, 'close');

    const error = await providerError(providers({ baseURL: `http://127.0.0.1:${port}/v1` }).chat.complete(messages));
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('could not connect');
  });

  it("rejects with the caller's own abort reason, not a provider failure", async () => {
    fake.setBehaviour({ delayMs: 1_000 });
    const controller = new AbortController();
    const call = providers().chat.complete(messages, { signal: controller.signal });
    const reason = new Error('job cancelled');
    setTimeout(() => controller.abort(reason), 20);
    await expect(call).rejects.toBe(reason);
  });

  it('recovers once the failures are over', async () => {
    fake.setBehaviour({ failNext: { failure: { kind: 'server_error' }, count: 2 } });
    const chat = providers().chat;
    await expect(chat.complete(messages)).rejects.toBeInstanceOf(ProviderError);
    await expect(chat.complete(messages)).rejects.toBeInstanceOf(ProviderError);
    await expect(chat.complete(messages)).resolves.toMatchObject({ model: 'gpt-4o-mini' });
    expect(fake.requests).toHaveLength(3);
  });
});

describe('toProviderError', () => {
  it('treats an exhausted quota (429 insufficient_quota) as not retryable', () => {
    const quota = APIError.generate(
      429,
      { error: { message: 'You exceeded your current quota.', type: 'insufficient_quota', code: 'insufficient_quota' } },
      undefined,
      new Headers({ 'retry-after': '20' }),
    );
    expect(toProviderError(quota, 'chat', 1_000)).toMatchObject({ retryable: false, status: 429, retryAfterSeconds: undefined });
  });

  it('lets errors that are not the SDK’s pass through', () => {
    expect(toProviderError(new TypeError('a bug'), 'chat', 1_000)).toBeUndefined();
  });
});

describe('retryAfterSeconds', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('reads retry-after-ms first, then retry-after as seconds or an HTTP date', () => {
    expect(retryAfterSeconds(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), now)).toBe(1.5);
    expect(retryAfterSeconds(new Headers({ 'retry-after': '12' }), now)).toBe(12);
    expect(retryAfterSeconds(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), now)).toBe(30);
  });

  it('is undefined when the server said nothing usable', () => {
    expect(retryAfterSeconds(new Headers(), now)).toBeUndefined();
    expect(retryAfterSeconds(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterSeconds(undefined, now)).toBeUndefined();
  });
});

describe('decodeEmbedding', () => {
  it('decodes base64 of little-endian float32 values', () => {
    const bytes = Buffer.alloc(12);
    bytes.writeFloatLE(1.5, 0);
    bytes.writeFloatLE(-2, 4);
    bytes.writeFloatLE(0.1, 8);
    expect(decodeEmbedding(bytes.toString('base64'))).toEqual([1.5, -2, Math.fround(0.1)]);
  });

  it('round-trips the fake server’s encoding and passes float arrays through', () => {
    const vector = [0.25, -0.5, 0.125, 0];
    expect(decodeEmbedding(encodeFloat32Base64(vector))).toEqual(vector);
    expect(decodeEmbedding(vector)).toBe(vector);
  });

  it('rejects strings that are not base64 of whole float32 values', () => {
    expect(() => decodeEmbedding('not base64!')).toThrow(ProviderError);
    expect(() => decodeEmbedding(Buffer.from([1, 2, 3, 4, 5, 6]).toString('base64'))).toThrow(/whole number of float32/);
  });
});

describe('fake OpenAI server', () => {
  it('streams a completion as server-sent events the SDK reads, with usage', async () => {
    fake.setBehaviour({ chatReply: () => 'Fresh coffee in Boulder.' });
    const client = new OpenAI({ apiKey: API_KEY, baseURL: fake.baseURL, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let content = '';
    let finishReason: string | null | undefined;
    let completionTokens: number | undefined;
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? '';
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
      completionTokens = chunk.usage?.completion_tokens ?? completionTokens;
    }
    expect(content).toBe('Fresh coffee in Boulder.');
    expect(finishReason).toBe('stop');
    expect(completionTokens).toBe(Math.ceil('Fresh coffee in Boulder.'.length / 4));
  });

  it('answers base64 embeddings when the request asks for them (the SDK default) and the SDK decodes them', async () => {
    const client = new OpenAI({ apiKey: API_KEY, baseURL: fake.baseURL, maxRetries: 0 });
    const result = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'garden tools' });
    expect(fake.requests[0]?.body).toMatchObject({ encoding_format: 'base64' });
    expect(result.data[0]?.embedding).toHaveLength(1536);
    expect(result).toMatchObject({ object: 'list', model: 'text-embedding-3-small', usage: { prompt_tokens: 3, total_tokens: 3 } });
  });
});
