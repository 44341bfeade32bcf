/**
 * A meeting's bans as its host manages them outside the meeting: list and lift (docs/api.md "Bans").
 * A ban matches the banned participant's account (when signed in) and guest cookie; the host sees
 * what it matches and the display name it was given under, never the subjects (a guest key is the
 * guest's cookie). Lifting a ban updates every node's live ban set through the bus.
 */
import type { Bus } from '../bus/types.js';
import { ConveneError } from '../errors.js';
import type { BanRepo } from '../store/types.js';

export interface BanView {
  id: string;
  /** The display name the participant had when banned. */
  label: string | null;
  /** What the ban matches: `account` (a signed-in participant's account), `guest` (the guest cookie). */
  matches: ('account' | 'guest')[];
  createdAt: string;
}

export class MeetingBans {
  constructor(
    private readonly bans: BanRepo,
    private readonly bus: Bus,
  ) {}

  /** The meeting's bans, oldest first. The caller has checked that the actor hosts the meeting. */
  async list(meetingId: string): Promise<BanView[]> {
    const bans = await this.bans.bans(meetingId);
    return bans.map((b) => ({ ...b, createdAt: b.createdAt.toISOString() }));
  }

  /** Lifts one ban; `not_found` when the meeting has no such ban (nothing changes). */
  async lift(meetingId: string, banId: string): Promise<void> {
    const subjects = await this.bans.lift(meetingId, banId);
    if (subjects.length === 0) throw new ConveneError('not_found', 'This meeting has no such ban.');
    await this.bus.publish({ type: 'bansLifted', meetingId, subjects });
  }
}
