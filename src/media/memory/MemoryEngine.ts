/**
 * A typed in-memory MediaEngine: rooms and participants with the same lifecycle rules as the Janus
 * adapter (idempotent close, parents close children, `close` emitted once), and no media at all. It
 * is for app-layer tests and benchmarks whose subject is not media (admission, removal, withholding at
 * scale); every claim about media is tested against a real Janus instead. It records what the app
 * asked of the media layer (kicks, moderation) so tests can check that removals reach it.
 */
import { TypedEmitter } from '../../util/TypedEmitter.js';
import type {
  MediaEngine,
  MediaEngineEvents,
  MediaParticipant,
  MediaParticipantEvents,
  MediaRoom,
  MediaRoomEvents,
  MediaSource,
  PublishedTrack,
  SessionDescription,
} from '../types.js';

export class MemoryParticipant extends TypedEmitter<MediaParticipantEvents> implements MediaParticipant {
  #closed = false;
  kicked = false;
  published: PublishedTrack[] = [];
  readonly moderated = new Set<MediaSource>();

  constructor(
    readonly room: MemoryRoom,
    readonly key: string,
  ) {
    super();
  }

  get closed(): boolean {
    return this.#closed;
  }
  get pendingOffer(): undefined {
    return undefined;
  }

  async publish(offer: SessionDescription, tracks: PublishedTrack[]): Promise<SessionDescription> {
    if (this.#closed) throw new Error('participant closed');
    this.published = tracks;
    return { type: 'answer', sdp: `answer-to:${offer.sdp.length}` };
  }

  async answerSubscription(): Promise<void> {
    throw new Error('no subscription offer is waiting for an answer');
  }

  async unpublish(): Promise<void> {
    this.published = [];
  }

  async moderate(source: MediaSource, muted: boolean): Promise<void> {
    if (muted) this.moderated.add(source);
    else this.moderated.delete(source);
  }

  async kick(): Promise<void> {
    if (this.#closed) return;
    this.kicked = true;
    this.room.engine.kicks++;
    this.close();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.emit('close');
    this.removeAllListeners();
  }
}

export class MemoryRoom extends TypedEmitter<MediaRoomEvents> implements MediaRoom {
  readonly participants = new Map<string, MemoryParticipant>();
  #closed = false;

  constructor(
    readonly engine: MemoryEngine,
    readonly id: string,
  ) {
    super();
  }

  get closed(): boolean {
    return this.#closed;
  }

  async addParticipant(key: string): Promise<MemoryParticipant> {
    if (this.#closed) throw new Error('room closed');
    if (this.participants.has(key)) throw new Error(`participant ${key} already in room`);
    const p = new MemoryParticipant(this, key);
    this.participants.set(key, p);
    p.once('close', () => this.participants.delete(key));
    return p;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const p of [...this.participants.values()]) p.close();
    this.engine.rooms.delete(this.id);
    this.emit('close');
    this.removeAllListeners();
  }
}

export class MemoryEngine extends TypedEmitter<MediaEngineEvents> implements MediaEngine {
  readonly rooms = new Map<string, MemoryRoom>();
  /** Participants removed with kick() (removals by others), across all rooms. */
  kicks = 0;
  #closed = false;
  #nextRoom = 1;

  get closed(): boolean {
    return this.#closed;
  }
  get ready(): boolean {
    return !this.#closed;
  }

  async createRoom(): Promise<MemoryRoom> {
    if (this.#closed) throw new Error('media engine closed');
    const room = new MemoryRoom(this, String(this.#nextRoom++));
    this.rooms.set(room.id, room);
    return room;
  }

  /** Participants present in any room. */
  get participantCount(): number {
    let n = 0;
    for (const r of this.rooms.values()) n += r.participants.size;
    return n;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const r of [...this.rooms.values()]) r.close();
    this.emit('close');
    this.removeAllListeners();
  }
}
