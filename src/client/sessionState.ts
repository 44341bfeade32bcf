/** Pure helpers that build the pieces of a SessionState snapshot. */
import type { JoinedMessage, LobbyEntry, Role } from '../protocol/messages.js';
import { initialE2eeView } from './e2ee/view.js';
import type { LocalMediaState } from './LocalMedia.js';
import type { RemoteTrack } from './Subscriber.js';
import type {
  ChatEntry,
  ChatMessage,
  LocalView,
  ParticipantView,
  RaisedHand,
  RemoteMedia,
  SessionState,
} from './types.js';

export function initialSessionState(local: LocalView): SessionState {
  return {
    status: 'idle',
    meetingId: null,
    meeting: null,
    lobbyTitle: null,
    self: null,
    role: null,
    isModerator: false,
    canPublish: false,
    participants: [],
    lobby: [],
    hands: [],
    remoteMedia: {},
    local,
    speaking: [],
    activeSpeakerId: null,
    chat: [],
    unmuteRequest: null,
    ended: null,
    error: null,
    mediaProblem: null,
    e2ee: initialE2eeView(),
  };
}

/**
 * The lobby after a server delta (docs/protocol.md): `lobbyAdded` appends the arrivals (replacing an
 * entry with the same id), `lobbyRemoved` drops the named ids. The server sends the whole list only
 * in `joined` and `lobbyUpdated`.
 */
export function nextLobby(
  lobby: readonly LobbyEntry[],
  change: { added: readonly LobbyEntry[] } | { removed: readonly string[] },
): LobbyEntry[] {
  if ('added' in change) {
    const arriving = new Set(change.added.map((entry) => entry.id));
    return [...lobby.filter((entry) => !arriving.has(entry.id)), ...change.added];
  }
  const gone = new Set(change.removed);
  return lobby.filter((entry) => !gone.has(entry.id));
}

/** Everyone but webinar attendees sends audio and video. */
export function roleCanPublish(role: Role | null | undefined): boolean {
  return role !== undefined && role !== null && role !== 'attendee';
}

export function isModeratorRole(role: Role | null | undefined): boolean {
  return role === 'host' || role === 'cohost';
}

/**
 * The raised-hand queue after a roster change, in the order hands went up by the server's clock
 * (`handRaisedAt`), so every client, and a host who reloads, sees the same queue. Entries that did
 * not change keep their identity, so renders can skip them.
 */
export function nextHands(
  previous: readonly RaisedHand[],
  everyone: readonly ParticipantView[],
  now: number,
): RaisedHand[] {
  const before = new Map(previous.map((hand) => [hand.participantId, hand]));
  const next = everyone
    .filter((p) => p.handRaised)
    .map((p): RaisedHand => {
      const old = before.get(p.id);
      const raisedAt = p.handRaisedAt ?? old?.raisedAt ?? now;
      return old && old.displayName === p.displayName && old.raisedAt === raisedAt
        ? old
        : { participantId: p.id, displayName: p.displayName, isLocal: p.isLocal, raisedAt };
    })
    .sort((a, b) => a.raisedAt - b.raisedAt);
  const same = next.length === previous.length && next.every((hand, index) => hand === previous[index]);
  return same ? (previous as RaisedHand[]) : next;
}

/** The other participants of a `joined` message, in order of arrival. */
export function rosterFromJoined(joined: JoinedMessage): ParticipantView[] {
  return joined.participants
    .filter((p) => p.id !== joined.self.id)
    .sort((a, b) => a.joinedAt - b.joinedAt)
    .map((p): ParticipantView => ({ ...p, isLocal: false }));
}

/** The messages not yet in `existing`, as chat entries. */
export function newChatEntries(
  existing: readonly ChatEntry[],
  messages: readonly ChatMessage[],
  selfId: string | undefined,
): ChatEntry[] {
  const known = new Set(existing.map((entry) => entry.id));
  const added: ChatEntry[] = [];
  for (const m of messages) {
    if (known.has(m.id)) continue;
    known.add(m.id);
    added.push({
      id: m.id,
      fromId: m.from,
      fromName: m.displayName,
      text: m.text,
      sentAt: m.sentAt,
      isLocal: m.from === selfId,
      undelivered: false,
    });
  }
  return added;
}

const screenStreams = new WeakMap<MediaStreamTrack, MediaStream>();

export function localView(media: LocalMediaState, screen: MediaStreamTrack | null): LocalView {
  let screenStream: MediaStream | null = null;
  if (screen) {
    screenStream = screenStreams.get(screen) ?? new MediaStream([screen]);
    screenStreams.set(screen, screenStream);
  }
  return {
    camera: media.cameraStream,
    screen: screenStream,
    audioMuted: media.audioMuted,
    videoMuted: media.videoMuted,
    screenSharing: screen !== null,
    hasMic: media.mic !== null,
    hasCamera: media.camera !== null,
  };
}

/** Remote media by participant (the UI shows it only for participants in the roster). */
export function groupRemote(tracks: readonly RemoteTrack[]): Record<string, RemoteMedia> {
  const out: Record<string, RemoteMedia> = {};
  for (const track of tracks) {
    const entry = (out[track.participantId] ??= { audio: null, camera: null, screen: null });
    if (track.source === 'mic') entry.audio = track.stream;
    else entry[track.source] = track.stream;
  }
  return out;
}
