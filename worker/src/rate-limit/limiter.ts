/**
 * The model provider's rate limits (requests and tokens per minute), shared by every worker
 * through one Redis hash, so N worker processes together stay within what one API key may spend.
 *
 * The algorithm is GCRA (a token bucket kept as "theoretical arrival times"), one per limit:
 *
 * - requests: a call may start at the bucket's time `requests`, which then moves on by
 *   60 000 / RPM ms. Calls are spaced evenly, never burst, so any 60-second window holds at most
 *   RPM of them, and so does any second hold its 1/60th: providers enforce per-minute limits at
 *   a finer grain (OpenAI says so), and a limiter that lets a minute's budget out in its first
 *   second gets 429s from them that an even pace does not.
 * - tokens: a call may start once the tokens reserved before it have been paid for at TPM;
 *   its estimated tokens then move `tokens` on by tokens × 60 000 / TPM ms, and when the answer
 *   states the real usage, `adjust` moves it by the difference (back for a refund). A call is
 *   never refused for its own size, so one minute holds at most TPM plus the last call's tokens.
 * - `paused`: nothing starts before it; set from a 429's Retry-After (see `pause`).
 *
 * A reservation is made atomically (one Lua script reading Redis' own clock, so workers on
 * different machines agree on the time) and may lie in the future: the caller waits for its
 * slot. The slot is held while it waits, so concurrent callers line up instead of polling, and
 * the provider sees exactly the configured pace when there is more work than budget.
 */

export interface RateLimits {
  /** Calls per minute (chat and embeddings alike); unset: no limit. */
  requestsPerMinute?: number;
  /** Tokens per minute, prompt and completion; unset: no limit. */
  tokensPerMinute?: number;
}

export interface Reservation {
  /** How long the caller must wait before it starts its call (0: at once). */
  waitMs: number;
  /** The tokens reserved, to be corrected with `adjust` when the real usage is known. */
  tokens: number;
}

export interface RateLimiter {
  /** How long a call would wait now, reserving nothing. */
  waitTime(): Promise<number>;
  /** How long the pause set by `pause` still lasts (0: none). */
  pausedFor(): Promise<number>;
  /** Takes the next slot for one call of about `tokens` tokens, however far ahead it lies. */
  reserve(tokens: number): Promise<Reservation>;
  /** Corrects the tokens of a reservation once the answer says what the call really used. */
  adjust(reservation: Reservation, actualTokens: number): Promise<void>;
  /** No call starts anywhere for `ms` (a provider's Retry-After); a longer pause already set stands. */
  pause(ms: number): Promise<void>;
}

/**
 * KEYS[1] the limiter's hash. ARGV: ms per request (0: no limit), ms per token (0: no limit),
 * tokens, and what to do: `reserve`, `wait` (answer the wait, reserve nothing) or `paused`
 * (answer how long the pause lasts). Answers in whole ms, rounded up.
 */
const RESERVE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local msPerRequest = tonumber(ARGV[1])
local msPerToken = tonumber(ARGV[2])
local tokens = tonumber(ARGV[3])
local mode = ARGV[4]
local state = redis.call('HMGET', KEYS[1], 'requests', 'tokens', 'paused')
local start = math.max(now, tonumber(state[3]) or 0)
if mode == 'paused' then return math.ceil(start - now) end
if msPerRequest > 0 then start = math.max(start, tonumber(state[1]) or 0) end
if msPerToken > 0 then start = math.max(start, tonumber(state[2]) or 0) end
local wait = math.ceil(start - now)
if mode ~= 'reserve' then return wait end
local requestsAt = start + msPerRequest
local tokensAt = start + tokens * msPerToken
if msPerRequest > 0 then redis.call('HSET', KEYS[1], 'requests', tostring(requestsAt)) end
if msPerToken > 0 then redis.call('HSET', KEYS[1], 'tokens', tostring(tokensAt)) end
-- Idle limiters disappear: a minute after the last reservation is paid for, its state says nothing.
redis.call('PEXPIRE', KEYS[1], math.ceil(math.max(requestsAt, tokensAt) - now) + 60000)
return wait
`;

/** KEYS[1] the limiter's hash. ARGV: ms per token, token difference (negative: a refund). */
const ADJUST = `
if redis.call('HEXISTS', KEYS[1], 'tokens') == 0 then return 0 end
local tokensAt = tonumber(redis.call('HGET', KEYS[1], 'tokens')) + tonumber(ARGV[2]) * tonumber(ARGV[1])
redis.call('HSET', KEYS[1], 'tokens', tostring(tokensAt))
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local ttl = redis.call('PTTL', KEYS[1])
redis.call('PEXPIRE', KEYS[1], math.max(ttl, math.ceil(tokensAt - now) + 60000))
return 1
`;

/** KEYS[1] the limiter's hash. ARGV: pause in ms. */
const PAUSE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local pausedUntil = math.max(tonumber(redis.call('HGET', KEYS[1], 'paused')) or 0, now + tonumber(ARGV[1]))
redis.call('HSET', KEYS[1], 'paused', tostring(pausedUntil))
local ttl = redis.call('PTTL', KEYS[1])
redis.call('PEXPIRE', KEYS[1], math.max(ttl, math.ceil(pausedUntil - now) + 60000))
return 1
`;

/**
 * What the limiter needs of a Redis client: BullMQ's client interface (`queue.getBackend().client`),
 * whose ioredis adapter runs a defined script by its SHA-1 and reloads it after a Redis restart.
 */
export interface ScriptClient {
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
  runCommand(name: string, args: (string | number)[]): Promise<unknown>;
}

const SCRIPTS = { storesyncRateReserve: RESERVE, storesyncRateAdjust: ADJUST, storesyncRatePause: PAUSE };
type ScriptName = keyof typeof SCRIPTS;

/** Runs the limiter's scripts, defining them on the client at the first call. */
function scriptRunner(client: Promise<ScriptClient>) {
  let ready: Promise<ScriptClient> | undefined;
  return async (name: ScriptName, key: string, ...args: (string | number)[]) => {
    ready ??= client.then((resolved) => {
      for (const [script, lua] of Object.entries(SCRIPTS)) resolved.defineCommand(script, { numberOfKeys: 1, lua });
      return resolved;
    });
    return (await ready).runCommand(name, [key, ...args]);
  };
}

function msPer(perMinute: number | undefined): number {
  return perMinute ? 60_000 / perMinute : 0;
}

/** A limiter on `key`; every worker of one provider account must use the same key and limits. */
export function createRateLimiter(client: Promise<ScriptClient>, key: string, limits: RateLimits): RateLimiter {
  const run = scriptRunner(client);
  const msPerRequest = msPer(limits.requestsPerMinute);
  const msPerToken = msPer(limits.tokensPerMinute);
  const wait = async (tokens: number, mode: 'reserve' | 'wait' | 'paused') =>
    Math.max(0, Number(await run('storesyncRateReserve', key, msPerRequest, msPerToken, tokens, mode)));
  return {
    waitTime: () => wait(0, 'wait'),
    pausedFor: () => wait(0, 'paused'),
    async reserve(estimate) {
      const tokens = Math.max(0, Math.ceil(estimate));
      return { waitMs: await wait(tokens, 'reserve'), tokens };
    },
    async adjust(reservation, actualTokens) {
      const difference = Math.ceil(actualTokens) - reservation.tokens;
      if (msPerToken === 0 || difference === 0) return;
      await run('storesyncRateAdjust', key, msPerToken, difference);
    },
    async pause(ms) {
      if (ms > 0) await run('storesyncRatePause', key, Math.ceil(ms));
    },
  };
}
