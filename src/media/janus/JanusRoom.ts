/**
 * A Janus videoroom behind the MediaRoom interface. The room has a secret only Convene knows and an
 * `allowed` token list, so a participant Convene removes cannot stay or come back by itself. A monitor
 * handle (a silent participant owned by Convene) hears which feeds are live and which streams they
 * carry; participants' subscriptions follow that.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { TypedEmitter } from '../../util/TypedEmitter.js';
import type { MediaRoom, MediaRoomEvents } from '../types.js';
import type { JanusHandle, PluginData } from './JanusConnection.js';
import { VIDEOROOM, type JanusNode, type NodeRoom } from './JanusNode.js';
import { JanusParticipant } from './JanusParticipant.js';

export interface FeedStream {
  type: 'audio' | 'video' | 'data';
  mid: string;
  disabled: boolean;
  description: string | undefined;
}

const randomId = (): number => randomInt(1, 2 ** 48);
const token = (): string => randomBytes(18).toString('base64url');

export class JanusRoom extends TypedEmitter<MediaRoomEvents> implements MediaRoom, NodeRoom {
  readonly id: string;
  readonly roomId = randomId();
  readonly secret = token();
  readonly #monitorToken = token();
  readonly #participants = new Map<string, JanusParticipant>();
  /** Live feeds by feed id, as last announced by Janus. */
  readonly feeds = new Map<number, FeedStream[]>();
  #monitor: JanusHandle | undefined;
  #monitorPrivateId: number | undefined;
  #closed = false;

  constructor(
    readonly node: JanusNode,
    private readonly maxPublishers: number,
    readonly log: Logger,
    /** Publishers send end-to-end encrypted frames (Janus `require_e2ee`). */
    readonly requireE2ee = false,
  ) {
    super();
    this.id = String(this.roomId);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Creates the room in Janus (also used to re-create it after a restart). */
  async create(): Promise<void> {
    await this.node.control.request({
      request: 'create',
      room: this.roomId,
      admin_key: this.node.adminKey,
      secret: this.secret,
      is_private: true,
      permanent: false,
      publishers: this.maxPublishers,
      require_pvtid: true,
      notify_joining: false,
      allowed: [
        this.#monitorToken,
        ...[...this.#participants.values()].filter((p) => p.tokenAllowed).map((p) => p.token),
      ],
      audiocodec: 'opus',
      videocodec: 'vp8',
      bitrate: 1_500_000,
      fir_freq: 10,
      ...(this.requireE2ee ? { require_e2ee: true } : {}),
    });
    const monitor = await this.node.session.attach(VIDEOROOM);
    let kept = false;
    try {
      monitor.on('event', (data) => this.#onMonitorEvent(data));
      const { data } = await monitor.message({
        request: 'join',
        ptype: 'publisher',
        room: this.roomId,
        display: 'convene-monitor',
        token: this.#monitorToken,
      });
      this.#monitor = monitor;
      this.#monitorPrivateId = typeof data.private_id === 'number' ? data.private_id : undefined;
      kept = true;
    } finally {
      // A monitor that failed to join would otherwise stay attached in Janus, held by nobody.
      if (!kept) await monitor.detach().catch(() => undefined);
    }
    this.node.rooms.add(this);
  }

  /** The `private_id` subscriber handles of participants that have not published use (the room requires one). */
  get monitorPrivateId(): number | undefined {
    return this.#monitorPrivateId;
  }

  markDown(): void {
    this.#monitor = undefined;
    this.#monitorPrivateId = undefined;
    this.feeds.clear();
    for (const p of this.#participants.values()) p.markDown();
  }

  async rebuild(): Promise<void> {
    if (this.#closed) return;
    await this.create();
    for (const p of this.#participants.values()) p.rebuild();
  }

  async addParticipant(key: string, displayName: string): Promise<JanusParticipant> {
    if (this.#closed) throw new Error('room closed');
    // Nobody is seated whom the media server could not serve: the room must be up in Janus now. The
    // participant's own Janus handles come when it has something to receive or first publishes.
    if (!this.#monitor || !this.node.up) throw new Error('media server not available');
    if (this.#participants.has(key)) throw new Error(`participant ${key} already in room`);
    const participant = new JanusParticipant(this, key, displayName, randomId(), token());
    this.#participants.set(key, participant);
    participant.once('close', () => {
      this.#participants.delete(key);
      this.#track(participant.teardown);
    });
    participant.reconcile();
    return participant;
  }

  /** Adds or removes a token from the room's `allowed` list. */
  async allow(participantToken: string, allowed: boolean): Promise<void> {
    await this.node.control.request({
      request: 'allowed',
      room: this.roomId,
      secret: this.secret,
      action: allowed ? 'add' : 'remove',
      allowed: [participantToken],
    });
  }

  async kick(feedId: number): Promise<void> {
    await this.node.control.request({ request: 'kick', room: this.roomId, secret: this.secret, id: feedId });
  }

  participantForFeed(feedId: number): JanusParticipant | undefined {
    for (const p of this.#participants.values()) if (p.feedId === feedId) return p;
    return undefined;
  }

  #onMonitorEvent(data: PluginData): void {
    const publishers = data.publishers;
    if (Array.isArray(publishers)) {
      for (const pub of publishers as Array<{ id?: unknown; streams?: unknown }>) {
        if (typeof pub.id !== 'number' || !Array.isArray(pub.streams)) continue;
        const streams = (pub.streams as Array<Record<string, unknown>>).map((s): FeedStream => ({
          type: s.type === 'audio' || s.type === 'video' ? s.type : 'data',
          mid: String(s.mid),
          disabled: s.disabled === true,
          description: typeof s.description === 'string' ? s.description : undefined,
        }));
        this.feeds.set(pub.id, streams);
      }
      this.#reconcileAll();
    }
    for (const key of ['unpublished', 'leaving', 'kicked'] as const) {
      const id = data[key];
      if (typeof id === 'number' && this.feeds.delete(id)) {
        for (const p of this.#participants.values()) p.forgetFeed(id);
        this.#reconcileAll();
      }
    }
  }

  /** Teardowns still in flight in Janus; the room is destroyed only after they settle. */
  readonly #teardowns = new Set<Promise<void>>();

  #track(teardown: Promise<void>): void {
    this.#teardowns.add(teardown);
    void teardown.finally(() => this.#teardowns.delete(teardown));
  }

  #reconcileAll(): void {
    for (const p of this.#participants.values()) p.reconcile();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const p of [...this.#participants.values()]) p.close();
    this.node.rooms.delete(this);
    if (this.#monitor) this.#track(this.#monitor.detach());
    // Janus 1.1.2 can crash (use after free in janus_plugin_close_pc) when a room is destroyed while
    // handles in it are still being detached, so destroy only after every detach was acknowledged.
    void Promise.allSettled([...this.#teardowns]).then(() => {
      if (!this.node.up) return;
      this.node.control
        .request({ request: 'destroy', room: this.roomId, secret: this.secret })
        .catch((err: unknown) => this.log.debug({ err }, 'room destroy failed'));
    });
    this.emit('close');
    this.removeAllListeners();
  }
}
