/**
 * Meetings as the transports see them: create and edit (HTTP), join through admission and the lobby,
 * resume, publish, subscribe, state, chat, hands, host controls, end. Identity always comes from the
 * connection (its account or guest key), never from a message body.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { ConveneError } from '../errors.js';
import type { MediaEngine, PublishedTrack, SessionDescription } from '../media/types.js';
import type { JoinedMessage } from '../protocol/messages.js';
import type { MeetingPatch, MeetingRow, MeetingSettings, Store } from '../store/types.js';
import { RateLimiter } from '../util/RateLimiter.js';
import { AdmissionError, admit } from './admission.js';
import { applyHostControl, type HostControlMessage } from './HostControls.js';
import { newMeetingId, newSecretToken } from './ids.js';
import type { LobbyTicket } from './Lobby.js';
import { Meeting } from './Meeting.js';
import { Participant, banSubjects, type Identity } from './Participant.js';

export interface MeetingServiceOptions {
  engine: MediaEngine;
  store: Store;
  logger: Logger;
  resumeWindowMs: number;
  maxParticipantsPerMeeting: number;
}

export interface JoinRequest {
  meetingId: string;
  displayName: string;
  passcode?: string | undefined;
  hostKey?: string | undefined;
  resume?: string | undefined;
  jurisdiction: string;
  identity: Identity;
}

export type Seated = { participant: Participant; joined: () => JoinedMessage };
export type JoinOutcome =
  | ({ kind: 'joined' } & Seated)
  | { kind: 'lobby'; ticket: LobbyTicket; meetingTitle: string; seat: () => Promise<Seated> };

export const DEFAULT_SETTINGS: MeetingSettings = {
  lobby: false,
  passcode: null,
  webinar: false,
  maxParticipants: null,
  regionPolicy: null,
};

/** Failed joins (missing meeting or wrong passcode alike) per client and meeting, and per client. */
const FAILED_JOINS = { perMeeting: 10, perClient: 50, windowMs: 60 * 60_000 };
const sha256 = (s: string) => createHash('sha256').update(s).digest();

export class MeetingService {
  readonly #live = new Map<string, Meeting>();
  readonly #byResumeToken = new Map<string, Participant>();
  readonly #failedPerMeeting = new RateLimiter(FAILED_JOINS.perMeeting, FAILED_JOINS.windowMs);
  readonly #failedPerClient = new RateLimiter(FAILED_JOINS.perClient, FAILED_JOINS.windowMs);
  readonly #options: MeetingServiceOptions;

  constructor(options: MeetingServiceOptions) {
    this.#options = options;
  }

  get store(): Store {
    return this.#options.store;
  }

  // ---- meetings as records (HTTP API) -------------------------------------------------------------

  async createMeeting(input: {
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
      hostKeyHash: hostKey ? sha256(hostKey).toString('base64url') : null,
      scheduledFor: input.scheduledFor ?? null,
      createdAt: new Date(),
      endedAt: null,
      locked: false,
      settings: { ...DEFAULT_SETTINGS, ...input.settings },
    });
    return { row, hostKey };
  }

  /** The meeting if this account hosts it; `not_found` otherwise, so IDs reveal nothing. */
  async hostedMeeting(id: string, accountId: string): Promise<MeetingRow> {
    const row = await this.store.meetings.get(id);
    if (!row || row.hostAccountId !== accountId) throw new ConveneError('not_found');
    return row;
  }

  /** Edits a meeting; live participants are re-checked against the new rules with the join predicate. */
  async updateMeeting(id: string, accountId: string, patch: MeetingPatch): Promise<MeetingRow> {
    await this.hostedMeeting(id, accountId);
    const row = await this.store.meetings.update(id, patch);
    if (!row) throw new ConveneError('not_found');
    const live = this.#live.get(id);
    if (live) {
      live.setRow(row);
      for (const p of [...live.participants.values()]) {
        const decision = admit({
          meeting: row,
          joiner: {
            jurisdiction: p.jurisdiction,
            isHost: p.role === 'host',
            passcodeOk: true,
            banned: false,
          },
          participantCount: 0,
          serverMaxParticipants: this.#options.maxParticipantsPerMeeting,
          phase: 'live',
        });
        if (!decision.admitted) p.endSession('removed', false, decision.error.code);
      }
    }
    return row;
  }

  async endMeeting(id: string, accountId: string): Promise<void> {
    await this.hostedMeeting(id, accountId);
    await this.store.meetings.end(id, new Date());
    this.#live.get(id)?.end();
  }

  liveMeeting(id: string): Meeting | undefined {
    return this.#live.get(id);
  }

  // ---- joining ------------------------------------------------------------------------------------

  /**
   * Joins a meeting, waits in its lobby, or takes back a seat kept after a dropped connection. The
   * caller builds `joined` with the returned function, sends it and attaches its sink in one
   * synchronous step, so the roster snapshot and later roster messages neither overlap nor leave a gap.
   */
  async join(request: JoinRequest): Promise<JoinOutcome> {
    if (request.resume !== undefined) return { kind: 'joined', ...this.#resume(request) };
    const { identity } = request;
    const meetingKey = `${identity.clientKey}:${request.meetingId}`;
    if (this.#failedPerMeeting.limited(meetingKey) || this.#failedPerClient.limited(identity.clientKey)) {
      throw new ConveneError('rate_limited', 'Too many failed attempts; try again later.');
    }
    const row = await this.store.meetings.get(request.meetingId);
    const isHost =
      row !== undefined &&
      ((identity.accountId !== undefined && identity.accountId === row.hostAccountId) ||
        hostKeyMatches(row.hostKeyHash, request.hostKey ?? identity.hostKeys?.get(request.meetingId)));
    const passcodeOk = row?.settings.passcode == null || matches(row.settings.passcode, request.passcode);
    const banned =
      row !== undefined && !isHost && (await this.store.bans.isBanned(row.id, banSubjects(identity)));
    const live = this.#live.get(request.meetingId);
    const decision = admit({
      meeting: row,
      joiner: { jurisdiction: request.jurisdiction, isHost, passcodeOk, banned },
      participantCount: live?.size ?? 0,
      serverMaxParticipants: this.#options.maxParticipantsPerMeeting,
      phase: 'join',
    });
    if (!decision.admitted) {
      if (decision.error.code === 'meeting_not_found') {
        this.#failedPerMeeting.record(meetingKey);
        this.#failedPerClient.record(identity.clientKey);
      }
      throw decision.error;
    }
    const meeting = live ?? this.#openLive(row as MeetingRow);
    const participant = new Participant(
      request.meetingId,
      request.displayName,
      request.jurisdiction,
      identity,
      decision.role,
    );
    if (!decision.lobby) return { kind: 'joined', ...(await this.#seat(meeting, participant)) };
    const ticket = meeting.lobby.add(participant);
    return {
      kind: 'lobby',
      ticket,
      meetingTitle: meeting.row.title,
      seat: async () => {
        // Capacity may have filled up while this person waited.
        const limit = Math.min(
          meeting.row.settings.maxParticipants ?? Infinity,
          this.#options.maxParticipantsPerMeeting,
        );
        if (meeting.ended) throw AdmissionError.notFound();
        if (meeting.size >= limit) throw AdmissionError.full(limit);
        return this.#seat(meeting, participant);
      },
    };
  }

  async #seat(meeting: Meeting, participant: Participant): Promise<Seated> {
    try {
      await meeting.add(participant);
    } catch (err) {
      participant.close('left');
      throw new ConveneError('media_unavailable', undefined, { cause: err });
    }
    if (participant.closed) throw AdmissionError.notFound();
    this.#byResumeToken.set(participant.resumeToken, participant);
    participant.once('close', () => this.#byResumeToken.delete(participant.resumeToken));
    return { participant, joined: () => this.#joinedMessage(meeting, participant, false) };
  }

  #resume(request: JoinRequest): Seated {
    const participant = this.#byResumeToken.get(request.resume ?? '');
    const meeting = this.#live.get(request.meetingId);
    if (!participant || participant.closed || participant.meetingId !== request.meetingId || !meeting) {
      throw new ConveneError('resume_expired');
    }
    participant.jurisdiction = request.jurisdiction;
    return { participant, joined: () => this.#joinedMessage(meeting, participant, true) };
  }

  #joinedMessage(meeting: Meeting, participant: Participant, resumed: boolean): JoinedMessage {
    return {
      v: 1,
      type: 'joined',
      meetingId: meeting.id,
      meeting: meeting.view(),
      lobby: participant.moderates ? meeting.lobby.entries() : [],
      self: participant.info(),
      participants: [...meeting.participants.values()].filter((p) => p !== participant).map((p) => p.info()),
      resumeToken: participant.resumeToken,
      resumeWindowMs: this.#options.resumeWindowMs,
      resumed,
      chatHistory: resumed ? meeting.chatSince(participant.joinedAt) : [],
    };
  }

  #openLive(row: MeetingRow): Meeting {
    const meeting = new Meeting(row, this.#options.engine, this.#options.logger, () => {
      if (this.#live.get(row.id) === meeting) this.#live.delete(row.id);
    });
    this.#live.set(row.id, meeting);
    return meeting;
  }

  // ---- in the meeting -----------------------------------------------------------------------------

  async publish(
    participant: Participant,
    offer: SessionDescription,
    tracks: PublishedTrack[],
  ): Promise<SessionDescription> {
    if (!participant.mayPublish)
      throw new ConveneError('not_allowed', 'Attendees of a webinar cannot publish.');
    const media = this.#media(participant);
    try {
      const answer = await media.publish(offer, tracks);
      participant.published();
      return answer;
    } catch (err) {
      throw new ConveneError('negotiation_failed', undefined, { cause: err });
    }
  }

  async answerSubscription(participant: Participant, answer: SessionDescription): Promise<void> {
    const media = this.#media(participant);
    try {
      await media.answerSubscription(answer);
    } catch (err) {
      throw new ConveneError('negotiation_failed', undefined, { cause: err });
    }
  }

  async setMediaState(
    participant: Participant,
    state: { audioMuted: boolean; videoMuted: boolean; screenSharing: boolean },
  ): Promise<void> {
    // Unmuting yourself lifts a host's mute at the media server too: the host asks, you decide.
    if (participant.audioMuted && !state.audioMuted) await participant.media?.moderate('mic', false);
    participant.audioMuted = state.audioMuted;
    participant.videoMuted = state.videoMuted;
    participant.screenSharing = state.screenSharing;
    this.#live.get(participant.meetingId)?.participantUpdated(participant);
  }

  chat(participant: Participant, text: string): void {
    this.#live.get(participant.meetingId)?.chat(participant, text);
  }

  raiseHand(participant: Participant, raised: boolean): void {
    if (raised === (participant.handRaisedAt !== null)) return;
    participant.handRaisedAt = raised ? Date.now() : null;
    this.#live.get(participant.meetingId)?.participantUpdated(participant);
  }

  async hostControl(participant: Participant, message: HostControlMessage): Promise<void> {
    const meeting = this.#live.get(participant.meetingId);
    if (!meeting) throw new ConveneError('not_joined');
    await applyHostControl(meeting, participant, message, this.store);
  }

  #media(participant: Participant) {
    if (!participant.media || participant.closed) throw new ConveneError('media_unavailable');
    return participant.media;
  }

  /** Ends every live meeting's media (server shutdown). */
  closeAll(): void {
    for (const meeting of [...this.#live.values()]) meeting.close();
  }
}

/** Constant-time equality of two secrets (compared as SHA-256 digests, so lengths never leak). */
function matches(expected: string | null, given: string | undefined): boolean {
  if (expected === null || given === undefined) return false;
  return timingSafeEqual(sha256(expected), sha256(given));
}

/** Whether a host key (from `join`, or from the connection's host-key cookie) is the meeting's. */
function hostKeyMatches(hash: string | null, hostKey: string | undefined): boolean {
  return hostKey !== undefined && matches(hash, sha256(hostKey).toString('base64url'));
}
