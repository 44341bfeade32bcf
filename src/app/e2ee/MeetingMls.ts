/**
 * The MLS delivery service of one live meeting, wired to it (docs/e2ee.md "What is wired"): the pure
 * DeliveryService plus the timers it leaves to the app and the transport of its deliveries to the
 * meeting's participants.
 *
 * - A participant's KeyPackage (`mlsKeyPackage`) admits it: the first creates the group, later ones
 *   become the server's external Add.
 * - Every seated participant who leaves through Meeting.remove (left, removed, withheld, ended,
 *   disconnected after the resume window, shutdown) becomes the server's external Remove, so keys rotate.
 * - Adds and Removes are batched for `batchMs`; then the designated committer is asked to commit. If no
 *   commit for that epoch arrives within `commitDeadlineMs`, the committer is passed over and the next
 *   one is asked.
 *
 * Every DeliveryService call and the sending of its deliveries run one at a time, so each participant
 * receives handshakes, Welcomes and application messages in the order the service produced them.
 */
import type { Logger } from 'pino';
import { ConveneError } from '../../errors.js';
import { Serial, type CommitSubmission, type ExternalSender } from '../../e2ee/mls/index.js';
import { TokenBucket } from '../../util/TokenBucket.js';
import type { ServerMessage, WithoutVersion } from '../../protocol/messages.js';
import type { Meeting } from '../Meeting.js';
import type { Participant } from '../Participant.js';
import { DeliveryService, type Delivery, type DsMessage } from './DeliveryService.js';

export interface MlsTimings {
  /** How long adds and removes gather before the committer is asked (a join storm costs few commits). */
  readonly batchMs: number;
  /** How long the designated committer has to commit before the next member is asked. */
  readonly commitDeadlineMs: number;
  /**
   * How long a seated participant without a KeyPackage goes unannounced (Meeting.announceWithKeys). Our
   * clients send theirs right after `joined`; this bounds one that never does. 0: announced when seated
   * (tests whose clients are raw sockets, not MLS members).
   */
  readonly announceWithoutKeysMs: number;
}

export const DEFAULT_MLS_TIMINGS: MlsTimings = {
  batchMs: 100,
  commitDeadlineMs: 5_000,
  announceWithoutKeysMs: 5_000,
};

/**
 * `mlsRejoin` per participant: a burst of 3, then one every 20 s. Each costs every member a commit, so
 * a client that rejoins in a loop must not make the meeting rekey without end; a client recovers with
 * one, and the client library itself tries at most 3 times a minute (docs/e2ee.md "Recovery").
 */
export const MLS_REJOIN_RATE = { perSecond: 1 / 20, burst: 3 } as const;

export const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
export const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

export class MeetingMls {
  readonly #ds: DeliveryService;
  readonly #serial = new Serial();
  #batch: ReturnType<typeof setTimeout> | undefined;
  /** The running commit deadline: whom it watches, for which epoch. */
  #deadline: { timer: ReturnType<typeof setTimeout>; committer: string; epoch: bigint } | undefined;
  #closed = false;
  readonly #rejoins = new Map<string, TokenBucket>();

  constructor(
    private readonly meeting: Meeting,
    private readonly externalSender: ExternalSender,
    private readonly timings: MlsTimings,
    private readonly log: Logger,
  ) {
    this.#ds = new DeliveryService({ externalSender });
    meeting.announceWithKeys(timings.announceWithoutKeysMs);
    meeting.on('participantsRemoved', (gone) => {
      for (const p of gone) {
        this.#rejoins.delete(p.id);
        void this.#run(() => this.#ds.remove(p.id), true);
      }
    });
    meeting.once('close', () => this.close());
  }

  /** The group's epoch, or undefined before the first KeyPackage (for tests and diagnostics). */
  get epoch(): bigint | undefined {
    return this.#ds.epoch;
  }

  /** Admits a seated participant with its KeyPackage; `mlsExternalSender` reaches it before any group message. */
  keyPackage(participant: Participant, keyPackage: Uint8Array, rid: string | undefined): Promise<void> {
    return this.#serial.run(async () => {
      const deliveries = await this.#ds.admit(participant.id, keyPackage);
      // The others hear of the joiner now, right before the server's Add for it (in `deliveries`), so
      // their clients never hold an announced participant whose Add is not on its way.
      this.meeting.announce(participant);
      participant.send({
        type: 'mlsExternalSender',
        publicKey: toBase64(this.externalSender.publicKey),
        ...(rid ? { rid } : {}),
      });
      this.#send(deliveries);
      this.#scheduleBatch();
    });
  }

  /**
   * A seated participant that lost track of the group rejoins it with a fresh KeyPackage: the server's
   * Remove of its old leaf and Add of the new one, in one batch (DeliveryService.rejoin). Limited per
   * participant (`rate_limited`); a refusal changes nothing.
   */
  rejoin(participant: Participant, keyPackage: Uint8Array): Promise<void> {
    return this.#serial.run(async () => {
      let bucket = this.#rejoins.get(participant.id);
      if (!bucket) {
        bucket = new TokenBucket(MLS_REJOIN_RATE.perSecond, MLS_REJOIN_RATE.burst);
        this.#rejoins.set(participant.id, bucket);
      }
      if (!bucket.take()) throw new ConveneError('rate_limited', 'Too many MLS rejoins; wait a little.');
      const deliveries = await this.#ds.rejoin(participant.id, keyPackage);
      this.meeting.announce(participant);
      // As for a first KeyPackage: the key reaches it before any group message (it may have missed it).
      participant.send({ type: 'mlsExternalSender', publicKey: toBase64(this.externalSender.publicKey) });
      this.#send(deliveries);
      this.#scheduleBatch();
    });
  }

  /**
   * A participant resumed its seat on a new connection: it is told where it stands in the group, in
   * order with every delivery before and after, so its client can tell whether it missed a commit or
   * its Welcome while away (and then rejoins).
   */
  resumed(participant: Participant): Promise<void> {
    return this.#run(async () => {
      const status = this.#ds.status(participant.id);
      participant.send(
        status.state === 'none'
          ? { type: 'mlsStatus', state: 'none' }
          : {
              type: 'mlsStatus',
              state: status.state,
              groupId: toBase64(status.groupId),
              epoch: Number(status.epoch),
            },
      );
      return [];
    });
  }

  /**
   * A member's commit: the first valid one of the epoch is accepted and relayed, the rest refused. The
   * committer's `mlsCommitResult` (with `rid`) goes out in order with the other deliveries, so it
   * arrives before the proposals the service makes for the new epoch.
   */
  commit(participant: Participant, submission: CommitSubmission, rid: string | undefined): Promise<void> {
    return this.#serial.run(async () => {
      const outcome = await this.#ds.submitCommit(participant.id, submission);
      const withRid = rid ? { rid } : {};
      if (!outcome.ok) {
        const { code, message } = outcome.error;
        if (code !== 'mls_epoch_taken' && code !== 'mls_bad_handshake') throw outcome.error;
        participant.send({ type: 'mlsCommitResult', accepted: false, code, message, ...withRid });
        return;
      }
      this.#stopWatch();
      for (const d of outcome.deliveries) {
        if (d.message.type !== 'commitAccepted') this.#send([d]);
        else
          participant.send({
            type: 'mlsCommitResult',
            accepted: true,
            epoch: Number(outcome.epoch),
            ...withRid,
          });
      }
      this.#scheduleBatch();
    });
  }

  /** Relays an application message (PrivateMessage) to the other members, in order with handshakes. */
  application(participant: Participant, message: Uint8Array): Promise<void> {
    return this.#serial.run(async () => this.#send(this.#ds.relayApplication(participant.id, message)));
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#batch);
    this.#stopWatch();
  }

  /** Runs one DeliveryService step in order and sends what it produced; failures are logged, not thrown. */
  #run(step: () => Promise<Delivery[]>, batch = false): Promise<void> {
    return this.#serial
      .run(async () => {
        this.#send(await step());
        if (batch) this.#scheduleBatch();
      })
      .catch((err: unknown) => this.log.error({ err, meeting: this.meeting.id }, 'MLS delivery failed'));
  }

  #scheduleBatch(): void {
    if (this.#closed || this.#batch || !this.#ds.hasPendingChanges) return;
    this.#batch = setTimeout(() => {
      this.#batch = undefined;
      void this.#run(() => this.#ds.requestCommit());
    }, this.timings.batchMs);
  }

  #send(deliveries: readonly Delivery[]): void {
    for (const { to, message } of deliveries) {
      const wire = this.#wire(message);
      for (const id of to) this.meeting.participants.get(id)?.send(wire);
      if (message.type === 'commitRequest' && to[0] !== undefined) this.#watch(to[0], message.epoch);
    }
  }

  /**
   * The committer asked for `epoch` must commit in time, or the next member is asked. The deadline runs
   * from the first request to this committer for this epoch: asking again (more proposals came within
   * the epoch, as in a join storm) does not move it, or a silent committer would never be passed over
   * while joins keep coming.
   */
  #watch(committer: string, epoch: bigint): void {
    const watched = this.#deadline;
    if (watched && watched.committer === committer && watched.epoch === epoch) return;
    this.#stopWatch();
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#deadline = undefined;
      if (this.#ds.epoch !== epoch || !this.#ds.hasPendingChanges) return;
      this.log.info({ meeting: this.meeting.id, epoch: Number(epoch) }, 'MLS committer passed over');
      void this.#run(() => this.#ds.passOver(committer));
    }, this.timings.commitDeadlineMs);
    this.#deadline = { timer, committer, epoch };
  }

  #stopWatch(): void {
    clearTimeout(this.#deadline?.timer);
    this.#deadline = undefined;
  }

  #wire(message: DsMessage): WithoutVersion<ServerMessage> {
    switch (message.type) {
      case 'createGroup':
        return { type: 'mlsCreateGroup', groupId: toBase64(message.groupId) };
      case 'handshake':
        return { type: 'mlsHandshake', epoch: Number(message.epoch), message: toBase64(message.bytes) };
      case 'welcome': {
        const groupId = this.#ds.groupId;
        if (!groupId) throw new ConveneError('internal', 'a Welcome without a group');
        return {
          type: 'mlsWelcome',
          groupId: toBase64(groupId),
          epoch: Number(message.epoch),
          welcome: toBase64(message.bytes),
        };
      }
      case 'application':
        return { type: 'mlsMessage', message: toBase64(message.bytes) };
      case 'commitAccepted':
        // commit() replaces this one with the reply to `mlsCommit`, which carries its rid.
        return { type: 'mlsCommitResult', accepted: true, epoch: Number(message.epoch) };
      case 'commitRequest':
        return { type: 'mlsCommitRequest', epoch: Number(message.epoch) };
    }
  }
}
