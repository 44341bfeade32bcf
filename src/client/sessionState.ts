/** Pure helpers that build the pieces of a SessionState snapshot. */
import type { ChatMessage, JoinedMessage } from '../protocol/messages.js';
import type { LocalMediaState } from './LocalMedia.js';
import type { RemoteTrack } from './Subscriber.js';
import type { ChatEntry, LocalView, ParticipantView, RemoteMedia, SessionState } from './types.js';

export function initialSessionState(local: LocalView): SessionState {
  return {
    status: 'idle',
    meetingId: null,
    self: null,
    participants: [],
    remoteMedia: {},
    local,
    speaking: [],
    activeSpeakerId: null,
    chat: [],
    error: null,
    mediaProblem: null,
  };
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
