/**
 * One participant's view of the meeting's MLS group (RFC 9420), on ts-mls 1.6.4: create the group or
 * join it from a Welcome, commit (two-phase: the delivery service decides whether our commit wins its
 * epoch), process handshake and application messages, and hand each epoch's SFrame base key, safety
 * code and verified roster to the session. Every state change is serialised: ts-mls returns a new state
 * per operation and the old one must not be used again once its secrets are zeroed.
 */
import {
  createApplicationMessage,
  createCommit,
  createGroup,
  emptyPskIndex,
  joinGroup,
  makePskIndex,
  mlsExporter,
  processMessage,
  zeroOutUint8Array,
  type ClientState,
  type GroupContext,
  type Proposal,
} from 'ts-mls';
import { defaultClientConfig } from 'ts-mls/clientConfig.js';
import type { ClientConfig } from 'ts-mls';
import { CipherSuite, exportEpochBaseKey } from '../sframe/index.js';
import { type CredentialValidator, type ParticipantIdentity } from './credential.js';
import { MlsGroupError } from './errors.js';
import { addsSomeone, allowedProposals, checkIncoming, type ExternalProposal } from './incoming.js';
import type { PreparedJoin } from './prepareJoin.js';
import { diffRoster, leafIdentity, rosterOf, type RosterChange, type RosterMember } from './roster.js';
import { safetyCode } from './safetyCode.js';
import { bytesEqual, cipherSuite, decodeMessage, encodeMessage, externalSendersExtension } from './suite.js';
import { checkKeyPackage } from './externalSender.js';
import { Serial } from './serial.js';
import { ephemeralPairsWanted } from './committer.js';
import { platformEphemeralPool, type EphemeralPool } from './ephemeralPool.js';

/** A commit we made that the delivery service has not accepted yet. */
export interface PendingCommit {
  /** The epoch the commit is for (ours now); it creates epoch + 1. */
  readonly epoch: bigint;
  readonly commit: Uint8Array;
  /** For the members it adds; undefined when it adds nobody. */
  readonly welcome: Uint8Array | undefined;
  readonly change: RosterChange;
}

export type HandshakeResult =
  /** A proposal; `external` when the server proposed it (an Add or Remove of one participant). */
  | { readonly kind: 'proposal'; readonly external?: ExternalProposal }
  | { readonly kind: 'commit'; readonly epoch: bigint; readonly change: RosterChange }
  /** The commit that creates `epoch` removed us. */
  | { readonly kind: 'removed'; readonly epoch: bigint };

export interface CommitOptions {
  /** Participants to remove by value (a member's own Remove proposals in the commit). */
  readonly remove?: readonly string[];
  /** KeyPackages (as uploaded) to add by value. */
  readonly add?: readonly Uint8Array[];
}

function clientConfig(validator: CredentialValidator): ClientConfig {
  return { ...defaultClientConfig, authService: validator.authenticationService() };
}

export class MlsMember {
  #state: ClientState;
  #pending: { commit: PendingCommit; state: ClientState; consumed: Uint8Array[] } | undefined;
  readonly #queue = new Serial();
  readonly #validator: CredentialValidator;
  /** The process's ephemeral-key pool, kept filled while we may commit soon (ephemeralPool.ts). */
  readonly #pool: EphemeralPool | undefined;
  #closed = false;
  readonly identity: ParticipantIdentity;

  private constructor(
    state: ClientState,
    validator: CredentialValidator,
    identity: ParticipantIdentity,
    pool: EphemeralPool | undefined,
  ) {
    this.#state = state;
    this.#validator = validator;
    this.identity = identity;
    this.#pool = pool;
    this.#wantPairs();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Stops the member's background work (filling the ephemeral-key pool for it). Idempotent. */
  close(): void {
    this.#closed = true;
    this.#pool?.release(this);
  }

  /** The first member creates the group, naming the server's key as its only external sender. */
  static async create(
    groupId: Uint8Array,
    join: PreparedJoin,
    validator: CredentialValidator,
  ): Promise<MlsMember> {
    const state = await createGroup(
      groupId,
      join.publicPackage,
      join.privatePackage,
      [externalSendersExtension(validator.serverKey)],
      await cipherSuite(),
      clientConfig(validator),
    );
    return new MlsMember(state, validator, join.identity, await platformEphemeralPool());
  }

  /** Joins from a Welcome (which carries the ratchet tree), checking the group and its external sender. */
  static async join(
    welcomeBytes: Uint8Array,
    join: PreparedJoin,
    validator: CredentialValidator,
    expectedGroupId: Uint8Array,
  ): Promise<MlsMember> {
    const message = decodeMessage(welcomeBytes);
    if (message.wireformat !== 'mls_welcome') throw MlsGroupError.badMessage('not a Welcome');
    let state: ClientState;
    try {
      state = await joinGroup(
        message.welcome,
        join.publicPackage,
        join.privatePackage,
        emptyPskIndex,
        await cipherSuite(),
        undefined,
        undefined,
        clientConfig(validator),
      );
    } catch (err) {
      throw err instanceof MlsGroupError ? err : MlsGroupError.rejected(err);
    }
    if (!bytesEqual(state.groupContext.groupId, expectedGroupId))
      throw MlsGroupError.badMessage('Welcome is for another group');
    const extensions = state.groupContext.extensions;
    const expected = externalSendersExtension(validator.serverKey);
    if (
      extensions.length !== 1 ||
      extensions[0]?.extensionType !== 'external_senders' ||
      !bytesEqual(extensions[0].extensionData, expected.extensionData)
    )
      throw MlsGroupError.wrongExternalSender();
    // Every leaf must be a participant: the roster shows leaves by their participant credential, and a
    // leaf with the server's credential (which the validator lets through as the external sender's)
    // would be a member the roster could not show.
    const leaves = state.ratchetTree.filter((n) => n?.nodeType === 'leaf').length;
    if (rosterOf(state).length !== leaves)
      throw MlsGroupError.badCredential('the group has a leaf that is not a participant');
    return new MlsMember(state, validator, join.identity, await platformEphemeralPool());
  }

  get epoch(): bigint {
    return this.#state.groupContext.epoch;
  }

  get groupId(): Uint8Array {
    return this.#state.groupContext.groupId;
  }

  get leafIndex(): number {
    return this.#state.privatePath.leafIndex;
  }

  get active(): boolean {
    return this.#state.groupActiveState.kind === 'active';
  }

  get hasPendingCommit(): boolean {
    return this.#pending !== undefined;
  }

  /** Proposals received this epoch and not yet committed. */
  get pendingProposalCount(): number {
    return Object.keys(this.#state.unappliedProposals).length;
  }

  /** The group as this member verified it. */
  roster(): RosterMember[] {
    return rosterOf(this.#state);
  }

  /**
   * What this member holds of its current epoch that decides forward secrecy: init_secret (a copy)
   * and the group context. The trap tests play a removed member with it, trying to compute the epoch
   * after its removal; nothing in the app needs it.
   */
  auditSnapshot(): { initSecret: Uint8Array; groupContext: GroupContext } {
    return {
      initSecret: Uint8Array.from(this.#state.keySchedule.initSecret),
      groupContext: this.#state.groupContext,
    };
  }

  /** RFC 9420 §8.7's epoch_authenticator of the current epoch (a copy). */
  epochAuthenticator(): Uint8Array {
    return Uint8Array.from(this.#state.keySchedule.epochAuthenticator);
  }

  safetyCode(): Promise<string> {
    return safetyCode(this.#state.keySchedule.epochAuthenticator);
  }

  /** MLS-Exporter(label, context, length) of the current epoch (RFC 9420 §8.5). */
  async export(label: string, context: Uint8Array, length: number): Promise<Uint8Array> {
    this.#requireActive();
    return mlsExporter(this.#state.keySchedule.exporterSecret, label, context, length, await cipherSuite());
  }

  /** This epoch's SFrame base_key, RFC 9605 §5.2 (label "SFrame 1.0 Base Key", AES_128_GCM_SHA256_128). */
  sframeBaseKey(): Promise<Uint8Array> {
    return exportEpochBaseKey((l, c, n) => this.export(l, c, n), CipherSuite.AES_128_GCM_SHA256_128);
  }

  /**
   * Commits every pending proposal plus `options` (or nothing: an empty commit, which refreshes our
   * path). The new state is held back until `confirmCommit`: the delivery service may give the epoch to
   * another member's commit, and then `discardCommit` keeps us in the epoch to process the winner.
   */
  commit(options: CommitOptions = {}): Promise<PendingCommit> {
    return this.#serial(async () => {
      this.#requireActive();
      if (this.#pending) throw new Error('a commit is already pending; confirm or discard it first');
      const roster = rosterOf(this.#state);
      const extraProposals: Proposal[] = [];
      for (const id of options.remove ?? []) {
        const leaf = roster.find((m) => m.participantId === id);
        if (!leaf) throw MlsGroupError.badMessage(`cannot remove ${id}: not in the group`);
        extraProposals.push({ proposalType: 'remove', remove: { removed: leaf.leafIndex } });
      }
      for (const bytes of options.add ?? []) {
        const checked = await checkKeyPackage(bytes);
        extraProposals.push({ proposalType: 'add', add: { keyPackage: checked.keyPackage } });
      }
      const cs = await cipherSuite();
      let result: Awaited<ReturnType<typeof createCommit>>;
      try {
        result = await createCommit(
          { state: this.#state, cipherSuite: cs, pskIndex: makePskIndex(this.#state, {}) },
          // The ratchet tree travels in the Welcome's GroupInfo (docs/e2ee.md); a commit that adds nobody
          // has no Welcome, and encoding the whole tree for it cost ~8 ms at 500 members.
          { extraProposals, ratchetTreeExtension: addsSomeone(this.#state, extraProposals) },
        );
      } catch (err) {
        throw err instanceof MlsGroupError ? err : MlsGroupError.rejected(err);
      }
      const commit: PendingCommit = {
        epoch: this.#state.groupContext.epoch,
        commit: encodeMessage(result.commit),
        welcome: result.welcome
          ? encodeMessage({ version: 'mls10', wireformat: 'mls_welcome', welcome: result.welcome })
          : undefined,
        change: diffRoster(roster, rosterOf(result.newState)),
      };
      this.#pending = { commit, state: result.newState, consumed: result.consumed };
      return commit;
    });
  }

  /** The delivery service accepted our commit: move to its epoch. */
  confirmCommit(commit: PendingCommit): Promise<void> {
    return this.#serial(async () => {
      if (this.#pending?.commit !== commit) throw new Error('not the pending commit');
      const { state, consumed } = this.#pending;
      this.#pending = undefined;
      this.#adopt(state, consumed);
    });
  }

  /** The delivery service gave the epoch to another commit: forget ours, stay in the epoch. */
  discardCommit(commit: PendingCommit): Promise<void> {
    return this.#serial(async () => {
      if (this.#pending?.commit === commit) this.#pending = undefined;
    });
  }

  /** A proposal or commit relayed by the delivery service (never our own commit: confirm that). */
  processHandshake(bytes: Uint8Array): Promise<HandshakeResult> {
    return this.#serial(async () => {
      this.#requireActive();
      const message = decodeMessage(bytes);
      const info = checkIncoming(message, this.#state, this.#validator);
      if (info.contentType === 'application')
        throw MlsGroupError.badMessage('an application message is not a handshake message');
      if (info.epoch !== this.#state.groupContext.epoch)
        throw MlsGroupError.wrongEpoch(info.epoch, this.#state.groupContext.epoch);
      // Another member's commit won this epoch: our pending one can never be applied.
      if (info.contentType === 'commit') this.#pending = undefined;
      // The roster before is only needed to tell what a commit changed: a proposal leaves the tree as
      // it is, and decoding a roster per proposal costs O(N) each (a join storm brings N proposals).
      const before = info.contentType === 'commit' ? rosterOf(this.#state) : [];
      const result = await this.#process(message);
      if (result.kind !== 'newState') throw MlsGroupError.badMessage('unexpected application data');
      if (result.actionTaken === 'reject')
        throw MlsGroupError.rejected(
          'a proposal Convene does not allow (PSK, ReInit, external init, group context extensions, or an Add of a non-participant)',
        );
      this.#adopt(result.newState, result.consumed);
      if (info.contentType === 'proposal')
        return info.external ? { kind: 'proposal', external: info.external } : { kind: 'proposal' };
      if (result.newState.groupActiveState.kind === 'removedFromGroup')
        return { kind: 'removed', epoch: info.epoch + 1n };
      return {
        kind: 'commit',
        epoch: result.newState.groupContext.epoch,
        change: diffRoster(before, rosterOf(result.newState)),
      };
    });
  }

  /** Encrypts application data (chat) for the group as a PrivateMessage. */
  encryptApplication(data: Uint8Array): Promise<Uint8Array> {
    return this.#serial(async () => {
      this.#requireActive();
      const cs = await cipherSuite();
      const result = await createApplicationMessage(this.#state, data, cs);
      this.#adopt(result.newState, result.consumed);
      return encodeMessage({
        version: 'mls10',
        wireformat: 'mls_private_message',
        privateMessage: result.privateMessage,
      });
    });
  }

  /**
   * Decrypts an application message of this epoch or a retained earlier one. `sender` is the identity
   * in the credential of the leaf that sent it, in the epoch it was sent: ts-mls (patched, see
   * docs/e2ee.md) reports the sender that the message's signature authenticates, so a member cannot
   * pass its message off as another member's.
   */
  decryptApplication(
    bytes: Uint8Array,
  ): Promise<{ data: Uint8Array; senderEpoch: bigint; sender: ParticipantIdentity & { leafIndex: number } }> {
    return this.#serial(async () => {
      this.#requireActive();
      const message = decodeMessage(bytes);
      const info = checkIncoming(message, this.#state, this.#validator);
      if (info.contentType !== 'application') throw MlsGroupError.badMessage('not an application message');
      if (info.epoch > this.#state.groupContext.epoch)
        throw MlsGroupError.wrongEpoch(info.epoch, this.#state.groupContext.epoch);
      const tree =
        info.epoch === this.#state.groupContext.epoch
          ? this.#state.ratchetTree
          : this.#state.historicalReceiverData.get(info.epoch)?.ratchetTree;
      const result = await this.#process(message);
      if (result.kind !== 'applicationMessage') throw MlsGroupError.badMessage('not application data');
      if (result.sender.senderType !== 'member')
        throw MlsGroupError.badMessage('application data from a non-member');
      const identity = tree && leafIdentity(tree, result.sender.leafIndex);
      if (!identity) throw MlsGroupError.badMessage('application data from a leaf without a participant');
      this.#adopt(result.newState, result.consumed);
      return {
        data: result.message,
        senderEpoch: info.epoch,
        sender: { ...identity, leafIndex: result.sender.leafIndex },
      };
    });
  }

  async #process(message: ReturnType<typeof decodeMessage>) {
    if (message.wireformat !== 'mls_private_message' && message.wireformat !== 'mls_public_message')
      throw MlsGroupError.badMessage('not a group message');
    try {
      return await processMessage(
        message,
        this.#state,
        makePskIndex(this.#state, {}),
        allowedProposals,
        await cipherSuite(),
      );
    } catch (err) {
      throw err instanceof MlsGroupError ? err : MlsGroupError.rejected(err);
    }
  }

  #adopt(state: ClientState, consumed: Uint8Array[]): void {
    const before = this.#state;
    this.#state = state;
    for (const secret of consumed) zeroOutUint8Array(secret);
    if (state.ratchetTree !== before.ratchetTree || state.groupActiveState !== before.groupActiveState)
      this.#wantPairs();
  }

  /** Pairs for our commits while we are the committer or next in line; none once closed or removed. */
  #wantPairs(): void {
    if (!this.#pool) return;
    if (this.#closed || !this.active) return this.#pool.release(this);
    const leaves = rosterOf(this.#state).map((m) => m.leafIndex);
    this.#pool.want(this, ephemeralPairsWanted(leaves, this.leafIndex));
  }

  #requireActive(): void {
    if (this.#state.groupActiveState.kind !== 'active') throw MlsGroupError.removed();
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.#queue.run(fn);
  }
}
