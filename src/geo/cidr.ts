/**
 * Address and CIDR parsing for the geo layer, on top of `node:net`. Parsing is strict (what `net.isIP`
 * accepts, nothing more) and never throws on bad input: it returns `undefined`, so callers can treat a
 * malformed address as "unknown" without a try/catch on the hot path.
 *
 * Addresses are normalised before use: an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, as Node reports
 * IPv4 peers on a dual-stack socket) becomes the plain IPv4 address, IPv6 zone identifiers (`%eth0`) are
 * dropped, and IPv6 text is rewritten in one uncompressed lower-case form.
 */
import net from 'node:net';

export type IpFamily = 'ipv4' | 'ipv6';

/** A parsed, normalised address. */
export interface IpAddress {
  readonly family: IpFamily;
  /** Normalised text: dotted quad for IPv4 (including IPv4-mapped IPv6), eight hex groups for IPv6. */
  readonly address: string;
}

/** A parsed CIDR block. */
export interface Cidr {
  readonly family: IpFamily;
  /** Normalised network address as written (host bits are not required to be zero). */
  readonly network: string;
  /** Prefix length: 0–32 for IPv4, 0–128 for IPv6. */
  readonly prefix: number;
}

/** Longer than any textual IPv6 address with a reasonable zone id; a cheap bail-out for junk input. */
const MAX_ADDRESS_LENGTH = 100;

/** Parse one address (no port, no brackets, no surrounding whitespace). `undefined` if it is not one. */
export function parseAddress(text: string): IpAddress | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_ADDRESS_LENGTH) return undefined;
  const version = net.isIP(text);
  if (version === 4) return { family: 'ipv4', address: text };
  if (version !== 6) return undefined;
  const percent = text.indexOf('%');
  const groups = ipv6Groups(percent === -1 ? text : text.slice(0, percent));
  if (groups === undefined) return undefined;
  if (isIpv4Mapped(groups)) {
    const hi = groups[6] ?? 0;
    const lo = groups[7] ?? 0;
    return { family: 'ipv4', address: `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}` };
  }
  return { family: 'ipv6', address: groups.map((g) => g.toString(16)).join(':') };
}

/**
 * Parse a CIDR block (`10.0.0.0/8`, `2001:db8::/32`) or a single address (`192.0.2.1`, taken as /32 or
 * /128). `undefined` if it is not one. IPv4-mapped IPv6 blocks are kept as IPv6 blocks; {@link CidrSet}
 * matches them against IPv4 addresses the way `net.BlockList` does.
 */
export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addressText = slash === -1 ? trimmed : trimmed.slice(0, slash);
  if (addressText.includes('%')) return undefined;
  const version = net.isIP(addressText);
  if (version !== 4 && version !== 6) return undefined;
  const family: IpFamily = version === 4 ? 'ipv4' : 'ipv6';
  const maxPrefix = family === 'ipv4' ? 32 : 128;
  let prefix = maxPrefix;
  if (slash !== -1) {
    const prefixText = trimmed.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > maxPrefix) return undefined;
  }
  let network = addressText;
  if (family === 'ipv6') {
    const groups = ipv6Groups(addressText);
    if (groups === undefined) return undefined;
    network = groups.map((g) => g.toString(16)).join(':');
  }
  return { family, network, prefix };
}

/** A set of CIDR blocks with a fast membership test (a `net.BlockList` underneath). */
export class CidrSet {
  readonly #list = new net.BlockList();
  #size = 0;

  constructor(cidrs: Iterable<Cidr> = []) {
    for (const cidr of cidrs) this.add(cidr);
  }

  /** Number of blocks added. */
  get size(): number {
    return this.#size;
  }

  add(cidr: Cidr): void {
    this.#list.addSubnet(cidr.network, cidr.prefix, cidr.family);
    this.#size += 1;
  }

  /** True if `address` lies in one of the blocks. IPv4 addresses also match IPv4-mapped IPv6 blocks. */
  has(address: IpAddress): boolean {
    if (this.#size === 0) return false;
    return this.#list.check(address.address, address.family);
  }
}

/** True if `address` lies in `cidr`. For many blocks, build a {@link CidrSet} once instead. */
export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  return new CidrSet([cidr]).has(address);
}

/**
 * Special-purpose ranges that never identify where a client is (IANA IPv4/IPv6 special-purpose address
 * registries): "this network", private (RFC 1918), shared address space / CGNAT (RFC 6598), loopback,
 * link-local, IETF protocol assignments, documentation (TEST-NET-1/2/3, 2001:db8::/32, 3fff::/20),
 * benchmarking, multicast, reserved, unspecified, unique-local (fc00::/7), deprecated site-local,
 * discard-only and local-use NAT64. IPv4-mapped IPv6 addresses are covered through normalisation.
 */
export const SPECIAL_PURPOSE_RANGES: readonly string[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::/128',
  '::1/128',
  '64:ff9b:1::/48',
  '100::/64',
  '2001:db8::/32',
  '3fff::/20',
  'fc00::/7',
  'fe80::/10',
  'fec0::/10',
  'ff00::/8',
];

const SPECIAL_PURPOSE = new CidrSet(
  SPECIAL_PURPOSE_RANGES.map((text) => {
    const cidr = parseCidr(text);
    if (cidr === undefined) throw new Error(`geo: built-in special-purpose range ${text} does not parse`);
    return cidr;
  }),
);

/** True for private, loopback, link-local, unique-local, CGNAT, documentation and other non-routable addresses. */
export function isSpecialPurpose(address: IpAddress): boolean {
  return SPECIAL_PURPOSE.has(address);
}

/** The eight 16-bit groups of an IPv6 address already accepted by `net.isIP` (zone id removed). */
function ipv6Groups(text: string): number[] | undefined {
  let body = text;
  // A trailing dotted quad (`::ffff:1.2.3.4`) stands for the last two groups.
  const lastColon = body.lastIndexOf(':');
  const tail = body.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!net.isIPv4(tail)) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    body = `${body.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const head = splitGroups(halves[0] ?? '');
  const rest = halves.length === 2 ? splitGroups(halves[1] ?? '') : [];
  if (head === undefined || rest === undefined) return undefined;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest];
}

function splitGroups(part: string): number[] | undefined {
  if (part === '') return [];
  const groups: number[] = [];
  for (const group of part.split(':')) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    groups.push(parseInt(group, 16));
  }
  return groups;
}

function isIpv4Mapped(groups: readonly number[]): boolean {
  return (
    groups.length === 8 &&
    groups[0] === 0 &&
    groups[1] === 0 &&
    groups[2] === 0 &&
    groups[3] === 0 &&
    groups[4] === 0 &&
    groups[5] === 0xffff
  );
}
