import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeLogEntry, encodeLogEntry, logEntryOf } from '../../../src/app/transparency/logEntry.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const row = {
  at: new Date('2026-03-01T10:00:00.000Z'),
  actor: 'operator:op1',
  action: 'case.recorded',
  caseRef: 'CVN-2026-0001',
  details: { jurisdiction: 'HK', targets: { meetings: 2, hosts: 0 }, demands: ['end_meeting'] },
  privateDigest: null,
};

test('an encoded entry decodes to itself at its index, and nowhere else', () => {
  const entry = logEntryOf(row, 7);
  assert.deepEqual(decodeLogEntry(encodeLogEntry(entry), 7), entry);
  assert.throws(() => decodeLogEntry(encodeLogEntry(entry), 8), /carries index 7/);
});

test('integer-like keys, which JavaScript reorders, still decode when the text is canonical', () => {
  const entry = logEntryOf({ ...row, details: { byHour: { '10': 1, '9': 2 }, a: [{ '2': 0, '11': 1 }] } }, 0);
  const encoded = encodeLogEntry(entry);
  assert.match(new TextDecoder().decode(encoded), /\{"10":1,"9":2\}/);
  assert.deepEqual(decodeLogEntry(encoded, 0), entry);
});

test('every non-canonical spelling of a valid entry is refused', () => {
  const text = new TextDecoder().decode(encodeLogEntry(logEntryOf(row, 3)));
  const variants = [
    text.replace('{"action"', '{ "action"'), // whitespace
    text.replace('"hosts":0,"meetings":2', '"meetings":2,"hosts":0'), // unsorted nested keys
    text.replace('"HK"', '"\\u0048K"'), // escaped letter
    text.replace('"meetings":2', '"meetings":2.0'), // number spelling
    `${text}\n`,
  ];
  for (const v of variants) {
    assert.notEqual(v, text);
    assert.throws(() => decodeLogEntry(bytes(v), 3), /canonical|JSON/, v);
  }
});

test('a time is accepted only as toISOString writes it', () => {
  const text = new TextDecoder().decode(encodeLogEntry(logEntryOf(row, 0)));
  for (const at of ['2026-02-28T23:59:59.999Z', '2024-02-29T00:00:00.000Z']) {
    assert.equal(decodeLogEntry(bytes(text.replace('2026-03-01T10:00:00.000Z', at)), 0).at, at);
  }
  const bad = [
    '2026-02-29T10:00:00.000Z', // not a leap year
    '2026-04-31T10:00:00.000Z',
    '2026-13-01T10:00:00.000Z',
    '2026-03-01T24:00:00.000Z',
    '2026-03-01T10:60:00.000Z',
    '2026-03-01T10:00:00Z',
    '2026-03-01T10:00:00.000+00:00',
    '2026-3-01T10:00:00.000Z',
  ];
  for (const at of bad) {
    assert.throws(
      () => decodeLogEntry(bytes(text.replace('2026-03-01T10:00:00.000Z', at)), 0),
      /no valid time/,
      at,
    );
  }
});
