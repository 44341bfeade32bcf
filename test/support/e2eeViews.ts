/**
 * `E2eeView` samples for the room's encryption UI (test/unit/e2ee-ui.test.ts, test/e2e/e2ee-ui.test.ts):
 * the states the client library reports, built from one roster.
 */
import type { E2eeMember, E2eeView, ParticipantView } from '../../src/client/types.js';
import { initialE2eeView } from '../../src/client/e2ee/view.js';

export const CODE = '94590 40504 67118 74129 33242 95118';

export function member(
  participantId: string,
  displayName: string,
  over: Partial<E2eeMember> = {},
): E2eeMember {
  return {
    participantId,
    displayName,
    identity: 'guest',
    isLocal: false,
    unannounced: false,
    duplicateName: false,
    ...over,
  };
}

/** Hana (signed in, local), Gus and two people called Ana: everyone announced and in the group. */
export function encryptedView(over: Partial<E2eeView> = {}): E2eeView {
  return {
    ...initialE2eeView(),
    status: 'encrypted',
    epoch: 4,
    safetyCode: CODE,
    members: [
      member('p-hana', 'Hana', { identity: 'account', isLocal: true }),
      member('p-gus', 'Gus'),
      member('p-ana1', 'Ana', { duplicateName: true }),
      member('p-ana2', 'Ana', { identity: 'account', duplicateName: true }),
    ],
    ...over,
  };
}

/** The ghost case: Eve is in the group and never announced; Bob is announced and not in the group. */
export function warningView(): E2eeView {
  const base = encryptedView();
  return {
    ...base,
    status: 'warning',
    members: [...base.members, member('p-eve', 'Eve', { unannounced: true })],
    unannounced: ['p-eve'],
    missing: ['p-bob'],
  };
}

export function waitingView(): E2eeView {
  return { ...initialE2eeView(), status: 'waiting' };
}

export function failedView(code: string): E2eeView {
  return { ...initialE2eeView(), status: 'failed', failure: { code, message: `client says ${code}` } };
}

/** The server's announced participants matching the views above (Bob is announced, Eve is not). */
export function announced(): ParticipantView[] {
  const person = (id: string, displayName: string, isLocal = false): ParticipantView => ({
    id,
    displayName,
    isLocal,
    role: isLocal ? 'host' : 'participant',
    signedIn: isLocal,
    handRaised: false,
    handRaisedAt: null,
    audioMuted: false,
    videoMuted: true,
    screenSharing: false,
    joinedAt: 0,
  });
  return [
    person('p-hana', 'Hana', true),
    person('p-gus', 'Gus'),
    person('p-ana1', 'Ana'),
    person('p-ana2', 'Ana'),
    person('p-bob', 'Bob'),
  ];
}
