/**
 * The state half of MeetingSession: the immutable SessionState snapshot, its events, and the
 * bookkeeping of roster, lobby, raised hands and chat as server messages arrive. MeetingSession adds
 * the connection and the media on top.
 */
import type { JoinedMessage, LobbyEntry, ParticipantInfo, Role } from '../protocol/messages.js';
import type { ClientError } from './ClientError.js';
import {
  isModeratorRole,
  newChatEntries,
  nextHands,
  roleCanPublish,
  rosterFromJoined,
} from './sessionState.js';
import type {
  ChatEntry,
  ChatMessage,
  ParticipantView,
  ReactionEntry,
  SessionEnd,
  SessionState,
  SessionStatus,
  WithheldSummary,
} from './types.js';
import { TypedEmitter } from '../util/TypedEmitter.js';

export type { LeaveReason } from '../protocol/messages.js';
import type { LeaveReason } from '../protocol/messages.js';

export interface SessionEvents {
  change: [state: SessionState];
  status: [status: SessionStatus, previous: SessionStatus];
  participantJoined: [participant: ParticipantView];
  participantLeft: [participant: ParticipantView, reason: LeaveReason];
  /**
   * Others were disconnected because the operator withheld this meeting in their jurisdiction in
   * response to a legal demand (one event per removal batch, with the count and the public case).
   */
  participantsWithheld: [summary: WithheldSummary];
  chat: [entry: ChatEntry];
  /** Someone reacted (you too, once the server has it): float it over their tile for a moment. */
  reaction: [entry: ReactionEntry];
  /** Hosts and co-hosts: people who just arrived in the lobby. */
  lobbyArrived: [entries: LobbyEntry[]];
  /** Your role changed (e.g. promoted to panelist: publishing starts by itself). */
  roleChanged: [role: Role, previous: Role];
  /** A host muted your microphone. */
  forceMuted: [];
  /** A host asks you to unmute (`state.unmuteRequest` is set until you answer). */
  unmuteRequested: [from: ParticipantView | null];
  /** The seat ended by someone else's action (`state.ended`). */
  ended: [end: SessionEnd];
  /**
   * To the host: an operator decision about this meeting, delivered at once (the same `Notice` as in
   * My meetings, docs/api.md).
   */
  hostNotice: [notice: Record<string, unknown>];
  /** A problem that does not end the session (publishing failed, screen share failed...). */
  problem: [error: ClientError];
}

export class SessionStore extends TypedEmitter<SessionEvents> {
  protected stateValue: SessionState;
  /** Ids of chat entries you sent while reconnecting (see `chatSentWhileDown`). */
  private chatWhileDown = new Set<string>();

  constructor(initial: SessionState) {
    super();
    this.stateValue = initial;
  }

  get state(): SessionState {
    return this.stateValue;
  }

  protected update(patch: Partial<SessionState>): void {
    const previous = this.stateValue.status;
    this.stateValue = { ...this.stateValue, ...patch };
    this.emit('change', this.stateValue);
    if (patch.status !== undefined && patch.status !== previous) this.emit('status', patch.status, previous);
  }

  /** Takes the roster, meeting and lobby of a `joined` (`first`: the first join, else after a reconnect). */
  protected applyJoined(joined: JoinedMessage, self: ParticipantView, first: boolean): void {
    const before = new Map(this.stateValue.participants.map((p) => [p.id, p]));
    const participants = rosterFromJoined(joined);
    const ids = new Set(participants.map((p) => p.id));
    const remoteMedia = Object.fromEntries(
      Object.entries(this.stateValue.remoteMedia).filter(([id]) => ids.has(id)),
    );
    const previousRole = this.stateValue.role;
    this.setRoster(self, participants, {
      meetingId: joined.meetingId,
      meeting: joined.meeting ?? null,
      remoteMedia,
    });
    this.setLobby(joined.lobby ?? []);
    if (!first) {
      for (const p of participants) if (!before.has(p.id)) this.emit('participantJoined', p);
      for (const [id, p] of before) if (!ids.has(id)) this.emit('participantLeft', p, 'disconnected');
      if (previousRole && previousRole !== self.role) this.emit('roleChanged', self.role, previousRole);
    }
  }

  protected addParticipant(participant: ParticipantInfo): void {
    if (participant.id === this.stateValue.self?.id) return;
    const view = { ...participant, isLocal: false };
    this.setRoster(this.stateValue.self, [
      ...this.stateValue.participants.filter((p) => p.id !== view.id),
      view,
    ]);
    this.emit('participantJoined', view);
  }

  /** Someone else changed (mute, role, hand...). */
  protected updateParticipant(participant: ParticipantInfo): void {
    this.setRoster(
      this.stateValue.self,
      this.stateValue.participants.map((p) =>
        p.id === participant.id ? { ...participant, isLocal: false } : p,
      ),
    );
  }

  protected removeParticipant(participantId: string, reason: LeaveReason): void {
    const gone = this.stateValue.participants.find((p) => p.id === participantId);
    if (!gone) return;
    const remoteMedia = { ...this.stateValue.remoteMedia };
    delete remoteMedia[participantId];
    this.setRoster(
      this.stateValue.self,
      this.stateValue.participants.filter((p) => p.id !== participantId),
      { remoteMedia },
    );
    this.emit('participantLeft', gone, reason);
  }

  /** Sets self and the others, and what follows from them (role, raised-hand queue). */
  protected setRoster(
    self: ParticipantView | null,
    participants: readonly ParticipantView[],
    extra: Partial<SessionState> = {},
  ): void {
    const everyone = self ? [self, ...participants] : participants;
    const role = self?.role ?? null;
    this.update({
      ...extra,
      self,
      participants,
      role,
      isModerator: isModeratorRole(role),
      canPublish: roleCanPublish(role),
      hands: nextHands(this.stateValue.hands, everyone, Date.now()),
    });
  }

  protected setLobby(lobby: readonly LobbyEntry[]): void {
    const known = new Set(this.stateValue.lobby.map((entry) => entry.id));
    this.update({ lobby });
    const arrived = lobby.filter((entry) => !known.has(entry.id));
    if (arrived.length > 0) this.emit('lobbyArrived', arrived);
  }

  /**
   * Chat you sent while reconnecting waits in the signaling queue: a resumed seat delivers it, a reset
   * one (a restarted server) drops it with the old encryption group, so it is marked undelivered.
   */
  protected chatSentWhileDown(id: string): void {
    this.chatWhileDown.add(id);
  }

  protected settleChatWhileDown(delivered: boolean): void {
    const ids = this.chatWhileDown;
    this.chatWhileDown = new Set();
    if (delivered || ids.size === 0) return;
    this.update({
      chat: this.stateValue.chat.map((entry) =>
        ids.has(entry.id) ? { ...entry, undelivered: true } : entry,
      ),
    });
  }

  protected addChat(messages: readonly ChatMessage[], announce: boolean): void {
    const added = newChatEntries(this.stateValue.chat, messages, this.stateValue.self?.id);
    if (added.length === 0) return;
    this.update({ chat: [...this.stateValue.chat, ...added].sort((a, b) => a.sentAt - b.sentAt) });
    if (announce) for (const entry of added) this.emit('chat', entry);
  }
}
