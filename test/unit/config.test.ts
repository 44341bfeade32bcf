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
