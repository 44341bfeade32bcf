/**
 * One signaling socket: parses and validates each frame, applies a per-connection rate limit, and turns
 * messages into MeetingService calls in arrival order. Identity is the Participant this connection
 * joined as; nothing in a message body can name another participant.
 *
 * It holds nothing for nothing (docs/protocol.md, "Connection limits"): it must join within
 * `joinTimeoutMs`, answer pings, and read what it is sent; a socket that falls `maxBufferedBytes`
 * behind is shed, and its seat waits for a resume like after any drop.
 */
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import type { MlsService } from '../app/e2ee/MlsService.js';
import type { LobbyTicket } from '../app/Lobby.js';
import type { JoinOutcome, MeetingService, Seated } from '../app/MeetingService.js';
import type { Identity, MessageSink, Participant } from '../app/Participant.js';
import { ConveneError, ERROR_CODES, type ErrorCode } from '../errors.js';
import type { ClientMessage, ServerMessage, WithoutVersion } from '../protocol/messages.js';
import { parseClientMessage, readRid } from '../protocol/parse.js';
import { TokenBucket } from '../util/TokenBucket.js';
import { closeSoon, keepAlive, type SocketLimits } from './socketGuards.js';
import { CLOSE_RESUMED_ELSEWHERE } from '../protocol/closeCodes.js';

export interface ConnectionContext {
  service: MeetingService;
  mls: MlsService;
  resumeWindowMs: number;
  limits: SocketLimits;
  logger: Logger;
  /** This client key's socket was closed for flooding (too many refused messages). */
  flooded(clientKey: string): void;
}

/** Messages per second a connection may send, with room for bursts (joins, renegotiation). */
const RATE = { perSecond: 20, burst: 60 };
/**
 * Refused messages are strikes that drain at STRIKES_DRAINED_PER_SECOND; past MAX_STRIKES the
 * connection is closed. Accepted messages do not clear them: a steady flood gets one message through
 * per token the bucket refills, and with a count that restarted there it was never closed.
 */
const MAX_STRIKES = 50;
const STRIKES_DRAINED_PER_SECOND = 10;

export class SignalingConnection implements MessageSink {
  #participant: Participant | undefined;
  /** Waiting in the lobby. */
  #ticket: LobbyTicket | undefined;
  #queue: Promise<void> = Promise.resolve();
  #left = false;
  #strikes = 0;
  #lastStrikeAt = 0;
  /** A join is being handled; the join deadline waits for its outcome. */
  #joining = false;
  #joinDeadline: NodeJS.Timeout | undefined;
  #joinDeadlinePassed = false;
  readonly #bucket = new TokenBucket(RATE.perSecond, RATE.burst);
  readonly #log: Logger;

  constructor(
    private readonly ws: WebSocket,
    private readonly jurisdiction: string,
    private readonly identity: Identity,
    private readonly ctx: ConnectionContext,
  ) {
    this.#log = ctx.logger;
    ws.on('message', (data, isBinary) => this.#onFrame(data, isBinary));
    ws.on('close', () => this.#onClose());
    ws.on('error', (err) => this.#log.debug({ err }, 'signaling socket error'));
    keepAlive(ws, ctx.limits, () => {
      this.#log.debug('no pong: dropping the socket');
      ws.terminate();
    });
    this.#joinDeadline = setTimeout(() => {
      this.#joinDeadlinePassed = true;
      this.#closeIfUnjoined();
    }, ctx.limits.joinTimeoutMs);
    this.#joinDeadline.unref();
  }

  send(message: ServerMessage): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    // What is still queued from earlier messages: a reader keeps this near zero, a socket that stopped
    // reading grows it without limit. Past the limit it is shed instead of queueing more.
    if (this.ws.bufferedAmount > this.ctx.limits.maxBufferedBytes) {
      this.#log.info({ queued: this.ws.bufferedAmount }, 'slow consumer shed');
      this.close(ERROR_CODES.slow_consumer.ws, 'slow_consumer');
      return;
    }
    this.ws.send(JSON.stringify(message));
  }

  get #hasJoined(): boolean {
    return this.#participant !== undefined || this.#ticket !== undefined || this.#left;
  }

  /** Past the join deadline with no seat, no lobby wait and no join being handled: closed. */
  #closeIfUnjoined(): void {
    if (this.#joinDeadlinePassed && !this.#joining && !this.#hasJoined) this.refuse('join_timeout');
  }

  #reply(message: WithoutVersion<ServerMessage>): void {
    this.send({ v: 1, ...message } as ServerMessage);
  }

  #error(
    code: ErrorCode,
    rid: string | undefined,
    message?: string,
    details?: Readonly<Record<string, string>>,
  ): void {
    this.#reply({
      type: 'error',
      code,
      message: message ?? ERROR_CODES[code].message,
      ...(rid ? { rid } : {}),
      ...(details ? { details: { ...details } } : {}),
    });
  }

  replaced(): void {
    this.#participant = undefined;
    this.close(CLOSE_RESUMED_ELSEWHERE, 'session resumed on another connection');
  }

  /** Sends a typed error and closes the socket with the code's close code. */
  refuse(code: ErrorCode): void {
    this.#error(code, undefined);
    this.close(ERROR_CODES[code].ws ?? 1008, code);
  }

  close(code: number, reason: string): void {
    clearTimeout(this.#joinDeadline);
    closeSoon(this.ws, code, reason);
  }

  #onFrame(data: RawData, isBinary: boolean): void {
    // A closing socket (refused, shed, timed out) is served no more.
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (!this.#bucket.take()) {
      this.#error('rate_limited', undefined);
      if (this.#strike()) this.#closeForFlooding('rate_limited');
      return;
    }
    let message: ClientMessage;
    const text = isBinary ? '' : String(data);
    try {
      if (isBinary) throw new ConveneError('bad_message', 'Binary frames are not part of the protocol.');
      message = parseClientMessage(text);
    } catch (err) {
      const e = ConveneError.from(err);
      let rid: string | undefined;
      try {
        rid = readRid(JSON.parse(text));
      } catch {
        rid = undefined;
      }
      this.#error(e.code, rid, e.message);
      // Over 64 KiB (and not an mlsCommit): the same end as a frame over the socket's own limit.
      if (e.code === 'message_too_big') this.close(ERROR_CODES.message_too_big.ws, e.code);
      else if (this.#strike()) this.#closeForFlooding('too many invalid messages');
      return;
    }
    this.#queue = this.#queue
      .then(() => this.#handle(message))
      .catch((err: unknown) => {
        const e = ConveneError.from(err);
        if (e.code === 'internal') this.#log.error({ err, type: message.type }, 'signaling handler failed');
        else this.#log.debug({ code: e.code, cause: e.cause, type: message.type }, 'request refused');
        this.#error(e.code, message.rid, e.message, e.details);
      });
  }

  #closeForFlooding(reason: string): void {
    this.ctx.flooded(this.identity.clientKey);
    this.close(1008, reason);
  }

  /** Counts one refused message; true when the connection has earned its close. */
  #strike(): boolean {
    const now = Date.now();
    const drained = ((now - this.#lastStrikeAt) / 1000) * STRIKES_DRAINED_PER_SECOND;
    this.#lastStrikeAt = now;
    this.#strikes = Math.max(0, this.#strikes - drained) + 1;
    return this.#strikes > MAX_STRIKES;
  }

  async #handle(message: ClientMessage): Promise<void> {
    const { service } = this.ctx;
    const rid = message.rid;
    if (message.type === 'join') {
      if (this.#hasJoined) throw new ConveneError('already_joined');
      this.#joining = true;
      try {
        const outcome = await service.join({
          meetingId: message.meetingId,
          displayName: message.displayName,
          passcode: message.passcode,
          hostKey: message.hostKey,
          resume: message.resume,
          jurisdiction: this.jurisdiction,
          identity: this.identity,
        });
        if (outcome.kind === 'joined') this.#seated(outcome, rid);
        else this.#waitInLobby(outcome, rid);
      } finally {
        this.#joining = false;
        // A refused join after the deadline: its error is queued first, then the socket closes.
        setImmediate(() => this.#closeIfUnjoined());
      }
      return;
    }
    if (message.type === 'leave' && this.#ticket) {
      const waiting = this.#ticket.participant;
      this.#ticket = undefined;
      this.#left = true;
      await service.leave(waiting);
      if (rid) this.#reply({ type: 'ack', rid });
      this.close(1000, 'left');
      return;
    }
    const participant = this.#participant;
    if (!participant || participant.closed) throw new ConveneError('not_joined');
    switch (message.type) {
      case 'publish': {
        const answer = await service.publish(participant, message.jsep, message.tracks);
        this.#reply({
          type: 'publishAnswer',
          jsep: { type: 'answer', sdp: answer.sdp },
          ...(rid ? { rid } : {}),
        });
        return;
      }
      case 'subscribeAnswer':
        await service.answerSubscription(participant, message.jsep);
        break;
      case 'mediaState':
        await service.setMediaState(participant, message);
        break;
      case 'raiseHand':
        service.raiseHand(participant, message.raised);
        break;
      // MLS: the replies (mlsExternalSender, mlsCommitResult) are sent in order with the group's messages.
      case 'mlsKeyPackage':
        return this.ctx.mls.keyPackage(participant, message);
      case 'mlsCommit':
        return this.ctx.mls.commit(participant, message);
      case 'mlsMessage':
        await this.ctx.mls.application(participant, message);
        break;
      case 'mlsRejoin':
        await this.ctx.mls.rejoin(participant, message);
        break;
      case 'leave':
        this.#left = true;
        this.#participant = undefined;
        await service.leave(participant);
        if (rid) this.#reply({ type: 'ack', rid });
        this.close(1000, 'left');
        return;
      default:
        await service.hostControl(participant, message);
        break;
    }
    if (rid) this.#reply({ type: 'ack', rid });
  }

  /** Sends `joined` and binds the seat in one synchronous step (see MeetingService.join). */
  #seated(seated: Seated, rid: string | undefined): void {
    const { participant, joined } = seated;
    if (this.ws.readyState !== this.ws.OPEN) {
      // The socket closed while we were seating it: keep the seat for resume, like any drop.
      participant.attach(this);
      participant.detach(this, this.ctx.resumeWindowMs);
      return;
    }
    this.#participant = participant;
    const message = joined();
    this.send({ ...message, ...(rid ? { rid } : {}) });
    participant.attach(this);
    // After `joined` and on this connection: where the seat stands in the MLS group (docs/e2ee.md).
    if (message.resumed) void this.ctx.mls.resumed(participant);
  }

  /**
   * Waits in the lobby with the seat-to-be bound to this connection, so a denial or a withholding
   * reaches it through the meeting's removal path (`sessionEnded`, then terminate()).
   */
  #waitInLobby(outcome: Extract<JoinOutcome, { kind: 'lobby' }>, rid: string | undefined): void {
    const { ticket } = outcome;
    this.#ticket = ticket;
    this.#reply({ type: 'lobbyWait', meetingTitle: outcome.meetingTitle, ...(rid ? { rid } : {}) });
    outcome.participant.attach(this);
    ticket.once('admitted', () => {
      this.#ticket = undefined;
      outcome.seat().then(
        (seated) => this.#seated(seated, rid),
        (err: unknown) => {
          const e = ConveneError.from(err);
          this.#error(e.code, rid, e.message, e.details);
          this.close(1000, e.code);
        },
      );
    });
    ticket.once('gone', () => {
      this.#ticket = undefined;
    });
  }

  terminate(code: number, reason: string): void {
    this.#left = true;
    this.#participant = undefined;
    // After the current request's reply: the host who ends a meeting still gets its ack first.
    setImmediate(() => this.close(code, reason));
  }

  #onClose(): void {
    clearTimeout(this.#joinDeadline);
    const waiting = this.#ticket?.participant;
    this.#ticket = undefined;
    if (waiting) void this.ctx.service.leave(waiting);
    const participant = this.#participant;
    this.#participant = undefined;
    if (participant && !this.#left) participant.detach(this, this.ctx.resumeWindowMs);
  }
}
