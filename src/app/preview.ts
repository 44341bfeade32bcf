/**
 * What the pre-join screen may show before anyone joins: the meeting's title and who is already there.
 * The rule is "what this viewer would see by joining now, without a passcode", decided by admission
 * itself (MeetingService asks `admitJoin` with the viewer's real facts and no passcode):
 *
 * - A missing or ended meeting, a meeting with a passcode, and a meeting whose presence rules refuse
 *   this viewer (an operator's withholding in their jurisdiction, a host's region rule, a ban) all
 *   answer alike, `{ passcodeRequired: true }`: IDs reveal nothing, and nobody the meeting excludes
 *   learns its title or its participants.
 * - Otherwise the title, whether entry is `open`, through the `lobby`, or `closed` (locked or full),
 *   and how many are seated. Names only when the viewer would be seated at once and see them (entry
 *   `open`, not a webinar, where attendees see only the speakers), or is the host: people waiting for a
 *   host's approval do not see who is inside.
 */
import type { AdmissionDecision } from './admission.js';
import type { Meeting } from './Meeting.js';
import type { MeetingPreview } from '../protocol/preview.js';
import type { MeetingRow } from '../store/types.js';

export type { MeetingPreview };

/** At most this many names; the count is always exact. */
export const PREVIEW_NAMES = 12;

const PRESENCE_REFUSALS: ReadonlySet<string> = new Set(['withheld', 'region_not_allowed', 'banned']);

export function meetingPreview(
  row: MeetingRow | undefined,
  live: Meeting | undefined,
  viewerIsHost: boolean,
  decision: AdmissionDecision,
): MeetingPreview {
  if (!row || row.endedAt !== null) return { passcodeRequired: true };
  if (
    !decision.admitted &&
    (decision.error.code === 'meeting_not_found' || PRESENCE_REFUSALS.has(decision.error.code))
  ) {
    return { passcodeRequired: true };
  }
  const entry = !decision.admitted ? 'closed' : decision.lobby ? 'lobby' : 'open';
  const seated = live ? live.announced() : [];
  const showNames = viewerIsHost || (entry === 'open' && !row.settings.webinar);
  return {
    passcodeRequired: false,
    title: row.title,
    entry,
    webinar: row.settings.webinar,
    participants: {
      count: seated.length,
      names: showNames ? seated.slice(0, PREVIEW_NAMES).map((p) => p.displayName) : null,
    },
  };
}
