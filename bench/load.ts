/** Drives one server with autocannon and summarises what it saw. */
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  token: string;
  connections: number;
  /** Seconds. */
  duration: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** Milliseconds, from every response's own timing (autocannon's histogram rounds to 1 ms and has no p95). */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  statusCodes: Record<string, number>;
  firstError: string | undefined;
}

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let samples = 0;
  let firstError: string | undefined;
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.duration,
    timeout: 10,
    headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
  });
  instance.on('response', (_client, _statusCode, _bytes, milliseconds) => {
    if (samples === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[samples++] = milliseconds;
  });
  instance.on('reqError', (error) => {
    firstError ??= error.message;
  });
  const result = await instance;
  const sorted = latencies.subarray(0, samples).sort();
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count]));
  return {
    requests: samples,
    seconds: result.duration,
    requestsPerSecond: samples / result.duration,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    non2xx: result.non2xx,
    // autocannon counts a timeout as an error too.
    errors: result.errors,
    statusCodes,
    firstError,
  };
}
