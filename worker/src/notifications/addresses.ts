/**
 * Which hosts a webhook may not reach: the classification of IP addresses (every IPv4 and IPv6
 * spelling, including IPv4 inside IPv6) and of host names that only mean something on the local
 * machine or network. Pure and host-free (no Node API), so the API checks a URL when it is saved
 * and the worker checks every address a name resolves to at delivery with the same rules.
 */

/** Why an address is not a public unicast address. */
export type AddressRange =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'unique-local'
  | 'site-local'
  | 'multicast'
  | 'broadcast'
  | 'metadata'
  | 'documentation'
  | 'benchmarking'
  | 'reserved';

export interface AddressClass {
  family: 4 | 6;
  /** null: a public unicast address. */
  range: AddressRange | null;
  /** For IPv4 carried in IPv6 (IPv4-mapped, NAT64, 6to4): the IPv4 address that decided, dotted. */
  ipv4?: string;
}

const RANGE_WORDS: Record<AddressRange, string> = {
  unspecified: 'an unspecified ("this host") address',
  loopback: 'a loopback address',
  private: 'a private address',
  shared: 'a carrier-grade NAT (shared) address',
  'link-local': 'a link-local address',
  'unique-local': 'a unique-local (private) IPv6 address',
  'site-local': 'a site-local (private) IPv6 address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  metadata: 'a cloud metadata service address',
  documentation: 'a documentation address',
  benchmarking: 'a benchmarking address',
  reserved: 'a reserved address',
};

/** "a loopback address" and the like, for messages. */
export const describeRange = (range: AddressRange) => RANGE_WORDS[range];

// ---------------------------------------------------------------------------------------------
// IPv4

/** One part of an IPv4 address as inet_aton and the WHATWG URL parser read it: 0x… hex, 0… octal. */
function ipv4Part(part: string): number | null {
  let radix = 10;
  let digits = part;
  if (/^0x/i.test(part)) {
    radix = 16;
    digits = part.slice(2);
    if (digits === '') return 0;
  } else if (part.length > 1 && part.startsWith('0')) {
    radix = 8;
    digits = part.slice(1);
  }
  const pattern = radix === 16 ? /^[0-9a-f]{1,16}$/i : radix === 8 ? /^[0-7]{1,32}$/ : /^[0-9]{1,20}$/;
  return pattern.test(digits) ? parseInt(digits, radix) : null;
}

/**
 * An IPv4 address in any spelling inet_aton and URL parsers accept — `127.0.0.1`, `2130706433`,
 * `0x7f.1`, `0177.0.0.1`, `127.1` — as an unsigned 32-bit number; null for anything else.
 */
export function parseIPv4(text: string): number | null {
  const trimmed = text.endsWith('.') ? text.slice(0, -1) : text; // URL hosts may end in one dot
  const parts = trimmed.split('.');
  if (parts.length > 4) return null;
  const numbers: number[] = [];
  for (const part of parts) {
    const value = ipv4Part(part);
    if (value === null) return null;
    numbers.push(value);
  }
  const last = numbers.pop()!;
  if (numbers.some((value) => value > 255)) return null;
  // The last part fills the bytes the others leave: `127.1` is 127.0.0.1, `2130706433` all four.
  if (last >= 256 ** (4 - numbers.length)) return null;
  return numbers.reduce((sum, value, index) => sum + value * 256 ** (3 - index), 0) + last;
}

/** Only the plain dotted quad (as inside an IPv6 address). */
function parseDottedQuad(text: string): number | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) return null;
  const bytes = match.slice(1).map(Number);
  if (bytes.some((byte) => byte > 255)) return null;
  return bytes.reduce((sum, byte) => sum * 256 + byte, 0);
}

const dotted = (value: number) => [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');

const IPV4_RANGES: readonly (readonly [string, number, AddressRange])[] = [
  // First match wins, so single addresses come before the blocks holding them.
  ['169.254.169.254', 32, 'metadata'], // AWS, GCP, Azure, Oracle, DigitalOcean…
  ['168.63.129.16', 32, 'metadata'], // Azure's platform endpoint
  ['100.100.100.200', 32, 'metadata'], // Alibaba Cloud
  ['0.0.0.0', 8, 'unspecified'], // "this network"; 0.0.0.0 reaches the local host
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'], // former 6to4 relays
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['255.255.255.255', 32, 'broadcast'],
  ['240.0.0.0', 4, 'reserved'],
];

const IPV4_TABLE = IPV4_RANGES.map(([base, bits, range]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { network: (parseDottedQuad(base)! & mask) >>> 0, mask, range };
});

function ipv4Range(value: number): AddressRange | null {
  for (const { network, mask, range } of IPV4_TABLE) if ((value & mask) >>> 0 === network) return range;
  return null;
}

// ---------------------------------------------------------------------------------------------
// IPv6

/**
 * An IPv6 address (optionally in brackets, with a zone such as `%eth0`, with a dotted IPv4 tail)
 * as its eight 16-bit groups; null for anything else.
 */
export function parseIPv6(text: string): number[] | null {
  let rest = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = rest.indexOf('%');
  if (zone >= 0) rest = rest.slice(0, zone);
  if (!rest.includes(':')) return null;
  const lastColon = rest.lastIndexOf(':');
  const tail = rest.slice(lastColon + 1);
  if (tail.includes('.')) {
    const ipv4 = parseDottedQuad(tail);
    if (ipv4 === null) return null;
    rest = `${rest.slice(0, lastColon + 1)}${(ipv4 >>> 16).toString(16)}:${(ipv4 & 0xffff).toString(16)}`;
  }
  const halves = rest.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string) => (half === '' ? [] : half.split(':').map((group) => (/^[0-9a-f]{1,4}$/i.test(group) ? parseInt(group, 16) : NaN)));
  const head = groups(halves[0]!);
  const end = halves.length === 2 ? groups(halves[1]!) : [];
  if ([...head, ...end].some(Number.isNaN)) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  if (head.length + end.length > 7) return null;
  return [...head, ...Array<number>(8 - head.length - end.length).fill(0), ...end];
}

/** Whether the address starts with the prefix (given as groups) over its first `bits` bits. */
function inPrefix(groups: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let index = 0; bits > 0; index += 1, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if (((groups[index] ?? 0) & mask) !== ((prefix[index] ?? 0) & mask)) return false;
  }
  return true;
}

const embeddedIPv4 = (high: number, low: number) => ((high << 16) >>> 0) + low;

function classifyIPv6(groups: readonly number[]): AddressClass {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const carried = (ipv4: number): AddressClass => ({ family: 6, range: ipv4Range(ipv4), ipv4: dotted(ipv4) });
  const upper = [g0, g1, g2, g3, g4, g5].every((group) => group === 0);
  if (upper && g6 === 0 && g7 === 0) return { family: 6, range: 'unspecified' };
  if (upper && g6 === 0 && g7 === 1) return { family: 6, range: 'loopback' };
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-translated (::ffff:0:a.b.c.d): the IPv4 address is reached.
  if ([g0, g1, g2, g3, g4].every((group) => group === 0) && g5 === 0xffff) return carried(embeddedIPv4(g6, g7));
  if ([g0, g1, g2, g3].every((group) => group === 0) && g4 === 0xffff && g5 === 0) return carried(embeddedIPv4(g6, g7));
  // NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:AABB:CCDD::) gateways reach the IPv4 address inside.
  if (inPrefix(groups, [0x64, 0xff9b, 0, 0, 0, 0], 96)) return carried(embeddedIPv4(g6, g7));
  if (g0 === 0x2002) return carried(embeddedIPv4(g1, g2));
  if (inPrefix(groups, [0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254], 128)) return { family: 6, range: 'metadata' }; // AWS over IPv6
  if (inPrefix(groups, [0xfc00], 7)) return { family: 6, range: 'unique-local' };
  if (inPrefix(groups, [0xfe80], 10)) return { family: 6, range: 'link-local' };
  if (inPrefix(groups, [0xfec0], 10)) return { family: 6, range: 'site-local' };
  if (inPrefix(groups, [0xff00], 8)) return { family: 6, range: 'multicast' };
  if (inPrefix(groups, [0x2001, 0x0db8], 32) || inPrefix(groups, [0x3fff], 20)) return { family: 6, range: 'documentation' };
  if (inPrefix(groups, [0x2001, 0x0002, 0], 48)) return { family: 6, range: 'benchmarking' };
  if (inPrefix(groups, [0x2001, 0], 32)) return { family: 6, range: 'reserved' }; // Teredo: the IPv4 inside is hidden
  // Everything outside global unicast (2000::/3): IPv4-compatible ::a.b.c.d, discard-only 100::/64, local NAT64…
  if (!inPrefix(groups, [0x2000], 3)) return { family: 6, range: 'reserved' };
  return { family: 6, range: null };
}

// ---------------------------------------------------------------------------------------------

/** The class of an IP literal (any IPv4 spelling, or IPv6 with or without brackets); null when `text` is not one. */
export function classifyAddress(text: string): AddressClass | null {
  const ipv4 = parseIPv4(text);
  if (ipv4 !== null) return { family: 4, range: ipv4Range(ipv4), ipv4: dotted(ipv4) };
  const ipv6 = parseIPv6(text);
  return ipv6 ? classifyIPv6(ipv6) : null;
}

const LOCAL_SUFFIXES = ['.localhost', '.localdomain', '.local', '.internal', '.home.arpa', '.arpa'];

/**
 * Names that only mean something on this machine or its network: `localhost` and `*.localhost`
 * (RFC 6761), `*.localdomain`, mDNS `*.local`, `*.internal` (metadata.google.internal),
 * `*.home.arpa`, and single-label names (resolved through the local search domains).
 */
export function isLocalHostname(name: string): boolean {
  const host = name.toLowerCase().replace(/\.+$/, '');
  if (!host.includes('.')) return true;
  return LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

/**
 * Why `host` (an IP literal in any spelling, or a name) must not be a target, as
 * `"127.0.0.1 is a loopback address"`; null for a public address or an ordinary name.
 */
export function hostRefusal(host: string): string | null {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const address = classifyAddress(bare);
  if (address) {
    if (address.range === null) return null;
    const carried = address.family === 6 && address.ipv4 ? ` carrying ${address.ipv4}` : '';
    const shown = address.family === 4 && address.ipv4 && address.ipv4 !== bare ? `${bare} (${address.ipv4})` : bare;
    return `${shown}${carried ? ` (an IPv6 form${carried})` : ''} is ${describeRange(address.range)}`;
  }
  return isLocalHostname(bare) ? `${bare} is a local host name` : null;
}
