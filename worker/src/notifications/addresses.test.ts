import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyAddress, hostRefusal, isLocalHostname, parseIPv4, parseIPv6 } from './addresses.ts';

const rangeOf = (text: string) => classifyAddress(text)?.range;

describe('parseIPv4', () => {
  it.each([
    ['127.0.0.1', 0x7f000001],
    ['2130706433', 0x7f000001],
    ['0x7f.1', 0x7f000001],
    ['0x7F000001', 0x7f000001],
    ['0177.0.0.1', 0x7f000001],
    ['0177.0.0.01', 0x7f000001],
    ['127.1', 0x7f000001],
    ['127.0.1', 0x7f000001],
    ['127.0.0.1.', 0x7f000001],
    ['0', 0],
    ['0x', 0],
    ['255.255.255.255', 0xffffffff],
    ['4294967295', 0xffffffff],
  ])('%s is %i', (text, value) => {
    expect(parseIPv4(text)).toBe(value);
  });

  it.each(['', '.', '256.0.0.1', '1.2.3.4.5', '4294967296', '127.0.0.1..', '1.2.3.256', '08.0.0.1', '0x1g', 'example.com', '1.2.3.com', '::1', '-1', '1e3', ' 127.0.0.1'])(
    '%j is not an IPv4 address',
    (text) => {
      expect(parseIPv4(text)).toBeNull();
    },
  );
});

describe('parseIPv6', () => {
  it.each([
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['[::1]', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['1::', [1, 0, 0, 0, 0, 0, 0, 0]],
    ['fe80::1%eth0', [0xfe80, 0, 0, 0, 0, 0, 0, 1]],
    ['::ffff:127.0.0.1', [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]],
    ['::FFFF:7F00:1', [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]],
    ['2001:db8:0:0:0:0:0:1', [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]],
  ])('%s', (text, groups) => {
    expect(parseIPv6(text)).toEqual(groups);
  });

  it.each(['', '1', ':1', '1:', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1:2:3:4::5:6:7:8', '12345::', 'g::1', '::1.2.3', '::256.0.0.1', '::ffff:0x7f.1'])(
    '%j is not an IPv6 address',
    (text) => {
      expect(parseIPv6(text)).toBeNull();
    },
  );
});

describe('classifyAddress', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['0', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['2130706433', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['127.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['192.168.255.255', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['169.254.0.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['0xa9fea9fe', 'metadata'],
    ['2852039166', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['168.63.129.16', 'metadata'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'unique-local'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['ff05::1:3', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['2001::1', 'reserved'],
    ['100::1', 'reserved'],
    ['::127.0.0.1', 'reserved'],
    ['64:ff9b:1::1', 'reserved'],
    // IPv4 inside IPv6 is judged by the IPv4 address it reaches.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
  ])('%s is %s', (text, range) => {
    expect(rangeOf(text)).toBe(range);
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.15.255.255', '172.32.0.0', '100.63.255.255', '100.128.0.0', '169.253.255.255', '11.0.0.0', '2606:4700:4700::1111', '2a00:1450:4001:82b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    '%s is public',
    (text) => {
      const address = classifyAddress(text);
      expect(address).not.toBeNull();
      expect(address?.range).toBeNull();
    },
  );

  it('tells the family and the IPv4 address carried', () => {
    expect(classifyAddress('0x7f.1')).toEqual({ family: 4, range: 'loopback', ipv4: '127.0.0.1' });
    expect(classifyAddress('::ffff:7f00:1')).toEqual({ family: 6, range: 'loopback', ipv4: '127.0.0.1' });
    expect(classifyAddress('::1')).toEqual({ family: 6, range: 'loopback' });
  });

  it('is null for names', () => {
    for (const name of ['example.com', 'hooks.example.test', 'localhost', '1.2.3.com', '']) expect(classifyAddress(name)).toBeNull();
  });
});

describe('isLocalHostname', () => {
  it.each(['localhost', 'LOCALHOST', 'localhost.', 'api.localhost', 'localhost.localdomain', 'printer.local', 'metadata.google.internal', 'nas.home.arpa', '1.0.0.127.in-addr.arpa', 'intranet', 'metadata'])(
    '%s is local',
    (name) => {
      expect(isLocalHostname(name)).toBe(true);
    },
  );

  it.each(['example.com', 'hooks.example.test', 'localhost.example.com', 'local.example.com', 'internal.example.com'])('%s is not', (name) => {
    expect(isLocalHostname(name)).toBe(false);
  });
});

describe('hostRefusal', () => {
  it('names the address and its range, with the IPv4 reached', () => {
    expect(hostRefusal('127.0.0.1')).toBe('127.0.0.1 is a loopback address');
    expect(hostRefusal('2130706433')).toBe('2130706433 (127.0.0.1) is a loopback address');
    expect(hostRefusal('[::ffff:7f00:1]')).toBe('::ffff:7f00:1 (an IPv6 form carrying 127.0.0.1) is a loopback address');
    expect(hostRefusal('[::1]')).toBe('::1 is a loopback address');
    expect(hostRefusal('169.254.169.254')).toBe('169.254.169.254 is a cloud metadata service address');
    expect(hostRefusal('localhost')).toBe('localhost is a local host name');
  });

  it('is null for public addresses and ordinary names', () => {
    expect(hostRefusal('8.8.8.8')).toBeNull();
    expect(hostRefusal('[2606:4700:4700::1111]')).toBeNull();
    expect(hostRefusal('hooks.example.com')).toBeNull();
  });
});

describe('the address module is host-free', () => {
  it('uses no Node API and imports nothing', () => {
    const code = readFileSync(new URL('addresses.ts', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    for (const forbidden of [/\bBuffer\b/, /\bprocess\./, /\bimport\b/, /\brequire\(/]) expect(code).not.toMatch(forbidden);
  });
});
