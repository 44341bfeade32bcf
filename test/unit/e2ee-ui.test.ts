/**
 * The room's end-to-end encryption UI: the rules in web/src/room/e2eeModel.ts, and the components
 * rendered to HTML (react-dom/server) for given `E2eeView`s: nothing while `off`, the test ids and
 * attributes docs/testing.md promises, and translated text.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { initialE2eeView } from '../../src/client/e2ee/view.js';
import type { E2eeView } from '../../src/client/types.js';
import { i18n } from '../../web/src/i18n/index.js';
import { E2eeDialog, SafetyCode } from '../../web/src/room/E2eeDialog.js';
import { E2eeGhostRow, E2eeRosterMark } from '../../web/src/room/E2eeRoster.js';
import { E2eeFailed, E2eeLock, E2eeWarning } from '../../web/src/room/E2eeStatus.js';
import {
  e2eeShown,
  failureKey,
  ghosts,
  groupChanges,
  rosterMarks,
  safetyCodeGroups,
  spokenSafetyCode,
  statusAnnouncementKey,
  warningSubjects,
} from '../../web/src/room/e2eeModel.js';
import {
  announced,
  CODE,
  encryptedView,
  failedView,
  member,
  waitingView,
  warningView,
} from '../support/e2eeViews.js';

const html = (element: ReactElement): string => renderToStaticMarkup(element);
const noop = (): void => undefined;

describe('e2eeModel', () => {
  test('nothing is shown while encryption is off', () => {
    const off = initialE2eeView();
    assert.equal(e2eeShown(off), false);
    assert.equal(e2eeShown(waitingView()), true);
    assert.deepEqual(ghosts(off), []);
    assert.equal(rosterMarks(off, announced()).size, 0);
  });

  test('known failure codes have their own message, any other a generic one', () => {
    for (const code of ['e2ee_unsupported', 'mls_join_failed', 'mls_removed', 'keys_missing']) {
      assert.equal(failureKey(code), `e2ee.failure.${code}`);
    }
    assert.equal(failureKey('mls_something_new'), 'e2ee.failure.unknown');
    assert.equal(failureKey('toString'), 'e2ee.failure.unknown');
    assert.equal(failureKey(null), 'e2ee.failure.unknown');
  });

  test('the safety code in groups, and spoken digit by digit', () => {
    const groups = safetyCodeGroups(CODE);
    assert.deepEqual(groups, ['94590', '40504', '67118', '74129', '33242', '95118']);
    assert.equal(spokenSafetyCode(groups.slice(0, 2)), '9 4 5 9 0, 4 0 5 0 4');
    assert.deepEqual(safetyCodeGroups(null), []);
    assert.deepEqual(safetyCodeGroups('12345 abcde'), [], 'never shows something that is not digits');
  });

  test('roster marks: in the group or not, identity and duplicate names; none until verified', () => {
    const marks = rosterMarks(warningView(), announced());
    assert.deepEqual(marks.get('p-hana'), { inGroup: true, identity: 'account', duplicateName: false });
    assert.deepEqual(marks.get('p-ana1'), { inGroup: true, identity: 'guest', duplicateName: true });
    assert.deepEqual(marks.get('p-bob'), { inGroup: false, identity: null, duplicateName: false });
    assert.equal(marks.has('p-eve'), false, 'Eve is not announced: she is a ghost row, not a mark');
    assert.equal(rosterMarks(waitingView(), announced()).size, 0, 'no "not in the group" while waiting');
    assert.equal(rosterMarks(failedView('keys_missing'), announced()).size, 0);
  });

  test('ghosts: flagged members and listed ids, once each, never ourselves', () => {
    const view: E2eeView = {
      ...warningView(),
      unannounced: ['p-eve', 'p-zed', 'p-eve'],
    };
    assert.deepEqual(
      ghosts(view).map((g) => [g.participantId, g.displayName]),
      [
        ['p-eve', 'Eve'],
        ['p-zed', null],
      ],
    );
    const selfFlagged = encryptedView({
      members: [member('p-hana', 'Hana', { isLocal: true, unannounced: true })],
      unannounced: ['p-hana'],
    });
    assert.deepEqual(ghosts(selfFlagged), []);
  });

  test('the warning names the unannounced members and the missing people', () => {
    const subjects = warningSubjects({ ...warningView(), missing: ['p-bob', 'p-gone'] }, announced());
    assert.deepEqual(subjects.unannounced, [{ id: 'p-eve', name: 'Eve' }]);
    assert.deepEqual(subjects.missing, [
      { id: 'p-bob', name: 'Bob' },
      { id: 'p-gone', name: null },
    ]);
  });

  test('key-group joins and leaves, and code changes, once we are in the group', () => {
    const before = encryptedView();
    const after = encryptedView({
      epoch: 5,
      safetyCode: '11111 22222 33333 44444 55555 66666',
      members: [...before.members.filter((m) => m.participantId !== 'p-gus'), member('p-cy', 'Cy')],
    });
    const changes = groupChanges(before, after);
    assert.deepEqual(
      changes.joined.map((m) => m.displayName),
      ['Cy'],
    );
    assert.deepEqual(
      changes.left.map((m) => m.displayName),
      ['Gus'],
    );
    assert.equal(changes.codeChanged, true);
    // Our own arrival: everyone already there is not "joined".
    assert.deepEqual(groupChanges(waitingView(), before), { joined: [], left: [], codeChanged: false });
    assert.deepEqual(groupChanges(initialE2eeView(), before), { joined: [], left: [], codeChanged: false });
    // Same epoch, same code: nothing.
    assert.deepEqual(groupChanges(before, encryptedView()), { joined: [], left: [], codeChanged: false });
    // A new group after a gap without keys (a server restart): the code changed since the last one
    // shown, and the new seats of that gap are no join notices.
    const rejoined = encryptedView({
      safetyCode: '11111 22222 33333 44444 55555 66666',
      members: [member('p-hana2', 'Hana', { isLocal: true }), member('p-gus2', 'Gus')],
    });
    assert.deepEqual(groupChanges(waitingView(), rejoined, before.safetyCode), {
      joined: [],
      left: [],
      codeChanged: true,
    });
    assert.equal(groupChanges(waitingView(), encryptedView(), before.safetyCode).codeChanged, false);
    // Going into warning still reports the ghost's arrival.
    assert.deepEqual(
      groupChanges(before, warningView()).joined.map((m) => m.participantId),
      ['p-eve'],
    );
  });

  test('screen readers hear the keys arrive and a warning end, nothing else twice', () => {
    assert.equal(statusAnnouncementKey('waiting', 'encrypted'), 'e2ee.lock.encrypted');
    assert.equal(statusAnnouncementKey('warning', 'encrypted'), 'e2ee.lock.encrypted');
    assert.equal(statusAnnouncementKey('encrypted', 'encrypted'), null);
    assert.equal(statusAnnouncementKey('off', 'encrypted'), null, 'joining straight into a group');
    assert.equal(statusAnnouncementKey('encrypted', 'warning'), null, 'the warning is an alert itself');
    assert.equal(statusAnnouncementKey('waiting', 'failed'), null, 'so is cannot decrypt');
  });
});

describe('components rendered for a given E2eeView', () => {
  after(() => i18n.changeLanguage('en'));

  test('off: no lock, warning or failure', () => {
    const off = initialE2eeView();
    assert.equal(html(createElement(E2eeLock, { view: off, open: false, onOpen: noop })), '');
    assert.equal(
      html(createElement(E2eeWarning, { view: off, announced: announced(), onShowPeople: noop })),
      '',
    );
    assert.equal(html(createElement(E2eeFailed, { view: off })), '');
  });

  test('the lock carries the state, an accessible label and a tooltip', () => {
    for (const [view, label] of [
      [encryptedView(), 'End-to-end encrypted'],
      [waitingView(), 'Waiting for encryption keys'],
      [warningView(), 'Encryption warning: the participant list does not match'],
      [failedView('mls_removed'), 'Cannot decrypt this meeting'],
    ] as const) {
      const out = html(createElement(E2eeLock, { view, open: false, onOpen: noop }));
      assert.match(out, new RegExp(`data-testid="e2ee-lock" data-state="${view.status}"`));
      assert.match(out, new RegExp(`aria-label="${label}"`));
      assert.match(out, new RegExp(`title="${label}. Show the safety code"`));
      assert.match(out, /aria-haspopup="dialog"/);
    }
  });

  test('the warning names Eve (unannounced) and Bob (missing) in plain words', () => {
    const out = html(
      createElement(E2eeWarning, { view: warningView(), announced: announced(), onShowPeople: noop }),
    );
    assert.match(out, /data-testid="e2ee-warning"/);
    assert.match(out, /role="alert"/);
    assert.match(out, /data-unannounced="p-eve"/);
    assert.match(out, /data-missing="p-bob"/);
    assert.match(out, /Someone may be listening who was not announced/);
    assert.match(out, /In the encryption group but not announced: Eve\./);
    assert.match(out, /Announced but not in the encryption group: Bob\./);
    assert.equal(
      html(createElement(E2eeWarning, { view: encryptedView(), announced: announced(), onShowPeople: noop })),
      '',
    );
  });

  test('cannot decrypt: the code mapped to a message, unknown codes get a generic one', () => {
    const removed = html(createElement(E2eeFailed, { view: failedView('mls_removed') }));
    assert.match(removed, /data-testid="e2ee-failed" data-code="mls_removed"/);
    assert.match(removed, /You were removed from the encryption group/);
    const unknown = html(createElement(E2eeFailed, { view: failedView('mls_brand_new') }));
    assert.match(unknown, /Encryption failed in your browser \(mls_brand_new\)/);
    assert.doesNotMatch(unknown, /client says/, 'the client message is not shown untranslated');
  });

  test('the safety code in the dialog, with how to compare it', () => {
    const out = html(createElement(E2eeDialog, { view: encryptedView(), onShowPeople: noop, onClose: noop }));
    assert.match(out, /role="dialog"/);
    assert.match(out, new RegExp(`data-testid="e2ee-safety-code" data-code="${CODE}" data-epoch="4"`));
    assert.equal(out.match(/class="e2ee-code-group"/g)?.length, 6);
    assert.match(out, /Read it aloud/);
    assert.match(out, /changes whenever someone joins or leaves/);
    assert.match(out, /Only the 4 people in the encryption group/);
    assert.match(out, /data-testid="e2ee-show-people"/);
    const waiting = html(createElement(SafetyCode, { view: waitingView() }));
    assert.doesNotMatch(waiting, /e2ee-safety-code/);
    assert.match(waiting, /No safety code yet/);
  });

  test('roster marks and the ghost row', () => {
    const marks = rosterMarks(warningView(), announced());
    const ana = html(
      createElement(E2eeRosterMark, { participantId: 'p-ana2', mark: marks.get('p-ana2') ?? assert.fail() }),
    );
    assert.match(
      ana,
      /data-testid="e2ee-member" data-participant-id="p-ana2" data-in-group="true" data-identity="account" data-duplicate-name="true"/,
    );
    assert.match(ana, /Signed-in account/);
    assert.match(ana, /Same name as someone else/);
    const bob = html(
      createElement(E2eeRosterMark, { participantId: 'p-bob', mark: marks.get('p-bob') ?? assert.fail() }),
    );
    assert.match(bob, /data-in-group="false" data-identity=""/);
    assert.match(bob, /Not in the encryption group: cannot decrypt/);
    const [eve] = ghosts(warningView());
    const row = html(createElement(E2eeGhostRow, { ghost: eve ?? assert.fail() }));
    assert.match(row, /data-testid="e2ee-ghost" data-participant-id="p-eve" data-participant-name="Eve"/);
    assert.match(row, /Not announced by the server, but can decrypt/);
  });

  test('Chinese: the warning and the failure are translated', async () => {
    for (const lang of ['zh-Hans', 'zh-Hant']) {
      await i18n.changeLanguage(lang);
      const out = [
        html(createElement(E2eeWarning, { view: warningView(), announced: announced(), onShowPeople: noop })),
        html(createElement(E2eeFailed, { view: failedView('keys_missing') })),
        html(createElement(E2eeLock, { view: warningView(), open: false, onOpen: noop })),
      ].join('');
      const text = out
        .replace(/<[^>]*>/g, ' ')
        .replace(/\b(Eve|Bob)\b/g, '')
        .trim();
      assert.doesNotMatch(text, /[A-Za-z]{2,}/, `${lang}: ${text}`);
      assert.match(text, /Eve|加密/);
    }
  });
});
