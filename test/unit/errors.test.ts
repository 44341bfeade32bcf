import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ConveneError, ERROR_CODES } from '../../src/errors.js';

test('docs/errors.md documents every error code with its HTTP status and close code, and no others', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = new Map<string, { http: string; ws: string }>();
  for (const line of doc.split('\n')) {
    const m = /^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|\s*([\d—-]+)\s*\|/.exec(line);
    if (m) rows.set(m[1]!, { http: m[2]!, ws: m[3]! });
  }
  assert.deepEqual([...rows.keys()].sort(), Object.keys(ERROR_CODES).sort());
  for (const [code, spec] of Object.entries(ERROR_CODES)) {
    assert.equal(rows.get(code)?.http, String(spec.http), `HTTP status of ${code}`);
    assert.equal(rows.get(code)?.ws, spec.ws === undefined ? '—' : String(spec.ws), `close code of ${code}`);
  }
});

test('ConveneError.from keeps typed errors and wraps the rest as internal', () => {
  const typed = new ConveneError('meeting_full');
  assert.equal(ConveneError.from(typed), typed);
  const wrapped = ConveneError.from(new Error('boom'));
  assert.equal(wrapped.code, 'internal');
  assert.equal(wrapped.httpStatus, 500);
  assert.equal((wrapped.cause as Error).message, 'boom');
});
