/**
 * A meeting wired through the real DeliveryService: clients (MlsMember + their validator) and a
 * router that hands each delivery to its recipients the way the signaling layer will.
 */
import assert from 'node:assert/strict';
import { DeliveryService, type Delivery } from '../../../src/app/e2ee/DeliveryService.js';
import {
  CredentialValidator,
  ExternalSender,
  MlsMember,
  commitSubmission,
  prepareJoin,
  type HandshakeResult,
  type PendingCommit,
  type PreparedJoin,
} from '../../../src/e2ee/mls/index.js';
import { who } from './harness.js';

export interface Client {
  readonly id: string;
  readonly join: PreparedJoin;
  readonly validator: CredentialValidator;
  member?: MlsMember;
  /** What processing each handshake gave, in order. */
  readonly results: HandshakeResult[];
  readonly chat: string[];
  /** Commit requests this client got (it answers them only when `answers` is true). */
  commitRequests: number;
  answers: boolean;
  /** Our commit the DS has not answered yet. */
  pending?: PendingCommit | undefined;
}

export class Meeting {
  readonly clients = new Map<string, Client>();
  /** Clients whose connection is down: what is sent to them is lost. */
  readonly away = new Set<string>();
  readonly ds: DeliveryService;
  readonly server: ExternalSender;

  private constructor(server: ExternalSender) {
    this.server = server;
    this.ds = new DeliveryService({ externalSender: server });
  }

  static async open(): Promise<Meeting> {
    return new Meeting(await ExternalSender.generate());
  }

  member(id: string): MlsMember {
    const m = this.clients.get(id)?.member;
    assert.ok(m, `${id} is a member`);
    return m;
  }

  /** The app admits participants: announced to everyone first, then their KeyPackages go to the DS. */
  async admit(...ids: string[]): Promise<void> {
    const joins = await Promise.all(ids.map((id) => prepareJoin(who(id))));
    for (const j of joins) {
      const id = j.identity.participantId;
      for (const c of this.clients.values()) c.validator.announce(j.identity);
      const announced = [...this.clients.values()].map((c) => c.join.identity).concat(j.identity);
      this.clients.set(id, {
        id,
        join: j,
        validator: new CredentialValidator(this.server.publicKey, announced),
        results: [],
        chat: [],
        commitRequests: 0,
        answers: true,
      });
    }
    for (const j of joins) await this.route(await this.ds.admit(j.identity.participantId, j.keyPackage));
  }

  async remove(id: string): Promise<void> {
    await this.route(await this.ds.remove(id));
  }

  /** `id` lost its group state and rejoins with a fresh KeyPackage (DeliveryService.rejoin). */
  async rejoin(id: string): Promise<void> {
    const c = this.clients.get(id);
    assert.ok(c, `${id} is a client`);
    const join = await prepareJoin(c.join.identity);
    this.clients.set(id, { ...c, join, member: undefined, pending: undefined });
    await this.route(await this.ds.rejoin(id, join.keyPackage));
  }

  /** Hands every delivery to its recipients, and what they answer back to the DS, until quiet. */
  async route(deliveries: readonly Delivery[]): Promise<void> {
    for (const d of deliveries) for (const to of d.to) await this.#deliver(to, d);
  }

  /** A client commits and submits; returns the DS's outcome after routing its deliveries. */
  async commitFrom(id: string, pending?: PendingCommit) {
    const p = pending ?? (await this.member(id).commit());
    this.clients.get(id)!.pending = p;
    return this.submit(id, p);
  }

  /** Submits a commit made earlier; a refused one is discarded (the member stays in its epoch). */
  async submit(id: string, p: PendingCommit) {
    const outcome = await this.ds.submitCommit(id, commitSubmission(p));
    if (outcome.ok) await this.route(outcome.deliveries);
    else await this.member(id).discardCommit(p);
    return outcome;
  }

  async #deliver(to: string, d: Delivery): Promise<void> {
    const c = this.clients.get(to);
    assert.ok(c, `delivery to unknown ${to}`);
    if (this.away.has(to)) return;
    const msg = d.message;
    switch (msg.type) {
      case 'createGroup':
        c.member = await MlsMember.create(msg.groupId, c.join, c.validator);
        return;
      case 'welcome':
        c.member = await MlsMember.join(msg.bytes, c.join, c.validator, this.ds.groupId!);
        return;
      case 'handshake':
        if (c.member) c.results.push(await c.member.processHandshake(msg.bytes));
        return;
      case 'commitAccepted':
        assert.ok(c.pending, `${to} has a pending commit`);
        await c.member!.confirmCommit(c.pending);
        c.pending = undefined;
        return;
      case 'commitRequest':
        c.commitRequests++;
        if (c.answers) await this.commitFrom(to);
        return;
      case 'application': {
        const { data } = await c.member!.decryptApplication(msg.bytes);
        c.chat.push(new TextDecoder().decode(data));
        return;
      }
    }
  }
}

/** A meeting whose group holds a (the creator) and `others`, added in one commit. */
export async function withMembers(...others: string[]): Promise<Meeting> {
  const m = await Meeting.open();
  await m.admit('a');
  await m.admit(...others);
  await m.route(await m.ds.requestCommit());
  return m;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Every member in `ids` is at the DS's epoch with one SFrame key, one safety code and roster `ids`. */
export async function assertAgree(m: Meeting, ids: string[]): Promise<void> {
  const keys = new Set<string>();
  const codes = new Set<string>();
  for (const id of ids) {
    const member = m.member(id);
    keys.add(hex(await member.sframeBaseKey()));
    codes.add(await member.safetyCode());
    assert.equal(member.epoch, m.ds.epoch, `${id} is in the DS's epoch`);
    const roster = member
      .roster()
      .map((r) => r.participantId)
      .sort();
    assert.deepEqual(roster, [...ids].sort(), `${id}'s verified roster`);
  }
  assert.equal(keys.size, 1, 'one SFrame key');
  assert.equal(codes.size, 1, 'one safety code');
}
