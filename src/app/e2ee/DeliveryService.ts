/**
 * The MLS delivery service of one meeting (RFC 9420 §3, docs/e2ee.md "MLS"): pure logic, no sockets.
 * It is the meeting's one ordering point for handshake messages: the first commit of an epoch wins and
 * every later one for that epoch is refused with `mls_epoch_taken`. It relays Welcome and application
 * messages without keeping them, and it is the group's external sender: when the app admits or removes
 * someone, it signs an Add or Remove proposal that every member sees and the designated committer
 * commits. A member that lost track of the group rejoins it (`rejoin`: its old leaf removed and a
 * fresh KeyPackage added in one batch, docs/e2ee.md "Recovery"). Every method returns the deliveries
 * the transport must send; nothing here does I/O.
 *
 * What it holds, all readable by the server anyway: the group id and epoch, the leaf index of each
 * member (as the committer reported it; members check every Remove against their own tree), the
 * KeyPackages of admitted joiners not yet added (public), the init keys of every KeyPackage admitted
 * (public; so none is used twice), and its own signing key. No group secret,
 * and no commit, Welcome or application message outlives the call that relays it.
 */
import { ConveneError } from '../../errors.js';
import {
  MlsGroupError,
  bytesEqual,
  Serial,
  checkKeyPackage,
  designatedCommitter,
  type CommitSubmission,
  type ExternalSender,
} from '../../e2ee/mls/index.js';
import { isWelcome, readFraming } from './framing.js';

export type DsMessage =
  /** To the first participant: create the group with this id (epoch 0, you at leaf 0). */
  | { readonly type: 'createGroup'; readonly groupId: Uint8Array }
  /** A proposal or commit for `epoch`, to be processed by every member. */
  | { readonly type: 'handshake'; readonly epoch: bigint; readonly bytes: Uint8Array }
  | { readonly type: 'welcome'; readonly epoch: bigint; readonly bytes: Uint8Array }
  | { readonly type: 'application'; readonly bytes: Uint8Array }
  /** To a committer: your commit for `epoch` won; apply it (`MlsMember.confirmCommit`). */
  | { readonly type: 'commitAccepted'; readonly epoch: bigint }
  /** To the designated committer: proposals are pending for `epoch`; commit them. */
  | { readonly type: 'commitRequest'; readonly epoch: bigint };

/** Where a participant stands in the group, as the delivery service sees it (`mlsStatus`). */
export type MemberStatus =
  | { readonly state: 'member'; readonly groupId: Uint8Array; readonly epoch: bigint }
  /** Its Add waits for a commit: the Welcome follows. */
  | { readonly state: 'joining'; readonly groupId: Uint8Array; readonly epoch: bigint }
  /** Not in the group and not joining (or no group yet): it must upload a KeyPackage. */
  | { readonly state: 'none' };

export interface Delivery {
  readonly to: readonly string[];
  readonly message: DsMessage;
}

export type CommitOutcome =
  | { readonly ok: true; readonly epoch: bigint; readonly deliveries: Delivery[] }
  | { readonly ok: false; readonly error: ConveneError };

export interface DeliveryServiceOptions {
  readonly externalSender: ExternalSender;
  /** A fresh group id each time the meeting's group starts (again). */
  readonly newGroupId?: () => Uint8Array;
}

interface Group {
  readonly groupId: Uint8Array;
  epoch: bigint;
  /** participant id -> leaf index, for members of the current epoch. */
  readonly leaves: Map<string, number>;
  /** Admitted, KeyPackage uploaded, not yet added by a commit. */
  readonly joining: Map<string, Uint8Array>;
  /** To be removed by the next commit. */
  readonly leaving: Set<string>;
  /** Designated committers that did not commit in time this epoch. */
  readonly passedOver: Set<string>;
  /**
   * Joiners who left before a commit added them. Their Add is already out, so a commit may still add
   * them: it is accepted, and their new leaf is removed by the next commit.
   */
  readonly withdrawn: Set<string>;
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const handshakeError = (reason: string) => new ConveneError('mls_bad_handshake', reason);
const keyPackageError = (reason: string) => new ConveneError('mls_bad_key_package', reason);
const rejoinRefused = (reason: string) => new ConveneError('mls_rejoin_refused', reason);

function newGroup(groupId: Uint8Array, first: string, joining: Iterable<[string, Uint8Array]>): Group {
  return {
    groupId,
    epoch: 0n,
    leaves: new Map([[first, 0]]),
    joining: new Map(joining),
    leaving: new Set(),
    passedOver: new Set(),
    withdrawn: new Set(),
  };
}

export class DeliveryService {
  readonly #sender: ExternalSender;
  readonly #newGroupId: () => Uint8Array;
  readonly #serial = new Serial();
  /**
   * Init keys of every KeyPackage admitted in this meeting (hex): a KeyPackage is used once (RFC 9420
   * §16.8), so nobody is ever added again with one the group has seen. Bounded by the admissions,
   * which the app limits (seats, and rejoins per participant).
   */
  readonly #usedInitKeys = new Set<string>();
  #group: Group | undefined;

  constructor(options: DeliveryServiceOptions) {
    this.#sender = options.externalSender;
    this.#newGroupId = options.newGroupId ?? (() => globalThis.crypto.getRandomValues(new Uint8Array(16)));
  }

  get epoch(): bigint | undefined {
    return this.#group?.epoch;
  }

  get groupId(): Uint8Array | undefined {
    return this.#group?.groupId;
  }

  /** Members of the current epoch, by participant id, with their leaf index. */
  members(): ReadonlyMap<string, number> {
    return new Map(this.#group?.leaves);
  }

  /** Who should commit the pending proposals now (docs/e2ee.md, committer rule). */
  committer(): string | undefined {
    const g = this.#group;
    if (!g) return undefined;
    const candidates = [...g.leaves]
      .filter(([id]) => !g.leaving.has(id))
      .map(([participantId, leafIndex]) => ({ participantId, leafIndex }));
    return designatedCommitter(candidates, g.passedOver)?.participantId;
  }

  /** True while admitted joiners or removals wait for a commit. */
  get hasPendingChanges(): boolean {
    return !!this.#group && (this.#group.joining.size > 0 || this.#group.leaving.size > 0);
  }

  /**
   * The app admitted `participantId` (announced to the meeting) with this KeyPackage. The first
   * participant creates the group; later ones become an external Add proposal to every member.
   */
  admit(participantId: string, keyPackage: Uint8Array): Promise<Delivery[]> {
    return this.#serial.run(async () => {
      const initKey = await this.#checkKeyPackage(participantId, keyPackage);
      const g = this.#group;
      if (g?.joining.has(participantId)) throw keyPackageError('already joining the group');
      if (g && g.leaves.has(participantId) && !g.leaving.has(participantId))
        throw keyPackageError('already a member of the group');
      this.#usedInitKeys.add(initKey);
      if (!g) return this.#create(participantId);
      g.joining.set(participantId, Uint8Array.from(keyPackage));
      return this.#toMembers(await this.#sender.proposeAdd(g.groupId, g.epoch, keyPackage));
    });
  }

  /**
   * A seated participant lost track of the group (it missed a commit or its Welcome while its
   * connection was down, or could not apply a handshake) and sends a fresh KeyPackage. The server
   * proposes, in one batch every member sees, the Remove of its old leaf and the Add of the new
   * KeyPackage; the designated committer commits both, keys rotate, and the Welcome brings it back.
   * Never with a KeyPackage the group has seen, never while it is being removed, and not while an Add
   * for it is already out (its Welcome is on the way).
   */
  rejoin(participantId: string, keyPackage: Uint8Array): Promise<Delivery[]> {
    return this.#serial.run(async () => {
      const initKey = await this.#checkKeyPackage(participantId, keyPackage);
      const g = this.#group;
      if (g?.joining.has(participantId))
        throw rejoinRefused('an Add for you is waiting for a commit: your Welcome follows it');
      if (g?.leaving.has(participantId)) throw rejoinRefused('you are being removed from the group');
      this.#usedInitKeys.add(initKey);
      if (!g) return this.#create(participantId);
      g.joining.set(participantId, Uint8Array.from(keyPackage));
      const leaf = g.leaves.get(participantId);
      const add = () => this.#sender.proposeAdd(g.groupId, g.epoch, keyPackage);
      if (leaf === undefined) return this.#toMembers(await add());
      g.leaving.add(participantId);
      if (g.leaves.size === g.leaving.size) return this.#restart(g);
      const remove = await this.#sender.proposeRemove(g.groupId, g.epoch, leaf, participantId);
      return [...this.#toMembers(remove), ...this.#toMembers(await add())];
    });
  }

  /** Where `participantId` stands in the group (told to a client that resumed its seat). */
  status(participantId: string): MemberStatus {
    const g = this.#group;
    if (!g) return { state: 'none' };
    if (g.joining.has(participantId) && !g.withdrawn.has(participantId))
      return { state: 'joining', groupId: g.groupId, epoch: g.epoch };
    if (g.leaves.has(participantId) && !g.leaving.has(participantId))
      return { state: 'member', groupId: g.groupId, epoch: g.epoch };
    return { state: 'none' };
  }

  /** The app removed `participantId` (left, removed, withheld, seat expired): an external Remove. */
  remove(participantId: string): Promise<Delivery[]> {
    return this.#serial.run(async () => {
      const g = this.#group;
      if (!g) return [];
      if (g.joining.has(participantId)) {
        g.withdrawn.add(participantId);
        return [];
      }
      const leaf = g.leaves.get(participantId);
      if (leaf === undefined || g.leaving.has(participantId)) return [];
      g.leaving.add(participantId);
      if (g.leaves.size === g.leaving.size) return this.#restart(g);
      return this.#toMembers(await this.#sender.proposeRemove(g.groupId, g.epoch, leaf, participantId));
    });
  }

  /** The app's batching window closed: ask the designated committer to commit, if anything waits. */
  requestCommit(): Promise<Delivery[]> {
    return this.#serial.run(async () => this.#commitRequest());
  }

  /** The designated committer stayed silent past its deadline: hand the job to the next member. */
  passOver(participantId: string): Promise<Delivery[]> {
    return this.#serial.run(async () => {
      this.#group?.passedOver.add(participantId);
      return this.#commitRequest();
    });
  }

  /** A member's commit. The first valid one of an epoch wins; the rest get `mls_epoch_taken`. */
  submitCommit(from: string, submission: CommitSubmission): Promise<CommitOutcome> {
    return this.#serial.run(async () => {
      const g = this.#group;
      const refuse = (error: ConveneError): CommitOutcome => ({ ok: false, error });
      if (!g || !g.leaves.has(from)) return refuse(handshakeError('only a member may commit'));
      if (g.leaving.has(from)) return refuse(handshakeError('a member being removed may not commit'));
      const framing = readFraming(submission.commit);
      if (!framing || framing.contentType !== 'commit') return refuse(handshakeError('not a commit'));
      if (!bytesEqual(framing.groupId, g.groupId)) return refuse(handshakeError('commit for another group'));
      if (framing.epoch < g.epoch)
        return refuse(new ConveneError('mls_epoch_taken', `epoch ${framing.epoch} already has a commit`));
      if (framing.epoch > g.epoch) return refuse(handshakeError(`no epoch ${framing.epoch} yet`));
      const claimError = this.#checkClaims(g, submission);
      if (claimError) return refuse(handshakeError(claimError));

      const recipients = [...g.leaves.keys()].filter((id) => id !== from);
      const added = submission.added.map((a) => a.participantId);
      for (const id of submission.removed) {
        g.leaves.delete(id);
        g.leaving.delete(id);
      }
      for (const { participantId, leafIndex } of submission.added) {
        g.leaves.set(participantId, leafIndex);
        g.joining.delete(participantId);
        // Gone before this commit added them: the new leaf goes again with the next commit.
        if (g.withdrawn.delete(participantId)) g.leaving.add(participantId);
      }
      // Withdrawn joiners this commit did not add are dropped: their Add expired with the epoch.
      for (const id of g.withdrawn) g.joining.delete(id);
      g.withdrawn.clear();
      const epoch = framing.epoch;
      g.epoch = epoch + 1n;
      g.passedOver.clear();
      const deliveries: Delivery[] = [
        { to: [from], message: { type: 'commitAccepted', epoch: g.epoch } },
        // Removed members get the commit too: processing it is how their client learns it is out.
        { to: recipients, message: { type: 'handshake', epoch, bytes: submission.commit } },
      ];
      if (submission.welcome && added.length)
        deliveries.push({
          to: added,
          message: { type: 'welcome', epoch: g.epoch, bytes: submission.welcome },
        });
      // Proposals are valid for one epoch only: what the commit left out is proposed again.
      deliveries.push(...(await this.#reproposeOutstanding(g)));
      return { ok: true, epoch: g.epoch, deliveries };
    });
  }

  /** Relays an application message (chat) of a member to every other member; never stored. */
  relayApplication(from: string, bytes: Uint8Array): Delivery[] {
    const g = this.#group;
    if (!g || !g.leaves.has(from)) throw handshakeError('only a member may send to the group');
    const framing = readFraming(bytes);
    if (!framing || framing.contentType !== 'application' || framing.senderType !== undefined)
      throw handshakeError('not an application PrivateMessage');
    if (!bytesEqual(framing.groupId, g.groupId)) throw handshakeError('message for another group');
    if (framing.epoch > g.epoch) throw handshakeError(`no epoch ${framing.epoch} yet`);
    return [
      { to: [...g.leaves.keys()].filter((id) => id !== from), message: { type: 'application', bytes } },
    ];
  }

  /**
   * Nobody is left to commit: the group ends with its last member. A joiner still waiting creates the
   * next group (with a new id) from its KeyPackage, and the others are proposed into it.
   */
  async #restart(old: Group): Promise<Delivery[]> {
    this.#group = undefined;
    const [first, ...rest] = [...old.joining].filter(([id]) => !old.withdrawn.has(id));
    if (!first) return [];
    return this.#create(first[0], rest);
  }

  /** A new group (epoch 0) with `first` at leaf 0; `joining` are proposed into it. */
  async #create(first: string, joining: Iterable<[string, Uint8Array]> = []): Promise<Delivery[]> {
    const groupId = this.#newGroupId();
    const g = newGroup(groupId, first, joining);
    this.#group = g;
    return [
      { to: [first], message: { type: 'createGroup', groupId } },
      ...(await this.#reproposeOutstanding(g)),
    ];
  }

  /** A KeyPackage of `participantId` the group has never seen; returns its init key (hex). */
  async #checkKeyPackage(participantId: string, keyPackage: Uint8Array): Promise<string> {
    let checked;
    try {
      checked = await checkKeyPackage(keyPackage);
    } catch (err) {
      if (err instanceof MlsGroupError) throw keyPackageError(err.message);
      throw err;
    }
    if (checked.participantId !== participantId)
      throw keyPackageError('the KeyPackage names another participant');
    const initKey = hex(checked.keyPackage.initKey);
    if (this.#usedInitKeys.has(initKey)) throw keyPackageError('this KeyPackage was used before');
    return initKey;
  }

  #checkClaims(g: Group, s: CommitSubmission): string | undefined {
    for (const id of s.removed) if (!g.leaves.has(id)) return `${id} is not a member`;
    if (new Set(s.added.map((a) => a.participantId)).size !== s.added.length) return 'an Add named twice';
    const leavesAfter = new Set([...g.leaves].filter(([id]) => !s.removed.includes(id)).map(([, l]) => l));
    for (const { participantId, leafIndex } of s.added) {
      if (!g.joining.has(participantId)) return `${participantId} was not admitted`;
      if (!Number.isInteger(leafIndex) || leafIndex < 0 || leavesAfter.has(leafIndex))
        return `leaf ${leafIndex} is not free`;
      leavesAfter.add(leafIndex);
    }
    if (s.added.length > 0 && (!s.welcome || !isWelcome(s.welcome))) return 'adds need a Welcome';
    return undefined;
  }

  async #reproposeOutstanding(g: Group): Promise<Delivery[]> {
    const out: Delivery[] = [];
    for (const keyPackage of g.joining.values())
      out.push(...this.#toMembers(await this.#sender.proposeAdd(g.groupId, g.epoch, keyPackage)));
    for (const id of g.leaving) {
      const leaf = g.leaves.get(id);
      if (leaf !== undefined)
        out.push(...this.#toMembers(await this.#sender.proposeRemove(g.groupId, g.epoch, leaf, id)));
    }
    return out;
  }

  #commitRequest(): Delivery[] {
    const g = this.#group;
    const committer = this.committer();
    if (!g || !committer || !this.hasPendingChanges) return [];
    return [{ to: [committer], message: { type: 'commitRequest', epoch: g.epoch } }];
  }

  #toMembers(bytes: Uint8Array): Delivery[] {
    const g = this.#group;
    if (!g) return [];
    return [{ to: [...g.leaves.keys()], message: { type: 'handshake', epoch: g.epoch, bytes } }];
  }
}
