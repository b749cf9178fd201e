/**
 * Where a webhook may be delivered, so a brand's webhook URL cannot be used to reach the machines
 * around StoreSync (SSRF). The API checks the URL when it is saved (webhookUrlProblem); the worker
 * checks it again at every delivery, resolves the name once, refuses if any address it resolves to
 * is internal (DNS rebinding), and connects to the very address it checked (postToTarget), never
 * following redirects. The address rules are in addresses.ts.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { classifyAddress, describeRange, hostRefusal } from './addresses.ts';
import type { WebhookTargetPolicy } from './config.ts';

export type { WebhookTargetPolicy } from './config.ts';

/** Every address of a name (dns.lookup with `all: true`); tests pass their own. */
export type ResolveHost = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

export const systemResolveHost: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

const PRIVATE_HINT = "use the receiver's public host name or address";

/**
 * What is wrong with a webhook URL under the policy, phrased as the fix; null when it may be
 * saved. Only the URL itself: names are resolved, and their addresses checked, at delivery.
 */
export function webhookUrlProblem(value: string, policy: WebhookTargetPolicy): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'use an absolute http:// or https:// URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'use an http:// or https:// URL';
  if (url.protocol === 'http:' && !policy.allowHttp) return 'use an https:// URL: plain http:// is accepted only in development and test';
  if (url.username || url.password) return 'remove the user name and password from the URL: receivers verify deliveries by their StoreSync-Signature header';
  if (!policy.allowPrivate) {
    const refusal = hostRefusal(url.hostname);
    if (refusal) return `${refusal}, which webhooks may not target; ${PRIVATE_HINT}`;
  }
  return null;
}

/** A checked URL and the one address to connect to. */
export interface WebhookTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export type TargetResolution = { target: WebhookTarget; refused?: undefined } | { refused: string; target?: undefined };

/**
 * The URL checked under the policy, its name resolved once and every address checked. `refused`
 * is final (the policy says no; retrying would not change it); a failing lookup throws, to be retried.
 */
export async function resolveWebhookTarget(value: string, policy: WebhookTargetPolicy, resolveHost: ResolveHost): Promise<TargetResolution> {
  const problem = webhookUrlProblem(value, policy);
  if (problem) return { refused: problem };
  const url = new URL(value);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const literal = classifyAddress(host);
  if (literal) return { target: { url, address: host, family: literal.family } };
  const addresses = await resolveHost(host);
  if (addresses.length === 0) throw new Error(`${host} has no address`);
  if (!policy.allowPrivate) {
    for (const { address } of addresses) {
      const resolved = classifyAddress(address);
      if (!resolved) return { refused: `${host} resolves to ${address}, which is not an IP address` };
      if (resolved.range !== null) {
        const carried = resolved.family === 6 && resolved.ipv4 ? ` (carrying ${resolved.ipv4})` : '';
        return { refused: `${host} resolves to ${address}${carried}, ${describeRange(resolved.range)}, which webhooks may not target; ${PRIVATE_HINT}` };
      }
    }
  }
  const [first] = addresses;
  return { target: { url, address: first!.address, family: classifyAddress(first!.address)?.family ?? (first!.family === 6 ? 6 : 4) } };
}

export class WebhookTimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * POSTs `body` to the target and answers its HTTP status. The connection goes to the checked
 * address (a `lookup` that answers only it; TLS still verifies the certificate for the URL's
 * name), on a connection of its own; redirects are not followed, and the answer's body is not read.
 */
export function postToTarget(target: WebhookTarget, request: { body: string; headers: Record<string, string>; timeoutMs: number }): Promise<number> {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const outgoing = send(
      target.url,
      {
        method: 'POST',
        agent: false,
        lookup,
        headers: { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) },
      },
      (response) => {
        clearTimeout(timer);
        resolve(response.statusCode ?? 0);
        response.on('error', () => {});
        response.destroy();
      },
    );
    const timer = setTimeout(() => outgoing.destroy(new WebhookTimeoutError(`no answer within ${request.timeoutMs} ms`)), request.timeoutMs);
    outgoing.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    outgoing.end(request.body);
  });
}
