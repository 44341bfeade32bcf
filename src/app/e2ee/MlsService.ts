/**
 * The server's MLS side for all live meetings of this node: its external-sender key and one
 * MeetingMls (delivery service) per live meeting, created when the meeting goes live
 * (MeetingService's `onLive`) and dropped when it closes. The signaling layer hands it the MLS
 * messages of seated participants.
 *
 * The external-sender key is generated when the node starts and kept in memory only: a restart gets a
 * new key, and the groups of meetings live before the restart (which name the old key) can no longer
 * receive the server's proposals. Every meeting live at a restart has lost its participants anyway
 * (they rejoin and a new group starts); keeping the key across restarts and sharing it between nodes
 * is a stated non-goal for now (docs/e2ee.md).
 */
import type { Logger } from 'pino';
import { ConveneError } from '../../errors.js';
import { ExternalSender, type CommitSubmission } from '../../e2ee/mls/index.js';
import type { ClientMessageOf } from '../../protocol/messages.js';
import type { Meeting } from '../Meeting.js';
import type { Participant } from '../Participant.js';
import { DEFAULT_MLS_TIMINGS, MeetingMls, fromBase64, type MlsTimings } from './MeetingMls.js';

export class MlsService {
  readonly #meetings = new Map<string, MeetingMls>();

  private constructor(
    readonly externalSender: ExternalSender,
    private readonly timings: MlsTimings,
    private readonly log: Logger,
  ) {}

  static async start(options: { logger: Logger; timings?: Partial<MlsTimings> }): Promise<MlsService> {
    const timings = { ...DEFAULT_MLS_TIMINGS, ...options.timings };
    return new MlsService(await ExternalSender.generate(), timings, options.logger);
  }

  /** A meeting went live on this node: it gets its delivery service. */
  attach(meeting: Meeting): void {
    const mls = new MeetingMls(meeting, this.externalSender, this.timings, this.log);
    this.#meetings.set(meeting.id, mls);
    meeting.once('close', () => {
      if (this.#meetings.get(meeting.id) === mls) this.#meetings.delete(meeting.id);
    });
  }

  /** The delivery service of a live meeting (tests and diagnostics). */
  forMeeting(meetingId: string): MeetingMls | undefined {
    return this.#meetings.get(meetingId);
  }

  keyPackage(participant: Participant, message: ClientMessageOf<'mlsKeyPackage'>): Promise<void> {
    return this.#of(participant).keyPackage(participant, fromBase64(message.keyPackage), message.rid);
  }

  rejoin(participant: Participant, message: ClientMessageOf<'mlsRejoin'>): Promise<void> {
    return this.#of(participant).rejoin(participant, fromBase64(message.keyPackage));
  }

  /** A participant took its seat back after a dropped connection (`mlsStatus` tells it where it stands). */
  resumed(participant: Participant): Promise<void> {
    return this.#meetings.get(participant.meetingId)?.resumed(participant) ?? Promise.resolve();
  }

  commit(participant: Participant, message: ClientMessageOf<'mlsCommit'>): Promise<void> {
    const submission: CommitSubmission = {
      commit: fromBase64(message.commit),
      welcome: message.welcome === undefined ? undefined : fromBase64(message.welcome),
      added: message.added,
      removed: message.removed,
    };
    return this.#of(participant).commit(participant, submission, message.rid);
  }

  application(participant: Participant, message: ClientMessageOf<'mlsMessage'>): Promise<void> {
    return this.#of(participant).application(participant, fromBase64(message.message));
  }

  #of(participant: Participant): MeetingMls {
    const mls = this.#meetings.get(participant.meetingId);
    if (!mls) throw new ConveneError('not_joined');
    return mls;
  }
}
