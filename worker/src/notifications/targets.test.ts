import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookTargetPolicy } from './config.ts';
import { postToTarget, resolveWebhookTarget, webhookUrlProblem, type ResolveHost } from './targets.ts';

const production = webhookTargetPolicy({ NODE_ENV: 'production' });
const development = webhookTargetPolicy({ NODE_ENV: 'development' });
const allowed = webhookTargetPolicy({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_TARGETS: true });

describe('webhookTargetPolicy', () => {
  it('allows http outside production or with the flag, internal targets only with the flag', () => {
    expect(production).toEqual({ allowHttp: false, allowPrivate: false });
    expect(development).toEqual({ allowHttp: true, allowPrivate: false });
    expect(webhookTargetPolicy({ NODE_ENV: 'test' })).toEqual({ allowHttp: true, allowPrivate: false });
    expect(allowed).toEqual({ allowHttp: true, allowPrivate: true });
  });
});

describe('webhookUrlProblem', () => {
  it('accepts public https URLs, and http outside production', () => {
    expect(webhookUrlProblem('https://hooks.example.com/storesync', production)).toBeNull();
    expect(webhookUrlProblem('https://93.184.216.34:8443/x', production)).toBeNull();
    expect(webhookUrlProblem('https://[2606:4700:4700::1111]/x', production)).toBeNull();
    expect(webhookUrlProblem('http://hooks.example.com/storesync', development)).toBeNull();
  });

  it('asks for https in production', () => {
    expect(webhookUrlProblem('http://hooks.example.com/', production)).toBe('use an https:// URL: plain http:// is accepted only in development and test');
  });

  it('refuses other schemes, relative URLs and credentials', () => {
    expect(webhookUrlProblem('ftp://hooks.example.com/', development)).toBe('use an http:// or https:// URL');
    expect(webhookUrlProblem('/hooks', development)).toBe('use an absolute http:// or https:// URL');
    expect(webhookUrlProblem('https://user:pass@hooks.example.com/', production)).toMatch(/^remove the user name and password from the URL/);
    expect(webhookUrlProblem('https://user@hooks.example.com/', allowed)).toMatch(/^remove the user name and password/);
  });

  it.each([
    ['http://127.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://127.1:8080/', '127.0.0.1 is a loopback address'],
    ['http://2130706433/', '127.0.0.1 is a loopback address'],
    ['http://0x7f.1/', '127.0.0.1 is a loopback address'],
    ['http://0177.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://0.0.0.0:8000/', '0.0.0.0 is an unspecified ("this host") address'],
    ['http://10.1.2.3/', '10.1.2.3 is a private address'],
    ['http://172.20.0.1/', '172.20.0.1 is a private address'],
    ['http://192.168.1.1/', '192.168.1.1 is a private address'],
    ['http://100.64.0.1/', '100.64.0.1 is a carrier-grade NAT (shared) address'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a cloud metadata service address'],
    ['http://169.254.1.1/', '169.254.1.1 is a link-local address'],
    ['http://224.0.0.1/', '224.0.0.1 is a multicast address'],
    ['http://[::1]/', '::1 is a loopback address'],
    ['http://[::]/', ':: is an unspecified ("this host") address'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254 is a cloud metadata service address'],
    ['http://[fc00::1]/', 'fc00::1 is a unique-local (private) IPv6 address'],
    ['http://[fe80::1]/', 'fe80::1 is a link-local address'],
    ['http://[ff02::1]/', 'ff02::1 is a multicast address'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1 (an IPv6 form carrying 127.0.0.1) is a loopback address'],
    ['http://[::ffff:7f00:1]/', '::ffff:7f00:1 (an IPv6 form carrying 127.0.0.1) is a loopback address'],
    ['http://[::ffff:a9fe:a9fe]/', '::ffff:a9fe:a9fe (an IPv6 form carrying 169.254.169.254) is a cloud metadata service address'],
    ['http://localhost:8000/', 'localhost is a local host name'],
    ['http://LOCALHOST./', 'localhost. is a local host name'],
    ['http://api.localhost/', 'api.localhost is a local host name'],
    ['http://metadata.google.internal/', 'metadata.google.internal is a local host name'],
    ['http://intranet/', 'intranet is a local host name'],
  ])('refuses %s', (url, reason) => {
    expect(webhookUrlProblem(url, development)).toBe(`${reason}, which webhooks may not target; use the receiver's public host name or address`);
    expect(webhookUrlProblem(url, allowed)).toBeNull();
  });
});

const resolver = (...addresses: string[]): ResolveHost => () => Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

describe('resolveWebhookTarget', () => {
  it('pins the first address when all are public', async () => {
    const { target } = await resolveWebhookTarget('https://hooks.example.com/x', production, resolver('2606:4700:4700::1111', '93.184.216.34'));
    expect(target).toMatchObject({ address: '2606:4700:4700::1111', family: 6 });
    expect(target?.url.hostname).toBe('hooks.example.com');
  });

  it('refuses when any address is internal', async () => {
    const { refused } = await resolveWebhookTarget('https://hooks.example.com/x', production, resolver('93.184.216.34', '::ffff:10.0.0.1'));
    expect(refused).toBe(
      "hooks.example.com resolves to ::ffff:10.0.0.1 (carrying 10.0.0.1), a private address, which webhooks may not target; use the receiver's public host name or address",
    );
  });

  it('uses an IP literal as it is, without resolving', async () => {
    const never: ResolveHost = () => Promise.reject(new Error('resolved'));
    expect((await resolveWebhookTarget('https://[2606:4700:4700::1111]:8443/x', production, never)).target).toMatchObject({ address: '2606:4700:4700::1111', family: 6 });
    expect((await resolveWebhookTarget('http://127.0.0.1:9/x', allowed, never)).target).toMatchObject({ address: '127.0.0.1', family: 4 });
  });

  it('with WEBHOOK_ALLOW_PRIVATE_TARGETS, still pins the resolved address', async () => {
    expect((await resolveWebhookTarget('http://hooks.example.com/x', allowed, resolver('10.0.0.1'))).target).toMatchObject({ address: '10.0.0.1', family: 4 });
  });

  it('throws (for a retry) when the name has no address', async () => {
    await expect(resolveWebhookTarget('https://hooks.example.com/x', production, resolver())).rejects.toThrow('hooks.example.com has no address');
  });
});

describe('postToTarget', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/slow') return; // never answers
      request.resume();
      request.on('end', () => {
        response.statusCode = 202;
        response.end('accepted');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('answers the status from the pinned address', async () => {
    const target = { url: new URL(`http://nowhere.invalid:${port}/hook`), address: '127.0.0.1', family: 4 as const };
    expect(await postToTarget(target, { body: '{}', headers: {}, timeoutMs: 2_000 })).toBe(202);
  });

  it('gives up after the timeout', async () => {
    const target = { url: new URL(`http://nowhere.invalid:${port}/slow`), address: '127.0.0.1', family: 4 as const };
    await expect(postToTarget(target, { body: '{}', headers: {}, timeoutMs: 200 })).rejects.toThrow('no answer within 200 ms');
  });
});
