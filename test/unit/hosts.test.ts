import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedHosts, hostChecker, hostName } from '../../src/server/hosts.js';

test('hostName strips the port and IPv6 brackets, and refuses malformed values', () => {
  assert.equal(hostName('Example.org:8080'), 'example.org');
  assert.equal(hostName('[::1]:8080'), '::1');
  assert.equal(hostName('127.0.0.1'), '127.0.0.1');
  assert.equal(hostName(undefined), undefined);
  assert.equal(hostName('a b'), undefined);
  assert.equal(hostName('evil.example@localhost'), undefined);
});

test('without a public URL only local names and the bind address are allowed (no DNS rebinding)', () => {
  const ok = hostChecker(allowedHosts({ publicUrl: undefined, bindHost: '127.0.0.1' }));
  for (const h of ['localhost:8080', '127.0.0.1:8080', '[::1]:8080', 'LOCALHOST']) assert.ok(ok(h), h);
  for (const h of ['rebind.attacker.example:8080', 'localhost.attacker.example', undefined, ''])
    assert.equal(ok(h), false, String(h));
});

test('the public URL host and a specific bind address are allowed', () => {
  const ok = hostChecker(allowedHosts({ publicUrl: 'https://meet.example.org', bindHost: '10.1.2.3' }));
  assert.ok(ok('meet.example.org'));
  assert.ok(ok('10.1.2.3:8080'));
  assert.equal(ok('other.example.org'), false);
});
