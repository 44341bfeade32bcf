/**
 * The headless client's end-to-end encryption, with the client library's own code: its MlsSession
 * (the MLS member, fed the server's `mls*` messages and roster changes as the browser's E2eeController
 * feeds it) and one SFrame key ring, keyed on every new epoch with the epoch's exporter secret and our
 * leaf index exactly as the browser's SFrame worker is, and read by the worker's per-frame transform
 * (`createFrameTransform`) on every frame sent and received.
 */
import { MlsSession, type EpochInfo, type MlsSend } from '../../../src/client/e2ee/MlsSession.js';
import { createFrameTransform, type FrameTransform } from '../../../src/client/e2ee/frameTransform.js';
import { emptyCounters, type TransformCounters } from '../../../src/client/e2ee/messages.js';
import { randomSenderContext } from '../../../src/client/e2ee/senderContext.js';
import { SFrameKeyRing } from '../../../src/e2ee/sframe/keyRing.js';
import type { JoinedMessage, ParticipantInfo } from '../../../src/protocol/messages.js';
import type { MlsServerMessage } from '../../../src/protocol/mlsMessages.js';
import type { MediaKind } from './types.js';

export interface EncryptionCallbacks {
  send: MlsSend;
  onEpoch(info: EpochInfo): void;
  onFailed(failure: { code: string; message: string }): void;
}

/** What a test can see of a member's encryption (`HeadlessClient.e2ee`). */
export interface E2eeState {
  /** The latest epoch this client holds, undefined before it is a member. */
  readonly epoch: EpochInfo | undefined;
  /** The KID context our key ring encrypts with (random per client, as per browser worker). */
  readonly senderContext: bigint;
  /** Set once the MLS session failed (`mls_removed`, `keys_missing`, `mls_join_failed`). */
  readonly failure: { code: string; message: string } | undefined;
  /** The SFrame transforms' counters by id (`pub-audio`, `pub-video`, `sub-<mid>`), as the worker's. */
  readonly counters: Readonly<Record<string, TransformCounters>>;
  /** The participants announced to this client's MLS session (whose Adds it accepts), ourselves excluded. */
  readonly announced: readonly string[];
}

export class Encryption {
  readonly #cb: EncryptionCallbacks;
  readonly #ring = new SFrameKeyRing({ senderContext: randomSenderContext() });
  readonly #counters: Record<string, TransformCounters> = {};
  #session: MlsSession | undefined;
  #epoch: EpochInfo | undefined;
  #failure: { code: string; message: string } | undefined;
  #announced = new Set<string>();

  constructor(callbacks: EncryptionCallbacks) {
    this.#cb = callbacks;
  }

  get state(): E2eeState {
    return {
      epoch: this.#epoch,
      senderContext: this.#ring.senderContext,
      failure: this.#failure,
      counters: this.#counters,
      announced: [...this.#announced].sort(),
    };
  }

  /** A short diagnostic for error messages: epoch, leaf, failure and transform counters. */
  describe(): string {
    const e = this.#epoch;
    const f = this.#failure;
    const counters = JSON.stringify(this.#counters).slice(0, 400);
    return `, e2ee: epoch ${e?.epoch ?? 'none'} leaf ${e?.leafIndex ?? '-'}${f ? ` failed ${f.code}` : ''} ${counters}`;
  }

  /** Joins the group as a fresh member (the first join, or a new seat after a failed resume). */
  start(joined: JoinedMessage): void {
    this.stop();
    this.#failure = undefined;
    const others = joined.participants.filter((p) => p.id !== joined.self.id);
    this.#announced = new Set(others.map((p) => p.id));
    const session = new MlsSession(identity(joined.self), others.map(identity), (type, payload) =>
      this.#cb.send(type, payload),
    );
    this.#session = session;
    session.on('epoch', (info) => {
      if (this.#session !== session) return;
      // Epochs only grow within a session; a new session starts from a cleared ring.
      if (this.#ring.epoch === undefined || info.epoch > this.#ring.epoch)
        this.#ring.setEpoch(info.epoch, info.secret, info.leafIndex);
      this.#epoch = info;
      this.#cb.onEpoch(info);
    });
    session.on('failed', (failure) => {
      if (this.#session !== session) return;
      this.#failure = failure;
      this.#ring.clear();
      this.#cb.onFailed(failure);
    });
    void session.start();
  }

  handle(message: MlsServerMessage): void {
    void this.#session?.handle(message);
  }

  announce(p: ParticipantInfo): void {
    this.#announced.add(p.id);
    this.#session?.announce(identity(p));
  }

  withdraw(participantId: string): void {
    this.#announced.delete(participantId);
    this.#session?.withdraw(participantId);
  }

  /** After a resumed reconnect: bring the announced roster in line with `joined` (as the browser does). */
  resync(joined: JoinedMessage): void {
    const others = joined.participants.filter((p) => p.id !== joined.self.id);
    const ids = new Set(others.map((p) => p.id));
    for (const id of [...this.#announced]) if (!ids.has(id)) this.withdraw(id);
    for (const p of others) if (!this.#announced.has(p.id)) this.announce(p);
  }

  /** The transform for what we send of `kind` (a sender without a key drops frames, never sends plaintext). */
  sender(kind: MediaKind): FrameTransform {
    return this.#transform('encrypt', kind, `pub-${kind}`);
  }

  /** The transform for one received stream. */
  receiver(kind: MediaKind, id: string): FrameTransform {
    return this.#transform('decrypt', kind, id);
  }

  /** Leaves the group: forgets every key (the ring keeps its CTR, so nonces never repeat). */
  stop(): void {
    this.#session?.close();
    this.#session = undefined;
    this.#epoch = undefined;
    this.#ring.clear();
  }

  #transform(operation: 'encrypt' | 'decrypt', kind: MediaKind, id: string): FrameTransform {
    const counters = (this.#counters[id] ??= emptyCounters());
    return createFrameTransform(() => this.#ring, { operation, kind, id }, counters);
  }
}

function identity(p: ParticipantInfo): { participantId: string; displayName: string } {
  return { participantId: p.id, displayName: p.displayName };
}
