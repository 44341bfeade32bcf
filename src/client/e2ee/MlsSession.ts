/**
 * The client's part in the meeting's MLS group (docs/e2ee.md "How a session uses it"): owns one
 * MlsMember, keeps a CredentialValidator in step with the roster the server announces, uploads the
 * KeyPackage, handles every server `mls*` message in arrival order (one at a time), commits when the
 * server names it the committer (two-phase: the new epoch is adopted only once the server accepts),
 * and reports every epoch (SFrame base key, leaf index, safety code, verified roster) and every
 * application message. Transport-agnostic: the owner feeds it server messages and gives it `send`.
 *
 * Recovery (docs/e2ee.md "Recovery"): when it cannot apply a handshake message (it missed a commit:
 * an epoch gap, or a commit whose proposals it never saw), or the server's `mlsStatus` after a resumed
 * seat shows it missed a commit or its Welcome, it drops its group state and rejoins with a fresh
 * KeyPackage (`mlsRejoin`); the server has its old leaf removed and the new one added in one commit.
 * At most MAX_REJOINS within REJOIN_WINDOW_MS; past that it fails with `keys_missing`.
 */
import {
  CredentialValidator,
  MlsGroupError,
  MlsMember,
  type ExternalProposal,
  type MlsGroupErrorCode,
  bytesEqual,
  commitSubmission,
  prepareJoin,
  type ParticipantIdentity,
  type PendingCommit,
  type PreparedJoin,
  type RosterMember,
  peekServerProposal,
} from '../../e2ee/mls/index.js';
import { Serial } from '../../e2ee/mls/serial.js';
import type { ClientPayload } from '../../protocol/messages.js';
import type { MlsServerMessage, MlsStatusMessage } from '../../protocol/mlsMessages.js';
import { TypedEmitter } from '../../util/TypedEmitter.js';

export const toBase64 = (bytes: Uint8Array): string => {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
};
export const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** What the session sends to the server: the client `mls*` messages (docs/protocol.md). */
export type MlsSend = <K extends 'mlsKeyPackage' | 'mlsCommit' | 'mlsMessage' | 'mlsRejoin'>(
  type: K,
  payload: ClientPayload<K>,
) => void;

export interface EpochInfo {
  readonly epoch: bigint;
  /** RFC 9605 §5.2 base key of this epoch (for the SFrame worker). */
  readonly secret: Uint8Array;
  readonly leafIndex: number;
  readonly safetyCode: string;
  readonly roster: readonly RosterMember[];
}

export interface MlsSessionEvents {
  /** We hold a new epoch (created, joined, or a commit applied). */
  epoch: [info: EpochInfo];
  /** The server proposed adding or removing someone (checked; a commit will follow). */
  proposal: [proposal: ExternalProposal];
  /**
   * The server's Add or Remove for someone has arrived, read from its clear framing and not checked
   * yet: it waits behind the messages before it (`proposal` follows once it is processed).
   */
  arriving: [proposal: ExternalProposal];
  /** Another member's application message, decrypted, with the sender MLS authenticated. */
  application: [data: Uint8Array, sender: ParticipantIdentity];
  /** We lost track of the group and asked to rejoin it: no keys until the next `epoch`. */
  rejoining: [why: { reason: string }];
  /** We cannot follow the group any more (`mls_join_failed`, `mls_removed`, `keys_missing`). */
  failed: [failure: { code: string; message: string }];
}

/** Rejoins allowed within REJOIN_WINDOW_MS before the session gives up (`keys_missing`). */
export const MAX_REJOINS = 3;
export const REJOIN_WINDOW_MS = 60_000;
/** A rejoin whose Welcome has not come after this long is tried again (counted as another rejoin). */
export const REJOIN_TIMEOUT_MS = 15_000;
/** Handshake refusals that are protocol violations, not missed messages: no rejoin for these. */
const FORBIDDEN: ReadonlySet<MlsGroupErrorCode> = new Set([
  'mls_bad_credential',
  'mls_bad_external_proposal',
  'mls_wrong_external_sender',
]);

export class MlsSession extends TypedEmitter<MlsSessionEvents> {
  #member: MlsMember | undefined;
  #validator: CredentialValidator | undefined;
  /**
   * Our KeyPackages, newest first: the first join's and each rejoin's. A Welcome may answer an older
   * one (a rejoin crossed a resume), so each is tried; a few at most (MAX_REJOINS + 1).
   */
  #joins: Promise<PreparedJoin>[];
  #pending: PendingCommit | undefined;
  #done = false;
  /** When each recent rejoin was asked for (ms), and the retry of one that got no Welcome. */
  #rejoinedAt: number[] = [];
  #rejoinTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #queue = new Serial();
  readonly #announced = new Map<string, string>();

  constructor(
    readonly self: ParticipantIdentity,
    announced: Iterable<ParticipantIdentity>,
    private readonly send: MlsSend,
  ) {
    super();
    for (const p of announced) this.#announced.set(p.participantId, p.displayName);
    this.#announced.set(self.participantId, self.displayName);
    this.#joins = [prepareJoin(self)];
  }

  get member(): MlsMember | undefined {
    return this.#member;
  }

  /** Generates and uploads our KeyPackage (once, right after `joined`). */
  start(): Promise<void> {
    return this.#run(async () => {
      const join = await this.#latestJoin();
      this.send('mlsKeyPackage', { keyPackage: toBase64(join.keyPackage) });
    });
  }

  /** The server announced a participant (call before handing on later MLS messages). */
  announce(identity: ParticipantIdentity): void {
    void this.#run(async () => {
      this.#announced.set(identity.participantId, identity.displayName);
      this.#validator?.announce(identity);
    });
  }

  withdraw(participantId: string): void {
    void this.#run(async () => {
      this.#announced.delete(participantId);
      this.#validator?.withdraw(participantId);
    });
  }

  /** Encrypts application data for the group and sends it; false when we are not a member yet. */
  async sendApplication(data: Uint8Array): Promise<boolean> {
    return this.#run(async () => {
      const member = this.#member;
      if (!member?.active || this.#done) return false;
      this.send('mlsMessage', { message: toBase64(await member.encryptApplication(data)) });
      return true;
    });
  }

  /** One server message, handled after every earlier one. */
  handle(message: MlsServerMessage): Promise<void> {
    const bytes = message.type === 'mlsHandshake' ? fromBase64(message.message) : undefined;
    const arriving = bytes && !this.#done ? peekServerProposal(bytes) : undefined;
    if (arriving) this.emit('arriving', arriving);
    return this.#run(() => this.#handle(message, bytes));
  }

  close(): void {
    this.#done = true;
    clearTimeout(this.#rejoinTimer);
    this.#member?.close();
  }

  #run<T>(fn: () => Promise<T>): Promise<T> {
    return this.#queue.run(fn);
  }

  async #handle(m: MlsServerMessage, handshake?: Uint8Array): Promise<void> {
    if (this.#done) return;
    switch (m.type) {
      case 'mlsExternalSender':
        this.#validator = new CredentialValidator(
          fromBase64(m.publicKey),
          [...this.#announced].map(([participantId, displayName]) => ({ participantId, displayName })),
        );
        return;
      case 'mlsCreateGroup':
        return this.#becomeMember(async (v) =>
          MlsMember.create(fromBase64(m.groupId), await this.#latestJoin(), v),
        );
      case 'mlsWelcome':
        return this.#becomeMember((v) =>
          this.#joinFromWelcome(fromBase64(m.welcome), v, fromBase64(m.groupId)),
        );
      case 'mlsStatus':
        return this.#status(m);
      case 'mlsHandshake':
        return this.#handshake(handshake ?? fromBase64(m.message));
      case 'mlsCommitRequest':
        return this.#commit(BigInt(m.epoch));
      case 'mlsCommitResult': {
        const pending = this.#pending;
        const member = this.#member;
        this.#pending = undefined;
        if (!pending || !member) return;
        if (!m.accepted) return member.discardCommit(pending);
        await member.confirmCommit(pending);
        return this.#emitEpoch();
      }
      case 'mlsMessage': {
        const member = this.#member;
        if (!member?.active) return;
        try {
          const { data, sender } = await member.decryptApplication(fromBase64(m.message));
          this.emit('application', data, {
            participantId: sender.participantId,
            displayName: sender.displayName,
          });
        } catch {
          // Not for us to read (an epoch we never had, or tampered): dropped.
        }
        return;
      }
    }
  }

  async #becomeMember(make: (validator: CredentialValidator) => Promise<MlsMember>): Promise<void> {
    if (this.#member?.active) return;
    const validator = this.#validator;
    try {
      if (!validator) throw new Error('no external-sender key from the server');
      this.#member = await make(validator);
    } catch (err) {
      // A rejoin's Welcome we cannot use is one more reason to rejoin (bounded); a first join fails.
      if (this.#rejoinedAt.length > 0) return this.#rejoin(`the Welcome could not be used: ${describe(err)}`);
      this.#fail('mls_join_failed', `Could not join the encrypted meeting: ${describe(err)}`);
      return;
    }
    clearTimeout(this.#rejoinTimer);
    await this.#emitEpoch();
  }

  async #latestJoin(): Promise<PreparedJoin> {
    const [latest] = this.#joins;
    if (!latest) throw new Error('no KeyPackage');
    return latest;
  }

  /** Joins from a Welcome with whichever of our KeyPackages it answers (newest first). */
  async #joinFromWelcome(
    welcome: Uint8Array,
    v: CredentialValidator,
    groupId: Uint8Array,
  ): Promise<MlsMember> {
    let firstError: unknown;
    for (const join of this.#joins) {
      try {
        return await MlsMember.join(welcome, await join, v, groupId);
      } catch (err) {
        firstError ??= err;
      }
    }
    throw firstError;
  }

  /**
   * After a resumed seat: in step when we are a member of the server's group at its epoch, or our Add
   * waits for a commit; anything else means we missed a commit or our Welcome while away.
   */
  async #status(m: MlsStatusMessage): Promise<void> {
    if (m.state === 'joining') return;
    const member = this.#member;
    if (
      m.state === 'member' &&
      member?.active &&
      member.epoch === BigInt(m.epoch) &&
      bytesEqual(member.groupId, fromBase64(m.groupId))
    )
      return;
    await this.#rejoin(
      m.state === 'member'
        ? `the group moved to epoch ${m.epoch} while we were away`
        : 'the group does not hold us (our KeyPackage or Welcome was lost)',
    );
  }

  /** Drops our group state and asks to rejoin with a fresh KeyPackage (bounded, see MAX_REJOINS). */
  async #rejoin(reason: string): Promise<void> {
    if (this.#done) return;
    const now = Date.now();
    this.#rejoinedAt = this.#rejoinedAt.filter((t) => now - t < REJOIN_WINDOW_MS);
    if (this.#rejoinedAt.length >= MAX_REJOINS) {
      this.#fail('keys_missing', `The encrypted group could not be followed (${reason}).`);
      return;
    }
    this.#rejoinedAt.push(now);
    this.#member?.close();
    this.#member = undefined;
    this.#pending = undefined;
    const join = prepareJoin(this.self);
    this.#joins = [join, ...this.#joins].slice(0, MAX_REJOINS + 1);
    this.emit('rejoining', { reason });
    this.send('mlsRejoin', { keyPackage: toBase64((await join).keyPackage) });
    clearTimeout(this.#rejoinTimer);
    this.#rejoinTimer = setTimeout(() => {
      void this.#run(async () => {
        if (!this.#member) await this.#rejoin('no Welcome arrived');
      });
    }, REJOIN_TIMEOUT_MS);
  }

  async #handshake(bytes: Uint8Array): Promise<void> {
    const member = this.#member;
    if (!member?.active) return; // not a member yet (a Welcome follows) or removed already
    try {
      const result = await member.processHandshake(bytes);
      if (result.kind === 'commit') {
        this.#pending = undefined;
        await this.#emitEpoch();
      } else if (result.kind === 'proposal') {
        if (result.external) this.emit('proposal', result.external);
      } else if (result.kind === 'removed') {
        this.#fail('mls_removed', 'You were removed from the encrypted group: you receive no more keys.');
      }
    } catch (err) {
      // A message of an epoch we already left is stale (nothing lost); anything else is a gap we
      // cannot close from here: a commit we missed, or one built on proposals we never saw.
      if (err instanceof MlsGroupError && err.epochs && err.epochs.got < err.epochs.current) return;
      // A proposal the protocol forbids (an Add of someone the server did not announce, a proposal
      // the server may not make) is not a gap: it is shown as a failure, not papered over by a rejoin.
      if (err instanceof MlsGroupError && FORBIDDEN.has(err.code)) {
        this.#fail('keys_missing', `A change of the encrypted group was refused: ${describe(err)}`);
        return;
      }
      await this.#rejoin(`a change of the group could not be applied: ${describe(err)}`);
    }
  }

  async #commit(epoch: bigint): Promise<void> {
    const member = this.#member;
    if (!member?.active || member.epoch !== epoch || this.#pending) return;
    try {
      const pending = await member.commit();
      this.#pending = pending;
      const s = commitSubmission(pending);
      this.send('mlsCommit', {
        commit: toBase64(s.commit),
        ...(s.welcome ? { welcome: toBase64(s.welcome) } : {}),
        added: [...s.added],
        removed: [...s.removed],
      });
    } catch {
      // E.g. a proposal we refused: another member is asked after the deadline.
    }
  }

  async #emitEpoch(): Promise<void> {
    const member = this.#member;
    if (!member?.active) return;
    this.emit('epoch', {
      epoch: member.epoch,
      secret: await member.sframeBaseKey(),
      leafIndex: member.leafIndex,
      safetyCode: await member.safetyCode(),
      roster: member.roster(),
    });
  }

  #fail(code: string, message: string): void {
    if (this.#done) return;
    this.#done = true;
    this.#member?.close();
    this.emit('failed', { code, message });
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
