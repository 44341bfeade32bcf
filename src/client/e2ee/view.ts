/**
 * What the UI sees of end-to-end encryption (issue 8): `SessionState.e2ee`. The client library's MLS
 * session fills it; the room renders it. This is the contract between the two; change it in one commit
 * with both sides.
 */

/**
 * - `off`: not in a meeting yet (or left).
 * - `waiting`: in the meeting, no epoch key yet (joining the MLS group, or a Welcome is on its way);
 *   nothing is sent or shown until keys arrive (media is never sent in the clear).
 * - `encrypted`: we hold the current epoch's key and our roster agrees with the server's.
 * - `warning`: the MLS group and the server's announced roster disagree (see `unannounced`, `missing`).
 * - `failed`: this client cannot take part in the encrypted meeting (`failure` says why); it sees and
 *   hears nothing.
 */
export type E2eeStatus = 'off' | 'waiting' | 'encrypted' | 'warning' | 'failed';

/** How a member's identity was established, from its MLS credential. */
export type E2eeIdentity = 'guest' | 'account';

/** One member of the MLS group as this client verified it (its credential), never as the server says. */
export interface E2eeMember {
  /** The participant id in the member's credential. */
  participantId: string;
  displayName: string;
  identity: E2eeIdentity;
  /** Our own leaf. */
  isLocal: boolean;
  /** In the MLS group but the server never announced it: the "ghost" the warning names. */
  unannounced: boolean;
  /** Another member has the same display name (flag it, so people check the safety code). */
  duplicateName: boolean;
}

export interface E2eeFailure {
  /** Stable code: `e2ee_unsupported` (no RTCRtpScriptTransform), `mls_join_failed`, `mls_removed`, `keys_missing`. */
  code: string;
  message: string;
}

export interface E2eeView {
  status: E2eeStatus;
  /** The current MLS epoch (null before we join the group). */
  epoch: number | null;
  /** The safety code of the current epoch: 6 groups of 5 digits separated by spaces (null before). */
  safetyCode: string | null;
  /** The MLS group membership, our own leaf included, in leaf order. */
  members: readonly E2eeMember[];
  /** Participant ids in the MLS group that the server never announced (also flagged in `members`). */
  unannounced: readonly string[];
  /** Participant ids the server announced that are not in the MLS group (after a grace period). */
  missing: readonly string[];
  failure: E2eeFailure | null;
}

export function initialE2eeView(): E2eeView {
  return {
    status: 'off',
    epoch: null,
    safetyCode: null,
    members: [],
    unannounced: [],
    missing: [],
    failure: null,
  };
}
