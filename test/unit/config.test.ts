import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, configFromEnv, loadConfig } from '../../src/config.js';

describe('config', () => {
  test('defaults fill every field and the result is frozen', () => {
    const c = loadConfig({});
    assert.equal(c.port, 8080);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.janus.binary, '/usr/bin/janus');
    assert.deepEqual(c.janus.urls, []);
    assert.equal(c.dataDir, path.resolve('data'));
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.janus));
    assert.throws(() => {
      (c as { port: number }).port = 1;
    });
  });
  test('later inputs win, nested objects merge', () => {
    const c = loadConfig(
      { port: 1000, janus: { rtpPortRange: '30000-31000' } },
      { port: 2000, janus: { binary: '/x/janus' } },
    );
    assert.equal(c.port, 2000);
    assert.equal(c.janus.rtpPortRange, '30000-31000');
    assert.equal(c.janus.binary, '/x/janus');
  });
  test('environment variables are read', () => {
    const input = configFromEnv({
      CONVENE_PORT: '9000',
      CONVENE_JANUS_URLS: 'ws://a:8188, ws://b:8188',
      CONVENE_GEO_OVERRIDES: '10.0.0.0/8=US,192.168.0.0/16=DE',
      CONVENE_TRUSTED_PROXIES: '127.0.0.1',
    });
    const c = loadConfig(input);
    assert.equal(c.port, 9000);
    assert.deepEqual(c.janus.urls, ['ws://a:8188', 'ws://b:8188']);
    assert.deepEqual(c.geo.overrides, [
      { cidr: '10.0.0.0/8', jurisdiction: 'US' },
      { cidr: '192.168.0.0/16', jurisdiction: 'DE' },
    ]);
    assert.deepEqual(c.geo.trustedProxies, ['127.0.0.1']);
  });
  test('the connection limits have defaults and are read from their environment variables', () => {
    const d = loadConfig({});
    assert.deepEqual(
      [d.maxLobbySize, d.maxSocketsPerClient, d.maxSeatsPerClient, d.joinTimeoutMs],
      [500, 100, 50, 10_000],
    );
    assert.deepEqual([d.pingIntervalMs, d.pongTimeoutMs, d.maxBufferedBytes], [20_000, 10_000, 1024 * 1024]);
    const c = loadConfig(
      configFromEnv({
        CONVENE_MAX_LOBBY: '7',
        CONVENE_MAX_SOCKETS_PER_CLIENT: '8',
        CONVENE_MAX_SEATS_PER_CLIENT: '9',
        CONVENE_JOIN_TIMEOUT_MS: '1000',
        CONVENE_PING_INTERVAL_MS: '2000',
        CONVENE_PONG_TIMEOUT_MS: '3000',
        CONVENE_MAX_BUFFERED_BYTES: '65536',
      }),
    );
    assert.deepEqual(
      [c.maxLobbySize, c.maxSocketsPerClient, c.maxSeatsPerClient, c.joinTimeoutMs],
      [7, 8, 9, 1000],
    );
    assert.deepEqual([c.pingIntervalMs, c.pongTimeoutMs, c.maxBufferedBytes], [2000, 3000, 65536]);
    assert.throws(() => loadConfig(configFromEnv({ CONVENE_MAX_SEATS_PER_CLIENT: '0' })), ConfigError);
  });
  test('invalid values are refused with the field named', () => {
    assert.throws(
      () => loadConfig({ port: 70000 }),
      (e: unknown) => e instanceof ConfigError && /port/.test(e.message),
    );
    assert.throws(() => loadConfig(configFromEnv({ CONVENE_PORT: 'abc' })), ConfigError);
    assert.throws(() => loadConfig({ publicUrl: 'ftp://x' }), ConfigError);
    assert.throws(() => loadConfig({ janus: { rtpPortRange: '5000-100' } }), ConfigError);
    assert.throws(() => loadConfig({ janus: { urls: ['http://x'] } }), ConfigError);
    assert.throws(() => loadConfig({ unknown: 1 } as never), ConfigError);
  });
});
