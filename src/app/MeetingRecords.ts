/**
 * Meetings as records, as the HTTP API sees them: create, read and edit a meeting a host owns, list a
 * host's meetings, end one, check an anonymous meeting's host key. Live meetings are MeetingService's;
 * this class only reads their size for the host's list, re-checks who is in one after an edit, and
 * ends one through the bus (every node ends its live copy).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Bus } from '../bus/types.js';
import { ConveneError } from '../errors.js';
import type { MeetingPatch, MeetingRow, MeetingSettings, Store } from '../store/types.js';
import { newMeetingId, newSecretToken } from './ids.js';
import type { Meeting } from './Meeting.js';

export const DEFAULT_SETTINGS: MeetingSettings = {
  lobby: false,
  passcode: null,
  webinar: false,
  maxParticipants: null,
  regionPolicy: null,
};

/** A meeting's record as a host's list shows it. */
export interface HostedMeeting {
  row: MeetingRow;
  /** Participants seated now, or null when the meeting is not live on this node. */
  liveParticipants: number | null;
}

export class MeetingRecords {
  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly live: ReadonlyMap<string, Meeting>,
    /** Re-checks everyone in a live meeting, seated or waiting, against its (new) settings. */
    private readonly sweep: (meeting: Meeting) => Promise<void>,
  ) {}

  async create(input: {
    title?: string | undefined;
    scheduledFor?: Date | null | undefined;
    settings?: Partial<MeetingSettings> | undefined;
    hostAccountId: string | undefined;
  }): Promise<{ row: MeetingRow; hostKey: string | undefined }> {
    const hostKey = input.hostAccountId ? undefined : newSecretToken(24);
    const row = await this.store.meetings.create({
      id: newMeetingId(),
      title: input.title?.trim() || 'Meeting',
      hostAccountId: input.hostAccountId ?? null,
      hostKeyHash: hostKey ? hashOf(hostKey) : null,
      scheduledFor: input.scheduledFor ?? null,
      createdAt: new Date(),
      endedAt: null,
      locked: false,
      settings: { ...DEFAULT_SETTINGS, ...input.settings },
    });
    return { row, hostKey };
  }

  /** The meeting if this account hosts it; `not_found` otherwise, so IDs reveal nothing. */
  async hosted(id: string, accountId: string): Promise<HostedMeeting> {
    const row = await this.store.meetings.get(id);
    if (!row || row.hostAccountId !== accountId) throw new ConveneError('not_found');
    return this.#hosted(row);
  }

  /** The host's meetings that have not ended, then the history: the most recently ended first. */
  async listHosted(accountId: string): Promise<HostedMeeting[]> {
    const [open, ended] = await Promise.all([
      this.store.meetings.listByHost(accountId),
      this.store.meetings.listEndedByHost(accountId),
    ]);
    return [...open, ...ended].map((row) => this.#hosted(row));
  }

  #hosted(row: MeetingRow): HostedMeeting {
    return { row, liveParticipants: this.live.get(row.id)?.participants.size ?? null };
  }

  /** Edits a meeting; everyone in it, seated or waiting, is re-checked with the presence predicate. */
  async update(id: string, accountId: string, patch: MeetingPatch): Promise<HostedMeeting> {
    await this.hosted(id, accountId);
    const row = await this.store.meetings.update(id, patch);
    if (!row) throw new ConveneError('not_found');
    const live = this.live.get(id);
    if (live) {
      live.setRow(row);
      await this.sweep(live);
    }
    return this.#hosted(row);
  }

  /** The host ends the meeting from the API: checked, then `end`. */
  async endHosted(id: string, accountId: string): Promise<void> {
    await this.hosted(id, accountId);
    await this.end(id);
  }

  /** Ends a meeting (the host's check is the caller's): stored, then every node ends its live copy. */
  async end(id: string): Promise<void> {
    await this.store.meetings.end(id, new Date());
    await this.bus.publish({ type: 'meetingEnded', meetingId: id });
  }

  /** Whether `hostKey` is the host key of this (anonymous) meeting. */
  async isHostKey(meetingId: string, hostKey: string): Promise<boolean> {
    const row = await this.store.meetings.get(meetingId);
    return row !== undefined && hostKeyMatches(row.hostKeyHash, hostKey);
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const hashOf = (hostKey: string) => sha256(hostKey).toString('base64url');

/** Constant-time equality of two secrets (compared as SHA-256 digests, so lengths never leak). */
export function secretMatches(expected: string | null, given: string | undefined): boolean {
  if (expected === null || given === undefined) return false;
  return timingSafeEqual(sha256(expected), sha256(given));
}

/** Whether a host key (from `join`, or from the connection's host-key cookie) is the meeting's. */
export function hostKeyMatches(hash: string | null, hostKey: string | undefined): boolean {
  return hostKey !== undefined && secretMatches(hash, hashOf(hostKey));
}
