/**
 * The client library's MLS path without a browser, for integration tests: the real SignalingClient
 * (over `ws`) feeding the client's MlsSession, wired the way E2eeController wires it, against a real
 * Convene. A member's sockets can be cut and kept from reconnecting (`cut`, then `reconnect`), to play
 * a dropped connection that resumes its seat later.
 */
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { MlsSession, type EpochInfo } from '../../src/client/e2ee/MlsSession.js';
import { SignalingClient } from '../../src/client/SignalingClient.js';
import type { SocketLike } from '../../src/client/socket.js';
import type { JoinedMessage } from '../../src/protocol/messages.js';

export interface SessionMember {
  id: string;
  joined: JoinedMessage;
  signaling: SignalingClient;
  session: MlsSession;
  epochs: EpochInfo[];
  received: string[];
  /** The MLS-authenticated sender of each received application message (participant id). */
  senders: string[];
  failures: string[];
  /** Why each rejoin of the group was asked for. */
  rejoins: string[];
  /** Drops the socket now; new sockets fail until `reconnect()`. */
  cut(): void;
  reconnect(): void;
}

export class MlsSessions {
  readonly #opened: SignalingClient[] = [];

  constructor(private readonly serverUrl: string) {}

  async createMeeting(): Promise<{ meetingId: string; hostKey: string }> {
    const created = await fetch(`${this.serverUrl}/api/meetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const { id, hostKey } = (await created.json()) as { id: string; hostKey: string };
    return { meetingId: id, hostKey };
  }

  /** Joins and uploads the KeyPackage; `beforeStart` runs once the member is wired, before the upload. */
  async join(
    meetingId: string,
    name: string,
    hostKey?: string,
    beforeStart?: (m: SessionMember) => void,
  ): Promise<SessionMember> {
    let blocked = false;
    let socket: WebSocket | undefined;
    const signaling = new SignalingClient({
      url: `${this.serverUrl.replace(/^http/, 'ws')}/ws`,
      // A cut member's new sockets go to a closed port: each attempt fails, and it keeps retrying.
      createSocket: (url) => {
        socket = new WebSocket(blocked ? 'ws://127.0.0.1:9/ws' : url);
        return socket as unknown as SocketLike;
      },
    });
    this.#opened.push(signaling);
    const joined = await signaling.join(meetingId, name, hostKey ? { hostKey } : {});
    const session = new MlsSession(
      { participantId: joined.self.id, displayName: joined.self.displayName },
      joined.participants.map((p) => ({ participantId: p.id, displayName: p.displayName })),
      (type, payload) => signaling.send(type, payload),
    );
    const m: SessionMember = {
      id: joined.self.id,
      joined,
      signaling,
      session,
      epochs: [],
      received: [],
      senders: [],
      failures: [],
      rejoins: [],
      cut: () => {
        blocked = true;
        socket?.terminate();
      },
      reconnect: () => {
        blocked = false;
      },
    };
    const announced = new Set(joined.participants.map((p) => p.id));
    const announce = (p: { id: string; displayName: string }) => {
      announced.add(p.id);
      session.announce({ participantId: p.id, displayName: p.displayName });
    };
    const withdraw = (id: string) => {
      announced.delete(id);
      session.withdraw(id);
    };
    signaling.on('mls', (message) => void session.handle(message));
    signaling.on('participantJoined', ({ participant }) => announce(participant));
    signaling.on('participantsLeft', ({ participantIds }) => participantIds.forEach(withdraw));
    // After a resume, the roster as `joined` gives it (E2eeController.resync does the same).
    signaling.on('resumed', (again) => {
      const now = new Set(again.participants.map((p) => p.id));
      for (const id of [...announced]) if (!now.has(id)) withdraw(id);
      for (const p of again.participants) if (!announced.has(p.id)) announce(p);
    });
    session.on('epoch', (info) => m.epochs.push(info));
    session.on('application', (data, sender) => {
      m.received.push(new TextDecoder().decode(data));
      m.senders.push(sender.participantId);
    });
    session.on('failed', ({ code }) => m.failures.push(code));
    session.on('rejoining', ({ reason }) => m.rejoins.push(reason));
    beforeStart?.(m);
    await session.start();
    return m;
  }

  close(): void {
    for (const s of this.#opened) s.leave();
  }
}

export async function eventually(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const latest = (m: SessionMember): EpochInfo | undefined => m.epochs.at(-1);

/**
 * Waits until every member of `group` holds one epoch whose roster is exactly `inGroup` (by default
 * `group` itself; a member whose socket is down is still in the group); checks code and key.
 */
export async function converged(
  group: SessionMember[],
  inGroup: SessionMember[] = group,
): Promise<EpochInfo> {
  const ids = inGroup.map((m) => m.id).sort();
  await eventually('one epoch', () => {
    const [first] = group.map(latest);
    return group.every((m) => {
      const e = latest(m);
      return (
        e !== undefined &&
        e.epoch === first?.epoch &&
        e.roster
          .map((r) => r.participantId)
          .sort()
          .join() === ids.join()
      );
    });
  });
  const infos = group.map((m) => latest(m) as EpochInfo);
  for (const info of infos) {
    assert.equal(info.safetyCode, infos[0]?.safetyCode);
    assert.deepEqual(info.secret, infos[0]?.secret);
  }
  return infos[0] as EpochInfo;
}
