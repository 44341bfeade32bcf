/**
 * One member of bench:mls-storm, with the client library's own code wired the way MeetingSession wires
 * it: SignalingClient (over `ws`, from its own X-Forwarded-For address) feeding E2eeController, which
 * runs MlsSession (the MLS member, its rejoin logic) and computes the E2eeView the UI shows (the roster
 * comparison and its `missing` / `unannounced` warnings). No media: the controller's SFrame worker is
 * a stand-in that drops key updates, and RTCRtpScriptTransform is stubbed only so that the controller
 * believes it can encrypt (nothing is attached). Records what the view showed and when.
 */
import { WebSocket } from 'ws';
import { E2eeController } from '../src/client/e2ee/E2eeController.js';
import type { E2eeView } from '../src/client/e2ee/view.js';
import { SignalingClient } from '../src/client/SignalingClient.js';
import type { SocketLike } from '../src/client/socket.js';

/** A stretch of time during which this member's view flagged `id`. */
export interface WarningSpan {
  readonly kind: 'missing' | 'unannounced';
  readonly id: string;
  readonly from: number;
  /** How long after the grace clock started (announcement of `id`, or our first epoch if later) it began. */
  readonly sinceAnnounced: number | undefined;
  to: number | undefined;
}

export interface StormMember {
  readonly name: string;
  id: string;
  view: E2eeView | undefined;
  /** performance.now() when the join was sent, answered, and the first epoch key held. */
  readonly startedAt: number;
  joinedAt: number | undefined;
  keyedAt: number | undefined;
  readonly warnings: WarningSpan[];
  /** Server `mls*` messages received, by type (`mlsCommitResult` split into accepted / refused). */
  readonly received: Map<string, number>;
  /** Times the view went back to waiting for keys after holding them (a rejoin of the group). */
  rejoins: number;
  readonly errors: string[];
  leave(): void;
}

/** E2eeController checks for RTCRtpScriptTransform before it runs; the bench attaches no media. */
export function pretendScriptTransform(): void {
  const g = globalThis as { RTCRtpScriptTransform?: unknown };
  g.RTCRtpScriptTransform ??= class {};
}

const noWorker = (): Worker =>
  ({ postMessage() {}, addEventListener() {}, terminate() {} }) as unknown as Worker;

export async function joinStormMember(opts: {
  url: string;
  meetingId: string;
  name: string;
  forwardedFor: string;
}): Promise<StormMember> {
  const signaling = new SignalingClient({
    url: `${opts.url.replace(/^http/, 'ws')}/ws`,
    createSocket: (url) =>
      new WebSocket(url, { headers: { 'X-Forwarded-For': opts.forwardedFor } }) as unknown as SocketLike,
  });
  const member: StormMember = {
    name: opts.name,
    id: '',
    view: undefined,
    startedAt: performance.now(),
    joinedAt: undefined,
    keyedAt: undefined,
    warnings: [],
    received: new Map(),
    rejoins: 0,
    errors: [],
    leave: () => {
      controller.close();
      signaling.leave();
    },
  };
  const open = new Map<string, WarningSpan>();
  const announcedAt = new Map<string, number>();
  const controller = new E2eeController(
    {
      setView: (view) => {
        const now = performance.now();
        if (view.epoch !== null && member.keyedAt === undefined) member.keyedAt = now;
        if (view.epoch === null && view.status === 'waiting' && typeof member.view?.epoch === 'number')
          member.rejoins++;
        if (view.failure && !member.view?.failure)
          member.errors.push(
            process.env.MLS_STORM_VERBOSE
              ? `${view.failure.code}: ${view.failure.message}`
              : view.failure.code,
          );
        const flagged = new Set<string>();
        for (const [kind, ids] of [
          ['missing', view.missing],
          ['unannounced', view.unannounced],
        ] as const)
          for (const id of ids) {
            const key = `${kind} ${id}`;
            flagged.add(key);
            if (!open.has(key)) {
              const heard = announcedAt.get(id);
              // The client's grace runs from the announcement, or from its first epoch if later.
              const start = Math.max(heard ?? 0, member.keyedAt ?? now);
              const sinceAnnounced = heard === undefined ? undefined : now - start;
              const span: WarningSpan = { kind, id, from: now, to: undefined, sinceAnnounced };
              open.set(key, span);
              member.warnings.push(span);
            }
          }
        for (const [key, span] of open)
          if (!flagged.has(key)) {
            span.to = now;
            open.delete(key);
          }
        member.view = view;
      },
      chat: () => undefined,
      send: (type, payload) => signaling.send(type, payload),
    },
    { createWorker: noWorker },
  );
  const count = (type: string) => member.received.set(type, (member.received.get(type) ?? 0) + 1);
  signaling.on('mls', (message) => {
    count(
      message.type === 'mlsCommitResult'
        ? `mlsCommitResult:${message.accepted ? 'accepted' : 'refused'}`
        : message.type,
    );
    controller.handle(message);
  });
  signaling.on('participantJoined', ({ participant }) => {
    announcedAt.set(participant.id, performance.now());
    controller.announce(participant);
  });
  signaling.on('participantsLeft', ({ participantIds }) => {
    for (const id of participantIds) controller.withdraw(id);
  });
  signaling.on('resumed', (joined) => controller.resync(joined.participants));
  signaling.on('sessionReset', (joined) => {
    member.errors.push('session_reset');
    controller.start(joined.self, joined.participants);
  });
  signaling.on('closed', (reason) => {
    if (reason) member.errors.push(`closed: ${reason.code}`);
  });
  try {
    const joined = await signaling.join(opts.meetingId, opts.name);
    member.id = joined.self.id;
    member.joinedAt = performance.now();
    controller.start(joined.self, joined.participants);
  } catch (err) {
    member.errors.push(`join: ${err instanceof Error ? err.message : String(err)}`);
  }
  return member;
}

/** What the orchestrator needs of a member, as plain data (also sent by a probe in its own process). */
export interface MemberSummary {
  readonly status: string;
  readonly epoch: number | null;
  readonly members: number;
  /** From sending the join to holding the first epoch key (ms), if it got there. */
  readonly toKeysMs: number | undefined;
  /** Each warning span: kind, and how long it lasted (ms; still open at `now` counts up to `now`). */
  readonly warnings: readonly { kind: string; ms: number; open: boolean; afterMs: number | undefined }[];
  readonly received: Readonly<Record<string, number>>;
  readonly rejoins: number;
  readonly errors: readonly string[];
}

export function summarize(m: StormMember, now = performance.now()): MemberSummary {
  return {
    status: m.view?.status ?? 'off',
    epoch: m.view?.epoch ?? null,
    members: m.view?.members.length ?? 0,
    toKeysMs: m.keyedAt === undefined ? undefined : m.keyedAt - m.startedAt,
    warnings: m.warnings.map((w) => ({
      kind: w.kind,
      ms: (w.to ?? now) - w.from,
      open: w.to === undefined,
      afterMs: w.sinceAnnounced,
    })),
    received: Object.fromEntries(m.received),
    rejoins: m.rejoins,
    errors: [...m.errors],
  };
}
