/**
 * Meetings as the transports see them: create, join (through admission), resume, publish, subscribe,
 * state, chat, leave. Identity always comes from the Participant the connection holds, never from a
 * message body.
 */
import type { Logger } from 'pino';
import { ConveneError } from '../errors.js';
import type { MediaEngine, PublishedTrack, SessionDescription } from '../media/types.js';
import type { JoinedMessage } from '../protocol/messages.js';
import { admit } from './admission.js';
import { Meeting } from './Meeting.js';
import { newMeetingId, type MeetingRecord } from './MeetingRecord.js';
import { Participant } from './Participant.js';

export interface MeetingServiceOptions {
  engine: MediaEngine;
  logger: Logger;
  resumeWindowMs: number;
  maxParticipantsPerMeeting: number;
}

export interface JoinRequest {
  meetingId: string;
  displayName: string;
  jurisdiction: string;
  resume?: string | undefined;
}

export class MeetingService {
  readonly #records = new Map<string, MeetingRecord>();
  readonly #live = new Map<string, Meeting>();
  readonly #byResumeToken = new Map<string, Participant>();
  readonly #options: MeetingServiceOptions;

  constructor(options: MeetingServiceOptions) {
    this.#options = options;
  }

  createMeeting(input: { title?: string | undefined } = {}): MeetingRecord {
    const record: MeetingRecord = {
      id: newMeetingId(),
      title: input.title?.trim() || 'Meeting',
      createdAt: Date.now(),
      settings: {},
    };
    this.#records.set(record.id, record);
    return record;
  }

  getMeeting(id: string): MeetingRecord | undefined {
    return this.#records.get(id);
  }

  liveMeeting(id: string): Meeting | undefined {
    return this.#live.get(id);
  }

  /**
   * Joins a meeting, or takes back a seat kept after a dropped connection. The caller builds `joined`
   * with the returned function, sends it and attaches its sink in one synchronous step, so the roster
   * snapshot and the later participantJoined/Left messages neither overlap nor leave a gap.
   */
  async join(request: JoinRequest): Promise<{ participant: Participant; joined: () => JoinedMessage }> {
    if (request.resume !== undefined) return this.#resume(request);
    const record = this.#records.get(request.meetingId);
    const live = this.#live.get(request.meetingId);
    const decision = admit({
      meeting: record,
      jurisdiction: request.jurisdiction,
      participantCount: live?.size ?? 0,
      serverMaxParticipants: this.#options.maxParticipantsPerMeeting,
    });
    if (!decision.admitted) throw decision.error;
    const meeting = live ?? this.#openLive(record as MeetingRecord);
    const participant = new Participant(request.meetingId, request.displayName, request.jurisdiction);
    try {
      await meeting.add(participant);
    } catch (err) {
      participant.close('left');
      if (meeting.size === 0) meeting.close();
      throw new ConveneError('media_unavailable', undefined, { cause: err });
    }
    this.#byResumeToken.set(participant.resumeToken, participant);
    participant.once('close', () => this.#byResumeToken.delete(participant.resumeToken));
    return { participant, joined: () => this.#joinedMessage(meeting, participant, false) };
  }

  #resume(request: JoinRequest): { participant: Participant; joined: () => JoinedMessage } {
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
      meetingId: meeting.record.id,
      self: participant.info(),
      participants: [...meeting.participants.values()].filter((p) => p !== participant).map((p) => p.info()),
      resumeToken: participant.resumeToken,
      resumeWindowMs: this.#options.resumeWindowMs,
      resumed,
      chatHistory: resumed ? meeting.chatSince(participant.joinedAt) : [],
    };
  }

  #openLive(record: MeetingRecord): Meeting {
    const meeting = new Meeting(record, this.#options.engine, this.#options.logger, () => {
      if (this.#live.get(record.id) === meeting) this.#live.delete(record.id);
    });
    this.#live.set(record.id, meeting);
    return meeting;
  }

  async publish(
    participant: Participant,
    offer: SessionDescription,
    tracks: PublishedTrack[],
  ): Promise<SessionDescription> {
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

  setMediaState(
    participant: Participant,
    state: { audioMuted: boolean; videoMuted: boolean; screenSharing: boolean },
  ) {
    participant.audioMuted = state.audioMuted;
    participant.videoMuted = state.videoMuted;
    participant.screenSharing = state.screenSharing;
    this.#live.get(participant.meetingId)?.participantUpdated(participant);
  }

  chat(participant: Participant, text: string): void {
    this.#live.get(participant.meetingId)?.chat(participant, text);
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
