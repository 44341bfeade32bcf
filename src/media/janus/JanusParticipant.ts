/**
 * One participant in a Janus videoroom: once there is something to receive, one multistream subscriber
 * handle whose subscriptions track every live stream of the other participants; and, from its first
 * publish on, a publisher handle (with its own token in the room's `allowed` list).
 *
 * The publisher handle is joined only when the participant first publishes. Janus 1.1.2 tells every
 * publisher participant in a room about every other one that leaves (an `unpublished` and a `leaving`
 * event, even for one that never published), so a room where each of N seats held a publisher handle
 * cost N Janus events per leave: a storm of 50 joins and 50 leaves a second into a meeting of ~500 made
 * ~40,000 events a second and lost 44% of the joins (bench:storm). Listeners, a webinar's attendees
 * among them, now cost the room nothing. Until it publishes, a participant's subscriber handle uses
 * the room monitor's `private_id` (the room requires one); Convene owns every handle, so detaching it
 * removes the participant as surely as Janus's `kick`.
 */
import { TypedEmitter } from '../../util/TypedEmitter.js';
import type {
  MediaParticipant,
  MediaParticipantEvents,
  MediaSource,
  PublishedTrack,
  RemoteStreamInfo,
  SessionDescription,
} from '../types.js';
import type { JanusHandle, Jsep, PluginData } from './JanusConnection.js';
import { VIDEOROOM } from './JanusNode.js';
import type { JanusRoom } from './JanusRoom.js';

type Offer = { offer: SessionDescription; streams: RemoteStreamInfo[] };
const subKey = (feed: number, mid: string) => `${feed}:${mid}`;
const SOURCES: readonly string[] = ['mic', 'camera', 'screen'];

export class JanusParticipant extends TypedEmitter<MediaParticipantEvents> implements MediaParticipant {
  #publisher: JanusHandle | undefined;
  #subscriber: JanusHandle | undefined;
  #privateId: number | undefined;
  /** The publisher handle's join in flight (first publish, or the first after a media restart). */
  #joining: Promise<JanusHandle> | undefined;
  /** This participant's token is in the room's `allowed` list (added before its publisher joins). */
  #tokenAllowed = false;
  #published = false;
  /** Streams this participant is subscribed to, as `feed:mid`. */
  #subscribed = new Map<string, { feed: number; mid: string }>();
  /** Which participant and source each of our subscriber mids carries, kept across updates. */
  #midOwners = new Map<string, { key: string; source: MediaSource }>();
  #reconciling: Promise<void> = Promise.resolve();
  #reconcileQueued = false;
  #pendingOffer: Offer | undefined;
  #closed = false;
  #tokenRevoked = false;
  #tracks: PublishedTrack[] = [];
  /** Sources a host muted at the media server; re-applied when the client publishes again. */
  readonly #moderated = new Set<MediaSource>();
  #teardown: Promise<void> = Promise.resolve();

  constructor(
    private readonly room: JanusRoom,
    readonly key: string,
    readonly displayName: string,
    readonly feedId: number,
    readonly token: string,
  ) {
    super();
  }

  get closed(): boolean {
    return this.#closed;
  }
  get pendingOffer(): Offer | undefined {
    return this.#pendingOffer;
  }

  /** The token is in the room's `allowed` list (so a re-created room must list it again). */
  get tokenAllowed(): boolean {
    return this.#tokenAllowed && !this.#tokenRevoked;
  }

  /** The publisher handle, joining the room as a publisher participant on first use. */
  #ensurePublisher(): Promise<JanusHandle> {
    if (this.#publisher) return Promise.resolve(this.#publisher);
    if (!this.room.node.up)
      return Promise.reject(new Error('media session is not ready (media server restarting)'));
    this.#joining ??= this.#joinPublisher().finally(() => {
      this.#joining = undefined;
    });
    return this.#joining;
  }

  async #joinPublisher(): Promise<JanusHandle> {
    if (!this.#tokenAllowed) {
      await this.room.allow(this.token, true);
      this.#tokenAllowed = true;
    }
    if (this.#closed) throw new Error('participant closed');
    const handle = await this.room.node.session.attach(VIDEOROOM);
    // The handle is ours until it is stored: a refused or failed join, or a close meanwhile, detaches it.
    let kept = false;
    try {
      handle.on('hangup', () => {
        this.#published = false;
      });
      const { data } = await handle.message({
        request: 'join',
        ptype: 'publisher',
        room: this.room.roomId,
        id: this.feedId,
        display: this.displayName,
        token: this.token,
      });
      if (this.#closed) throw new Error('participant closed');
      this.#publisher = handle;
      this.#privateId = typeof data.private_id === 'number' ? data.private_id : undefined;
      kept = true;
      return handle;
    } finally {
      if (!kept) await handle.detach().catch(() => undefined);
    }
  }

  markDown(): void {
    this.#publisher = undefined;
    this.#privateId = undefined;
    this.#subscriber = undefined;
    this.#published = false;
    this.#subscribed.clear();
    this.#midOwners.clear();
    this.#pendingOffer = undefined;
  }

  /** After a media restart: the client publishes again, which joins a new publisher handle. */
  rebuild(): void {
    if (this.#closed) return;
    this.emit('reset');
  }

  async publish(offer: SessionDescription, tracks: PublishedTrack[]): Promise<SessionDescription> {
    const handle = await this.#ensurePublisher();
    this.#tracks = tracks;
    const descriptions = tracks.map((t) => ({ mid: t.mid, description: t.source }));
    const request = this.#published ? 'configure' : 'publish';
    // Janus gets named fields only: nothing a client added to its offer reaches the media server.
    const { jsep } = await handle.message(
      { request, descriptions },
      { type: 'offer', sdp: offer.sdp, trickle: false, ...(this.room.requireE2ee ? { e2ee: true } : {}) },
    );
    if (!jsep || jsep.type !== 'answer') throw new Error('janus returned no answer');
    this.#published = true;
    for (const source of this.#moderated) await this.#moderateNow(source, true);
    return { type: 'answer', sdp: jsep.sdp };
  }

  async unpublish(): Promise<void> {
    if (!this.#published || !this.#publisher) return;
    this.#published = false;
    await this.#publisher.message({ request: 'unpublish' });
  }

  async moderate(source: MediaSource, muted: boolean): Promise<void> {
    if (muted) this.#moderated.add(source);
    else this.#moderated.delete(source);
    if (this.#published) await this.#moderateNow(source, muted);
  }

  async #moderateNow(source: MediaSource, muted: boolean): Promise<void> {
    for (const t of this.#tracks) {
      if (t.source !== source) continue;
      await this.room.node.control.request({
        request: 'moderate',
        room: this.room.roomId,
        secret: this.room.secret,
        id: this.feedId,
        mid: t.mid,
        mute: muted,
      });
    }
  }

  async answerSubscription(answer: SessionDescription): Promise<void> {
    const handle = this.#subscriber;
    if (!handle || !this.#pendingOffer) throw new Error('no subscription offer is waiting for an answer');
    this.#pendingOffer = undefined;
    await handle.message({ request: 'start' }, { type: 'answer', sdp: answer.sdp, trickle: false });
  }

  /** Janus dropped a feed's streams from our subscription by itself (autoupdate). */
  forgetFeed(feedId: number): void {
    for (const [k, s] of this.#subscribed) if (s.feed === feedId) this.#subscribed.delete(k);
  }

  /** Brings the subscription in line with the room's live feeds; calls are serialised and coalesced. */
  reconcile(): void {
    if (this.#reconcileQueued || this.#closed) return;
    this.#reconcileQueued = true;
    this.#reconciling = this.#reconciling
      .then(() => {
        this.#reconcileQueued = false;
        return this.#reconcileNow();
      })
      .catch((err: unknown) =>
        this.room.log.warn({ err, participant: this.key }, 'subscription update failed'),
      );
  }

  async #reconcileNow(): Promise<void> {
    const privateId = this.#privateId ?? this.room.monitorPrivateId;
    if (this.#closed || privateId === undefined) return;
    const desired = new Map<string, { feed: number; mid: string }>();
    for (const [feed, streams] of this.room.feeds) {
      if (feed === this.feedId) continue;
      for (const s of streams)
        if (!s.disabled && s.type !== 'data') desired.set(subKey(feed, s.mid), { feed, mid: s.mid });
    }
    const subscribe = [...desired].filter(([k]) => !this.#subscribed.has(k)).map(([, s]) => s);
    const unsubscribe = [...this.#subscribed].filter(([k]) => !desired.has(k)).map(([, s]) => s);
    if (subscribe.length === 0 && unsubscribe.length === 0) return;

    if (!this.#subscriber) {
      if (subscribe.length === 0) return;
      const handle = await this.room.node.session.attach(VIDEOROOM);
      if (this.#closed) {
        await handle.detach();
        return;
      }
      handle.on('event', (data, jsep) => this.#onSubscriberEvent(data, jsep));
      this.#subscriber = handle;
      for (const s of subscribe) this.#subscribed.set(subKey(s.feed, s.mid), s);
      try {
        const { data, jsep } = await handle.message({
          request: 'join',
          ptype: 'subscriber',
          room: this.room.roomId,
          private_id: privateId,
          streams: subscribe.map((s) => ({ feed: s.feed, mid: s.mid })),
          autoupdate: true,
        });
        this.#onSubscriberEvent(data, jsep);
      } catch (err) {
        // A refused subscriber join leaves nothing behind: detach, and the next reconcile starts over.
        if (this.#subscriber === handle) {
          this.#subscriber = undefined;
          this.#subscribed.clear();
        }
        await handle.detach().catch(() => undefined);
        throw err;
      }
      return;
    }
    for (const s of subscribe) this.#subscribed.set(subKey(s.feed, s.mid), s);
    for (const s of unsubscribe) this.#subscribed.delete(subKey(s.feed, s.mid));
    const { data, jsep } = await this.#subscriber.message({
      request: 'update',
      ...(subscribe.length ? { subscribe: subscribe.map((s) => ({ feed: s.feed, mid: s.mid })) } : {}),
      ...(unsubscribe.length ? { unsubscribe: unsubscribe.map((s) => ({ feed: s.feed, mid: s.mid })) } : {}),
    });
    this.#onSubscriberEvent(data, jsep);
  }

  #onSubscriberEvent(data: PluginData, jsep: Jsep | undefined): void {
    if (!jsep || jsep.type !== 'offer' || this.#closed) return;
    const streams = this.#mapStreams(data.streams);
    this.#pendingOffer = { offer: { type: 'offer', sdp: jsep.sdp }, streams };
    this.emit('subscribeOffer', this.#pendingOffer.offer, streams);
  }

  #mapStreams(raw: unknown): RemoteStreamInfo[] {
    if (!Array.isArray(raw)) return [];
    const out: RemoteStreamInfo[] = [];
    for (const s of raw as Array<Record<string, unknown>>) {
      if ((s.type !== 'audio' && s.type !== 'video') || typeof s.mid !== 'string') continue;
      const feed = typeof s.feed_id === 'number' ? s.feed_id : undefined;
      const owner = feed === undefined ? undefined : this.room.participantForFeed(feed);
      const desc =
        typeof s.feed_description === 'string' && SOURCES.includes(s.feed_description)
          ? (s.feed_description as MediaSource)
          : s.type === 'audio'
            ? 'mic'
            : 'camera';
      if (owner) this.#midOwners.set(s.mid, { key: owner.key, source: desc });
      const known = this.#midOwners.get(s.mid);
      if (!known) continue;
      const active = s.active !== false && owner !== undefined && this.room.feeds.has(feed as number);
      out.push({ mid: s.mid, participantKey: known.key, kind: s.type, source: known.source, active });
    }
    return out;
  }

  /** Resolves once Janus has removed the participant and revoked its token. */
  async kick(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#joining?.catch(() => undefined);
      if (this.#publisher) await this.room.kick(this.feedId);
      if (this.#tokenAllowed) {
        await this.room.allow(this.token, false);
        this.#tokenRevoked = true;
      }
    } finally {
      this.close();
    }
  }

  /** Settles when Janus has finished tearing this participant down (handles detached, token revoked). */
  get teardown(): Promise<void> {
    return this.#teardown;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const steps: Array<Promise<unknown>> = [];
    if (this.#subscriber) steps.push(this.#subscriber.detach());
    if (this.#publisher) steps.push(this.#publisher.detach());
    // A publisher join in flight detaches its own handle when it sees the close; the token goes after it.
    const joining = this.#joining?.catch(() => undefined);
    steps.push(
      Promise.resolve(joining).then(() =>
        this.room.node.up && this.#tokenAllowed && !this.#tokenRevoked
          ? this.room.allow(this.token, false)
          : undefined,
      ),
    );
    this.#teardown = Promise.allSettled(steps).then(() => undefined);
    this.emit('close');
    this.removeAllListeners();
  }
}
