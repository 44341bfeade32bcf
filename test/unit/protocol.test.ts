import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConveneError } from '../../src/errors.js';
import { MAX_MESSAGE_BYTES, MAX_MLS_COMMIT_BYTES } from '../../src/protocol/messages.js';
import { parseClientMessage, readRid } from '../../src/protocol/parse.js';

const MEETING = 'AAAAAAAAAAAAAAAAAAAAAA';
const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConveneError, `expected ConveneError, got ${String(err)}`);
    return err.code;
  }
  assert.fail('expected an error');
};

describe('parseClientMessage', () => {
  test('accepts a valid join and keeps its fields', () => {
    const msg = parseClientMessage(
      JSON.stringify({ v: 1, type: 'join', rid: 'r1', meetingId: MEETING, displayName: 'Ada' }),
    );
    assert.equal(msg.type, 'join');
    assert.equal(msg.type === 'join' && msg.displayName, 'Ada');
  });

  test('accepts publish with tracks and an offer', () => {
    const msg = parseClientMessage(
      JSON.stringify({
        v: 1,
        type: 'publish',
        jsep: { type: 'offer', sdp: 'v=0' },
        tracks: [{ mid: '0', source: 'mic' }],
      }),
    );
    assert.equal(msg.type, 'publish');
  });

  test('malformed JSON is bad_json', () => {
    assert.equal(
      code(() => parseClientMessage('{"v":1,')),
      'bad_json',
    );
  });

  test('non-object JSON is bad_message', () => {
    assert.equal(
      code(() => parseClientMessage('[1,2]')),
      'bad_message',
    );
    assert.equal(
      code(() => parseClientMessage('"join"')),
      'bad_message',
    );
    assert.equal(
      code(() => parseClientMessage('null')),
      'bad_message',
    );
  });

  test('wrong or missing version is unsupported_version', () => {
    assert.equal(
      code(() => parseClientMessage('{"v":2,"type":"leave"}')),
      'unsupported_version',
    );
    assert.equal(
      code(() => parseClientMessage('{"type":"leave"}')),
      'unsupported_version',
    );
  });

  test('unknown type is unknown_type', () => {
    assert.equal(
      code(() => parseClientMessage('{"v":1,"type":"kickEveryone"}')),
      'unknown_type',
    );
    // The plaintext chat message is retired: chat is an MLS application message (`mlsMessage`).
    assert.equal(
      code(() => parseClientMessage('{"v":1,"type":"chat","text":"hi"}')),
      'unknown_type',
    );
  });

  test('schema violations are bad_message, naming the field', () => {
    const err = (() => {
      try {
        parseClientMessage(JSON.stringify({ v: 1, type: 'join', meetingId: 'short', displayName: 'A' }));
      } catch (e) {
        return e as ConveneError;
      }
      return undefined;
    })();
    assert.equal(err?.code, 'bad_message');
    assert.match(err?.message ?? '', /meetingId/);
    assert.equal(
      code(() =>
        parseClientMessage(JSON.stringify({ v: 1, type: 'join', meetingId: MEETING, displayName: '' })),
      ),
      'bad_message',
    );
    assert.equal(
      code(() => parseClientMessage(JSON.stringify({ v: 1, type: 'raiseHand', raised: 'yes' }))),
      'bad_message',
    );
    assert.equal(
      code(() =>
        parseClientMessage(
          JSON.stringify({ v: 1, type: 'publish', jsep: { type: 'answer', sdp: 'x' }, tracks: [] }),
        ),
      ),
      'bad_message',
    );
  });

  test('extra properties are refused (identity cannot be smuggled in a body)', () => {
    assert.equal(
      code(() =>
        parseClientMessage(JSON.stringify({ v: 1, type: 'raiseHand', raised: true, from: 'someone-else' })),
      ),
      'bad_message',
    );
  });

  test('frames over 64 KiB are message_too_big', () => {
    const big = JSON.stringify({ v: 1, type: 'mlsMessage', message: 'A'.repeat(MAX_MESSAGE_BYTES) });
    assert.equal(
      code(() => parseClientMessage(big)),
      'message_too_big',
    );
  });

  test('mlsCommit alone may exceed 64 KiB, up to 768 KiB (a Welcome grows with the group)', () => {
    const b64 = (n: number) => Buffer.alloc(n, 7).toString('base64');
    const commit = (welcomeBytes: number) =>
      JSON.stringify({
        v: 1,
        type: 'mlsCommit',
        commit: b64(600),
        welcome: b64(welcomeBytes),
        added: [],
        removed: [],
      });
    assert.equal(parseClientMessage(commit(300 * 1024)).type, 'mlsCommit');
    assert.ok(Buffer.byteLength(commit(300 * 1024)) > MAX_MESSAGE_BYTES);
    // Over the Welcome's own bound (512 KiB of base64), and over the frame bound.
    assert.equal(
      code(() => parseClientMessage(commit(390 * 1024))),
      'bad_message',
    );
    const huge = JSON.stringify({ v: 1, type: 'mlsCommit', commit: 'x'.repeat(MAX_MLS_COMMIT_BYTES) });
    assert.equal(
      code(() => parseClientMessage(huge)),
      'message_too_big',
    );
    const bigApp = JSON.stringify({ v: 1, type: 'mlsMessage', message: b64(MAX_MESSAGE_BYTES) });
    assert.equal(
      code(() => parseClientMessage(bigApp)),
      'message_too_big',
    );
  });

  test('MLS messages are closed and carry standard base64 only', () => {
    const kp = (keyPackage: string, extra = {}) =>
      JSON.stringify({ v: 1, type: 'mlsKeyPackage', keyPackage, ...extra });
    assert.equal(parseClientMessage(kp('AAECAw==')).type, 'mlsKeyPackage');
    assert.equal(
      code(() => parseClientMessage(kp('not base64!'))),
      'bad_message',
    );
    assert.equal(
      code(() => parseClientMessage(kp('AAECAw==', { participantId: 'x' }))),
      'bad_message',
    );
    const claim = (added: unknown) =>
      JSON.stringify({ v: 1, type: 'mlsCommit', commit: 'AAECAw==', added, removed: [] });
    assert.equal(
      code(() => parseClientMessage(claim([{ participantId: 'a', leafIndex: -1 }]))),
      'bad_message',
    );
    assert.equal(
      code(() => parseClientMessage(claim([{ participantId: 'a', leafIndex: 1, extra: true }]))),
      'bad_message',
    );
  });

  test('readRid echoes only sane request ids', () => {
    assert.equal(readRid({ rid: 'abc' }), 'abc');
    assert.equal(readRid({ rid: 5 }), undefined);
    assert.equal(readRid({ rid: 'x'.repeat(65) }), undefined);
    assert.equal(readRid(null), undefined);
  });
});
