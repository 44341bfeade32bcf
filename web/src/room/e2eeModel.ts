/**
 * What the room shows of end-to-end encryption, derived from `SessionState.e2ee` (the client's
 * `E2eeView`, src/client/e2ee/view.ts) and the server's announced participants. Pure: no React, no
 * i18n calls (it returns catalog keys), so test/unit/e2ee-ui.test.ts can check every rule.
 */
import type { E2eeIdentity, E2eeMember, E2eeStatus, E2eeView } from '../../../src/client/types.js';

/** Someone the server announced (`SessionState.self` and `participants`). */
export interface Announced {
  id: string;
  displayName: string;
}

/** Whether the room shows anything of E2EE: nothing at all while the status is `off`. */
export function e2eeShown(view: E2eeView): boolean {
  return view.status !== 'off';
}

/** The lock's label (also its tooltip) for a status. */
export function lockLabelKey(status: Exclude<E2eeStatus, 'off'>): string {
  return `e2ee.lock.${status}`;
}

/** Failure codes with their own message; any other code gets `e2ee.failure.unknown`. */
export const KNOWN_FAILURES = ['e2ee_unsupported', 'mls_join_failed', 'mls_removed', 'keys_missing'] as const;

export function failureKey(code: string | null | undefined): string {
  return (KNOWN_FAILURES as readonly string[]).includes(code ?? '')
    ? `e2ee.failure.${code}`
    : 'e2ee.failure.unknown';
}

/**
 * The safety code's groups of digits ("94590 40504 ..." -> ["94590", "40504", ...]); empty when there
 * is no code or it is not digits in groups (never show something that looks like a code and is not).
 */
export function safetyCodeGroups(code: string | null): string[] {
  if (code === null) return [];
  const groups = code.trim().split(/\s+/);
  return groups.every((g) => /^\d+$/.test(g)) ? groups : [];
}

/**
 * The code as a screen reader should say it: digit by digit, groups apart ("9 4 5 9 0, 4 0 5 0 4"),
 * so "94590" is not read as ninety-four thousand.
 */
export function spokenSafetyCode(groups: readonly string[]): string {
  return groups.map((g) => g.split('').join(' ')).join(', ');
}

/** The verified roster only counts while we hold an epoch: `encrypted` or `warning`. */
export function rosterVerified(view: E2eeView): boolean {
  return view.status === 'encrypted' || view.status === 'warning';
}

/** The key-group mark on one announced participant's row. */
export interface RosterMark {
  /** In the MLS group this client verified (can decrypt). */
  inGroup: boolean;
  /** From the member's credential; null when not in the group. */
  identity: E2eeIdentity | null;
  duplicateName: boolean;
}

/** A mark per announced participant id, or an empty map while the roster is not verified. */
export function rosterMarks(view: E2eeView, announced: readonly Announced[]): Map<string, RosterMark> {
  const marks = new Map<string, RosterMark>();
  if (!rosterVerified(view)) return marks;
  const members = new Map(view.members.map((m) => [m.participantId, m]));
  for (const person of announced) {
    const member = members.get(person.id);
    marks.set(person.id, {
      inGroup: member !== undefined,
      identity: member?.identity ?? null,
      duplicateName: member?.duplicateName ?? false,
    });
  }
  return marks;
}

/** A member of the key group the server never announced: shown as its own row. */
export interface Ghost {
  participantId: string;
  /** The name in its credential, or null when the client listed an id it has no member for. */
  displayName: string | null;
  identity: E2eeIdentity | null;
  duplicateName: boolean;
}

/** Every unannounced member: flagged in `members` or listed in `unannounced`, once each, leaf order first. */
export function ghosts(view: E2eeView): Ghost[] {
  if (view.status === 'off') return [];
  const out = new Map<string, Ghost>();
  for (const m of view.members) {
    if (m.unannounced && !m.isLocal) out.set(m.participantId, ghostOf(m));
  }
  for (const id of view.unannounced) {
    if (out.has(id)) continue;
    const member = view.members.find((m) => m.participantId === id);
    if (member?.isLocal) continue;
    out.set(
      id,
      member
        ? ghostOf(member)
        : { participantId: id, displayName: null, identity: null, duplicateName: false },
    );
  }
  return [...out.values()];
}

function ghostOf(m: E2eeMember): Ghost {
  return {
    participantId: m.participantId,
    displayName: m.displayName,
    identity: m.identity,
    duplicateName: m.duplicateName,
  };
}

/** Whom the warning names: unannounced members and announced people missing from the group. */
export interface WarningSubjects {
  unannounced: Array<{ id: string; name: string | null }>;
  missing: Array<{ id: string; name: string | null }>;
}

export function warningSubjects(view: E2eeView, announced: readonly Announced[]): WarningSubjects {
  const names = new Map(announced.map((p) => [p.id, p.displayName]));
  return {
    unannounced: ghosts(view).map((g) => ({ id: g.participantId, name: g.displayName })),
    missing: [...new Set(view.missing)].map((id) => ({ id, name: names.get(id) ?? null })),
  };
}

/** What changed in the key group between two views, for join/leave notices. */
export interface GroupChanges {
  joined: E2eeMember[];
  left: E2eeMember[];
  /** The safety code differs from the last one this room showed. */
  codeChanged: boolean;
}

/**
 * Joins and leaves of other members, once this client was in the group before and after (our own
 * arrival lists nobody: the People panel shows who was already there). Members are told apart by
 * participant id. The code is compared with `lastCode`, the last verified code the room showed, which
 * may be older than `before`: after a server restart the page waits for keys (no code) and then
 * forms a new group with a new code, and people who compared the old one must be told to compare
 * again, while the joins and leaves of that gap (every seat is new) are not worth a notice.
 */
export function groupChanges(
  before: E2eeView,
  after: E2eeView,
  lastCode: string | null = rosterVerified(before) ? before.safetyCode : null,
): GroupChanges {
  const codeChanged =
    rosterVerified(after) && after.safetyCode !== null && lastCode !== null && after.safetyCode !== lastCode;
  const none: GroupChanges = { joined: [], left: [], codeChanged };
  if (before.epoch === null || after.epoch === null) return none;
  if (!rosterVerified(before) || !rosterVerified(after)) return none;
  const was = new Set(before.members.map((m) => m.participantId));
  const is = new Set(after.members.map((m) => m.participantId));
  return {
    joined: after.members.filter((m) => !m.isLocal && !was.has(m.participantId)),
    left: before.members.filter((m) => !m.isLocal && !is.has(m.participantId)),
    codeChanged,
  };
}

/**
 * The state change a screen reader should hear that nothing else announces: keys arrived (from
 * `waiting`) or the disagreement ended (from `warning`). The warning and "cannot decrypt" are alerts
 * of their own.
 */
export function statusAnnouncementKey(before: E2eeStatus, after: E2eeStatus): string | null {
  if (after !== 'encrypted' || before === after) return null;
  return before === 'waiting' || before === 'warning' ? lockLabelKey('encrypted') : null;
}
