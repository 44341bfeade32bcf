import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConveneError } from '../../src/errors.js';
import { normaliseDisplayName } from '../../src/protocol/displayName.js';
import { parseClientMessage } from '../../src/protocol/parse.js';

const MEETING = 'AAAAAAAAAAAAAAAAAAAAAA';
const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConveneError, `expected ConveneError, got ${String(err)}`);
    return err.code;
  }
  assert.fail('expected an error');
};
const join = (displayName: string) => JSON.stringify({ v: 1, type: 'join', meetingId: MEETING, displayName });

describe('display names', () => {
  test('control characters and lone surrogates are refused before they reach the media server', () => {
    for (const name of [
      'a\u0000b',
      'tab\there',
      'new\nline',
      'del\u007f',
      'c1\u0085',
      'x\ud800',
      '\udc00y',
      'ls\u2028',
    ])
      assert.equal(
        refusal(() => parseClientMessage(join(name))),
        'bad_display_name',
        JSON.stringify(name),
      );
  });

  test('names with no visible character are refused', () => {
    for (const name of [
      '   ',
      '\u200b\u200b',
      '\u202e',
      '\u2066\u2069',
      '\u3164',
      '\ufeff',
      '\u0301',
      '\u00a0',
    ])
      assert.equal(
        refusal(() => normaliseDisplayName(name)),
        'bad_display_name',
        JSON.stringify(name),
      );
  });

  test('bidi controls are stripped, white space is trimmed and collapsed, the rest is kept', () => {
    assert.equal(normaliseDisplayName('  Ada \u202eevil\u202c  Lovelace '), 'Ada evil Lovelace');
    assert.equal(normaliseDisplayName('Zoë 🎉'), 'Zoë 🎉');
    assert.equal(normaliseDisplayName('e\u0301'), '\u00e9');
    const msg = parseClientMessage(join(' \u2067Grace\u2069 '));
    assert.equal(msg.type === 'join' && msg.displayName, 'Grace');
  });
});

describe('nested message objects are closed', () => {
  test('unknown fields inside jsep or a track are refused', () => {
    const publish = (jsep: object, track: object) =>
      JSON.stringify({ v: 1, type: 'publish', jsep, tracks: [track] });
    assert.equal(
      refusal(() =>
        parseClientMessage(publish({ type: 'offer', sdp: 'v=0', e2ee: true }, { mid: '0', source: 'mic' })),
      ),
      'bad_message',
    );
    assert.equal(
      refusal(() =>
        parseClientMessage(
          publish({ type: 'offer', sdp: 'v=0' }, { mid: '0', source: 'mic', extra: { a: 1 } }),
        ),
      ),
      'bad_message',
    );
    assert.equal(
      refusal(() =>
        parseClientMessage(
          JSON.stringify({
            v: 1,
            type: 'subscribeAnswer',
            jsep: { type: 'answer', sdp: 'v=0', trickle: true },
          }),
        ),
      ),
      'bad_message',
    );
  });
});
