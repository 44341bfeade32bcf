/**
 * A headless MLS participant over the real signaling WebSocket (no media): joins a meeting, keeps a
 * CredentialValidator in step with the announced roster, uploads its KeyPackage, and drives an
 * MlsMember from the server's MLS messages the way a client session will (docs/e2ee.md, "How a
 * session uses it"). It answers commit requests unless told not to, and records what it saw.
 */
import { WebSocket } from 'ws';
import {
  CredentialValidator,
  MlsMember,
  commitSubmission,
  prepareJoin,
  type HandshakeResult,
  type PendingCommit,
  type PreparedJoin,
} from '../../src/e2ee/mls/index.js';
import type { ClientMessage, ServerMessage } from '../../src/protocol/messages.js';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
type CommitResult = Extract<ServerMessage, { type: 'mlsCommitResult' }>;

export interface MlsClientOptions {
  url: string;
  meetingId: string;
  displayName: string;
  cookie?: string;
  forwardedFor?: string;
  hostKey?: string;
  /** Upload the KeyPackage right after `joined` (default true). */
  uploadKeyPackage?: boolean;
}

export class MlsClient {
  readonly messages: ServerMessage[] = [];
  readonly results: HandshakeResult[] = [];
  readonly chat: string[] = [];
  /** Errors of processing server messages (a test asserts there are none, or the expected ones). */
  readonly failures: unknown[] = [];
  member: MlsMember | undefined;
  validator: CredentialValidator | undefined;
  /** Answer `mlsCommitRequest` by committing (turn off to play a silent committer). */
  answersCommitRequests = true;
  id = '';
  #join!: PreparedJoin;
  #serverKey: Uint8Array | undefined;
  #rid = 0;
  #queue: Promise<void> = Promise.resolve();
  readonly #waiters = new Map<string, (m: ServerMessage) => void>();
  readonly #pending = new Map<string, PendingCommit>();
  #closed = false;
  /** The epoch of the commit request we are answering (one commit per epoch). */
  #committing: number | undefined;

  private constructor(
    readonly ws: WebSocket,
    readonly opts: MlsClientOptions,
  ) {
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as ServerMessage;
      this.messages.push(m);
      // Every message is handled in arrival order, one at a time, as a client session must.
      this.#queue = this.#queue
        .then(() => this.#handle(m))
        .catch((err: unknown) => {
          this.failures.push(err);
        });
    });
    ws.on('close', () => (this.#closed = true));
  }

  static async join(opts: MlsClientOptions): Promise<MlsClient> {
    const ws = new WebSocket(`${opts.url.replace(/^http/, 'ws')}/ws`, {
      headers: {
        ...(opts.cookie ? { Cookie: opts.cookie } : {}),
        ...(opts.forwardedFor ? { 'X-Forwarded-For': opts.forwardedFor } : {}),
      },
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const client = new MlsClient(ws, opts);
    const joined = await client.request({
      v: 1,
      type: 'join',
      meetingId: opts.meetingId,
      displayName: opts.displayName,
      ...(opts.hostKey ? { hostKey: opts.hostKey } : {}),
    });
    if (joined.type !== 'joined') throw new Error(`join failed: ${JSON.stringify(joined)}`);
    if (opts.uploadKeyPackage ?? true) await client.uploadKeyPackage();
    return client;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get serverKey(): Uint8Array | undefined {
    return this.#serverKey;
  }

  async uploadKeyPackage(keyPackage?: Uint8Array): Promise<ServerMessage> {
    return this.request({
      v: 1,
      type: 'mlsKeyPackage',
      keyPackage: b64(keyPackage ?? this.#join.keyPackage),
    });
  }

  /** Sends a message with a fresh rid; resolves with the reply carrying it (a result, an ack or an error). */
  request(message: ClientMessage, pending?: PendingCommit): Promise<ServerMessage> {
    const rid = `r${++this.#rid}`;
    if (pending) this.#pending.set(rid, pending);
    return new Promise((resolve) => {
      this.#waiters.set(rid, resolve);
      this.ws.send(JSON.stringify({ ...message, rid }));
    });
  }

  /** Commits what is pending (or an empty commit) and submits it; confirms or discards on the answer. */
  async commitNow(pending?: PendingCommit): Promise<CommitResult> {
    const member = this.#requireMember();
    const p = pending ?? (await member.commit());
    const s = commitSubmission(p);
    const reply = (await this.request(
      {
        v: 1,
        type: 'mlsCommit',
        commit: b64(s.commit),
        ...(s.welcome ? { welcome: b64(s.welcome) } : {}),
        added: [...s.added],
        removed: [...s.removed],
      },
      p,
    )) as CommitResult;
    // The result is applied in the message queue (#handle), in order with what follows it.
    await this.#queue;
    return reply;
  }

  async sendChat(text: string): Promise<ServerMessage> {
    const message = await this.#requireMember().encryptApplication(new TextEncoder().encode(text));
    return this.request({ v: 1, type: 'mlsMessage', message: b64(message) });
  }

  async waitFor(predicate: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > until) throw new Error(`${this.opts.displayName}: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await this.#queue;
  }

  close(): void {
    this.ws.close();
  }

  /**
   * Waits until every client is a member of the same epoch holding exactly these participants, with no
   * commit of its own outstanding; throws if any of them failed to process a message.
   */
  static async converged(group: readonly MlsClient[], timeoutMs = 20_000): Promise<void> {
    const ids = JSON.stringify(group.map((c) => c.id).sort());
    const agree = () =>
      new Set(group.map((c) => c.member?.epoch)).size === 1 &&
      group.every(
        (c) =>
          c.member !== undefined &&
          !c.member.hasPendingCommit &&
          JSON.stringify(
            c.member
              .roster()
              .map((m) => m.participantId)
              .sort(),
          ) === ids,
      );
    for (const c of group) await c.waitFor(agree, timeoutMs, 'the group to converge');
    for (const c of group) {
      if (c.failures.length > 0) throw new Error(`${c.opts.displayName} failed: ${String(c.failures[0])}`);
    }
  }

  #requireMember(): MlsMember {
    if (!this.member) throw new Error(`${this.opts.displayName} is not a member`);
    return this.member;
  }

  async #handle(m: ServerMessage): Promise<void> {
    switch (m.type) {
      case 'joined': {
        this.id = m.self.id;
        this.#join = await prepareJoin({ participantId: m.self.id, displayName: m.self.displayName });
        this.#announced = [m.self, ...m.participants].map((p) => ({
          participantId: p.id,
          displayName: p.displayName,
        }));
        break;
      }
      case 'participantJoined':
        this.#announce({ participantId: m.participant.id, displayName: m.participant.displayName });
        break;
      case 'participantsLeft':
        for (const id of m.participantIds) this.validator?.withdraw(id);
        break;
      case 'mlsExternalSender':
        this.#serverKey = bytes(m.publicKey);
        this.validator = new CredentialValidator(this.#serverKey, this.#announced);
        break;
      case 'mlsCreateGroup':
        this.member = await MlsMember.create(bytes(m.groupId), this.#join, this.#requireValidator());
        break;
      case 'mlsWelcome':
        this.member = await MlsMember.join(
          bytes(m.welcome),
          this.#join,
          this.#requireValidator(),
          bytes(m.groupId),
        );
        break;
      case 'mlsHandshake':
        this.results.push(await this.#requireMember().processHandshake(bytes(m.message)));
        break;
      case 'mlsCommitRequest':
        // A second request for the epoch (more proposals came) while our commit is out: it stands.
        if (
          this.answersCommitRequests &&
          this.member?.epoch === BigInt(m.epoch) &&
          this.#committing !== m.epoch
        ) {
          this.#committing = m.epoch;
          void this.commitNow().catch((err: unknown) => this.failures.push(err));
        }
        break;
      case 'mlsCommitResult': {
        const p = m.rid ? this.#pending.get(m.rid) : undefined;
        if (p && m.rid) {
          this.#pending.delete(m.rid);
          if (m.accepted) await this.#requireMember().confirmCommit(p);
          else {
            await this.#requireMember().discardCommit(p);
            this.#committing = undefined;
          }
        }
        break;
      }
      case 'mlsMessage': {
        const { data } = await this.#requireMember().decryptApplication(bytes(m.message));
        this.chat.push(new TextDecoder().decode(data));
        break;
      }
      default:
        break;
    }
    const rid = 'rid' in m ? m.rid : undefined;
    if (rid) {
      this.#waiters.get(rid)?.(m);
      this.#waiters.delete(rid);
    }
  }

  #announced: { participantId: string; displayName: string }[] = [];

  #announce(p: { participantId: string; displayName: string }): void {
    this.#announced.push(p);
    this.validator?.announce(p);
  }

  #requireValidator(): CredentialValidator {
    if (!this.validator) throw new Error('no external-sender key yet');
    return this.validator;
  }
}
