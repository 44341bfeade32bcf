/**
 * End-to-end encryption of one meeting session (docs/e2ee.md "The browser client"): the MLS session,
 * the one SFrame worker every sender and receiver transform runs in, chat over MLS application
 * messages, and the `E2eeView` the UI renders. MeetingSession owns it and feeds it the server's
 * roster and `mls*` messages; Publisher and Subscriber hand it every sender and receiver before media
 * flows (`attach`). Media never goes out in the clear: without RTCRtpScriptTransform the view is
 * `failed` (`e2ee_unsupported`) and MeetingSession does not publish.
 */
import type { ParticipantInfo } from '../../protocol/messages.js';
import type { ChatMessage } from '../types.js';
import type { MlsServerMessage } from '../../protocol/mlsMessages.js';
import type { ExternalProposal, ParticipantIdentity } from '../../e2ee/mls/index.js';
import { attachSFrameTransform, clearKeys, e2eeSupported, setEpochKey } from './attachTransform.js';
import { acceptChat, encodeChat } from './chatPayload.js';
import type { FromWorker, TransformCounters } from './messages.js';
import { MlsSession, type EpochInfo, type MlsSend } from './MlsSession.js';
import {
  compareRoster,
  type AnnouncedParticipant,
  type ProposedChange,
  type RosterTimings,
} from './rosterView.js';
import { initialE2eeView, type E2eeFailure, type E2eeView } from './view.js';

export interface E2eeHost {
  setView(view: E2eeView): void;
  /** A chat message another member sent, decrypted and checked against its MLS credential. */
  chat(message: ChatMessage): void;
  send: MlsSend;
}

export interface E2eeOptions {
  /** Creates the SFrame worker (default: the bundled `sframeWorker.ts`). */
  createWorker?: () => Worker;
  /** How long the roster and the group may disagree before it is a warning (default `ROSTER_TIMINGS`). */
  rosterTimings?: RosterTimings;
}

/** Totals of the worker's counters over every transform (for diagnostics and tests). */
export interface SFrameTotals {
  framesEncrypted: number;
  framesDecrypted: number;
  dropped: number;
}

function defaultWorker(): Worker {
  return new Worker(new URL('./sframeWorker.ts', import.meta.url), { type: 'module', name: 'sframe' });
}

export class E2eeController {
  #session: MlsSession | null = null;
  #worker: Worker | null = null;
  #selfId = '';
  #epoch: EpochInfo | null = null;
  #failure: E2eeFailure | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #counters: Record<string, TransformCounters> = {};
  #keyedEpoch = -1n;
  /** When this session first held an epoch (it sees the server's proposals only from then on). */
  #memberSince: number | null = null;
  readonly #announced = new Map<string, AnnouncedParticipant>();
  /** The server's Adds that arrived and Removes this session processed, that no commit has applied yet. */
  readonly #proposed = new Map<string, ProposedChange>();
  readonly #attached = new WeakSet<RTCRtpSender | RTCRtpReceiver>();

  constructor(
    private readonly host: E2eeHost,
    private readonly options: E2eeOptions = {},
  ) {}

  /** Whether this browser can encrypt media (RTCRtpScriptTransform). */
  get supported(): boolean {
    return e2eeSupported();
  }

  /** The member may send and receive media: keys can be installed (not failed). */
  get usable(): boolean {
    return this.supported && this.#failure === null;
  }

  /** Joins the MLS group as `self` (a fresh group membership: first join or a reset session). */
  start(self: ParticipantInfo, others: readonly ParticipantInfo[]): void {
    this.stop();
    this.#failure = null;
    this.#selfId = self.id;
    const now = Date.now();
    for (const p of [self, ...others]) this.#announce(p, now);
    if (!this.supported) {
      this.#failure = {
        code: 'e2ee_unsupported',
        message: 'This browser cannot encrypt media end to end (no RTCRtpScriptTransform).',
      };
      this.#publish();
      return;
    }
    this.#ensureWorker();
    const session = new MlsSession(
      { participantId: self.id, displayName: self.displayName },
      others.map((p) => ({ participantId: p.id, displayName: p.displayName })),
      (type, payload) => this.host.send(type, payload),
    );
    this.#session = session;
    session.on('epoch', (info) => this.#onEpoch(session, info));
    const proposed = ({ type, participantId }: ExternalProposal) => {
      if (this.#session !== session || this.#proposed.get(participantId) === type) return;
      this.#proposed.set(participantId, type);
      this.#publish();
    };
    session.on('proposal', proposed);
    // An Add counts from its arrival, even while it waits behind a storm of earlier messages: a normal
    // join is then not a warning on a busy client. A Remove counts only once processed (checked), so a
    // member the server says left is flagged unless a real Remove for it is in the group's hands.
    session.on('arriving', (proposal) => {
      if (proposal.type === 'add') proposed(proposal);
    });
    session.on('application', (data, sender) => this.#onApplication(data, sender));
    // Rejoining the group (docs/e2ee.md "Recovery"): the old keys go, the view waits for the new epoch.
    session.on('rejoining', () => {
      if (this.#session !== session) return;
      this.#epoch = null;
      this.#clearWorkerKeys();
      this.#publish();
    });
    session.on('failed', (failure) => {
      if (this.#session !== session) return;
      this.#failure = failure;
      this.#clearWorkerKeys();
      this.#publish();
    });
    void session.start();
    this.#publish();
  }

  handle(message: MlsServerMessage): void {
    void this.#session?.handle(message);
  }

  announce(participant: ParticipantInfo): void {
    this.#announce(participant, Date.now());
    if (this.#proposed.get(participant.id) === 'remove') this.#proposed.delete(participant.id);
    this.#session?.announce({ participantId: participant.id, displayName: participant.displayName });
    this.#publish();
  }

  withdraw(participantId: string): void {
    const known = this.#announced.get(participantId);
    if (known && known.leftAt === null) this.#announced.set(participantId, { ...known, leftAt: Date.now() });
    if (this.#proposed.get(participantId) === 'add') this.#proposed.delete(participantId);
    this.#session?.withdraw(participantId);
    this.#publish();
  }

  /** After a resumed reconnect: the server's roster as `joined` gave it (the others). */
  resync(others: readonly ParticipantInfo[]): void {
    const ids = new Set(others.map((p) => p.id));
    for (const [id, p] of this.#announced)
      if (id !== this.#selfId && p.leftAt === null && !ids.has(id)) this.withdraw(id);
    for (const p of others) if (this.#announced.get(p.id)?.leftAt !== null) this.announce(p);
  }

  /** Encrypts what `target` sends or decrypts what it receives; call before media flows. */
  attach(target: RTCRtpSender | RTCRtpReceiver, kind: 'audio' | 'video', id: string): void {
    if (!this.supported || this.#attached.has(target)) return;
    this.#attached.add(target);
    attachSFrameTransform(target, this.#ensureWorker(), { kind, id });
  }

  /** Sends chat to the group as an MLS application message; resolves with the entry, or null if not sent. */
  async sendChat(text: string, self: { id: string; displayName: string }): Promise<ChatMessage | null> {
    const session = this.#session;
    if (!session || !this.#epoch) return null;
    const message: ChatMessage = {
      id: randomId(),
      from: self.id,
      displayName: self.displayName,
      text,
      sentAt: Date.now(),
    };
    const sent = await session.sendApplication(encodeChat(message));
    return sent ? message : null;
  }

  /** The worker's counters, summed over every transform (the latest report). */
  totals(): SFrameTotals {
    const totals = { framesEncrypted: 0, framesDecrypted: 0, dropped: 0 };
    for (const c of Object.values(this.#counters)) {
      totals.framesEncrypted += c.framesEncrypted;
      totals.framesDecrypted += c.framesDecrypted;
      const d = c.framesDropped;
      totals.dropped += d.noKey + d.authFailed + d.malformed + d.tooShort;
    }
    return totals;
  }

  /** Leaves the group: forgets every key (the worker stays for the next start; `close` ends it). */
  stop(): void {
    this.#session?.close();
    this.#session = null;
    this.#epoch = null;
    this.#keyedEpoch = -1n;
    this.#memberSince = null;
    this.#announced.clear();
    this.#proposed.clear();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#clearWorkerKeys();
  }

  /** The session is over: keys forgotten, worker ended, view `off` (the last counters are kept). */
  close(): void {
    this.stop();
    this.#worker?.terminate();
    this.#worker = null;
    this.#failure = null;
    this.host.setView(initialE2eeView());
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = (this.options.createWorker ?? defaultWorker)();
    worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
      if (event.data.type === 'counters') this.#counters = event.data.counters;
    });
    this.#worker = worker;
    return worker;
  }

  #clearWorkerKeys(): void {
    if (this.#worker) clearKeys(this.#worker);
    this.#keyedEpoch = -1n;
  }

  #announce(p: ParticipantInfo, now: number): void {
    const known = this.#announced.get(p.id);
    this.#announced.set(p.id, {
      displayName: p.displayName,
      signedIn: p.signedIn,
      since: known && known.leftAt === null ? known.since : now,
      leftAt: null,
    });
  }

  #onEpoch(session: MlsSession, info: EpochInfo): void {
    if (this.#session !== session) return;
    this.#epoch = info;
    this.#memberSince ??= Date.now();
    if (this.#worker && info.epoch > this.#keyedEpoch) {
      setEpochKey(this.#worker, { epoch: info.epoch, secret: info.secret, senderIndex: info.leafIndex });
      this.#keyedEpoch = info.epoch;
    }
    // Participants who left and are out of the group need no more tracking.
    const inGroup = new Set(info.roster.map((m) => m.participantId));
    for (const [id, p] of this.#announced)
      if (p.leftAt !== null && !inGroup.has(id)) this.#announced.delete(id);
    // A proposal stays pending until a commit applies it (the server proposes again what one leaves out).
    for (const [id, change] of this.#proposed)
      if (inGroup.has(id) === (change === 'add')) this.#proposed.delete(id);
    this.#publish();
  }

  #onApplication(data: Uint8Array, sender: ParticipantIdentity): void {
    const message = acceptChat(data, sender, this.#selfId);
    if (message) this.host.chat(message);
  }

  #publish(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const epoch = this.#epoch;
    const now = Date.now();
    const roster = epoch
      ? compareRoster({
          group: epoch.roster,
          announced: this.#announced,
          selfId: this.#selfId,
          proposed: this.#proposed,
          memberSince: this.#memberSince ?? now,
          now,
          ...(this.options.rosterTimings ? { timings: this.options.rosterTimings } : {}),
        })
      : { members: [], unannounced: [], missing: [], nextCheck: null };
    const status = this.#failure
      ? 'failed'
      : !this.#session
        ? 'off'
        : !epoch
          ? 'waiting'
          : roster.unannounced.length > 0 || roster.missing.length > 0
            ? 'warning'
            : 'encrypted';
    this.host.setView({
      status,
      epoch: epoch ? Number(epoch.epoch) : null,
      safetyCode: epoch?.safetyCode ?? null,
      members: roster.members,
      unannounced: roster.unannounced,
      missing: roster.missing,
      failure: this.#failure,
    });
    const next = roster.nextCheck;
    if (next !== null && !this.#failure)
      this.#timer = setTimeout(() => this.#publish(), Math.max(0, next - now) + 10);
  }
}

function randomId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(9));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
