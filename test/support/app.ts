/**
 * The app layer in-process, for tests whose subject is not media: MeetingService over a real store
 * (PGlite in a temporary directory), the in-process bus and the typed in-memory media engine.
 * Connections are fakes that record every message and close, and bind seats the way
 * SignalingConnection does (send `joined`, then attach, in one step).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { MeetingService, type JoinOutcome } from '../../src/app/MeetingService.js';
import type { Identity, MessageSink, Participant } from '../../src/app/Participant.js';
import { InProcessBus } from '../../src/bus/InProcessBus.js';
import { ConveneError } from '../../src/errors.js';
import { MemoryEngine } from '../../src/media/memory/MemoryEngine.js';
import type { ServerMessage } from '../../src/protocol/messages.js';
import { openStore } from '../../src/store/Store.js';
import type { MeetingSettings, Store } from '../../src/store/types.js';

let guests = 0;

export class FakeConnection implements MessageSink {
  readonly messages: ServerMessage[] = [];
  closedWith: number | undefined;
  participant: Participant | undefined;
  outcome: JoinOutcome | undefined;

  send(message: ServerMessage): void {
    this.messages.push(message);
  }
  replaced(): void {
    this.closedWith = 4001;
  }
  terminate(code: number): void {
    this.closedWith = code;
  }
  of<T extends ServerMessage['type']>(type: T): Array<Extract<ServerMessage, { type: T }>> {
    return this.messages.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  }
}

export interface AppHarness {
  service: MeetingService;
  store: Store;
  engine: MemoryEngine;
  bus: InProcessBus;
  meeting(
    settings?: Partial<MeetingSettings>,
    hostAccountId?: string,
  ): Promise<{ id: string; hostKey: string }>;
  /** Joins as a new guest (or the given identity) from a jurisdiction; seated or waiting. */
  join(
    meetingId: string,
    jurisdiction: string,
    options?: { hostKey?: string; identity?: Identity; name?: string },
  ): Promise<FakeConnection>;
  close(): Promise<void>;
}

export function newIdentity(accountId?: string): Identity {
  guests++;
  return { accountId, guestKey: `guest-key-${guests}-${Date.now()}-padding`, clientKey: `client-${guests}` };
}

export async function startApp(
  options: { maxParticipants?: number; maxLobbySize?: number; maxSeatsPerClient?: number } = {},
): Promise<AppHarness> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-app-'));
  const logger = pino({ level: 'silent' });
  const store = await openStore({ dataDir, logger });
  const engine = new MemoryEngine();
  const bus = new InProcessBus(logger);
  const service = new MeetingService({
    engine,
    store,
    bus,
    logger,
    resumeWindowMs: 60_000,
    maxParticipantsPerMeeting: options.maxParticipants ?? 500,
    maxLobbySize: options.maxLobbySize ?? 500,
    maxSeatsPerClient: options.maxSeatsPerClient ?? 500,
  });
  return {
    service,
    store,
    engine,
    bus,
    async meeting(settings = {}, hostAccountId) {
      const { row, hostKey } = await service.records.create({ settings, hostAccountId });
      return { id: row.id, hostKey: hostKey ?? '' };
    },
    async join(meetingId, jurisdiction, opts = {}) {
      const conn = new FakeConnection();
      const outcome = await service.join({
        meetingId,
        displayName: opts.name ?? 'Guest',
        jurisdiction,
        hostKey: opts.hostKey,
        identity: opts.identity ?? newIdentity(),
      });
      conn.outcome = outcome;
      if (outcome.kind === 'joined') {
        conn.send(outcome.joined());
        outcome.participant.attach(conn);
        conn.participant = outcome.participant;
      } else {
        outcome.participant.attach(conn);
        conn.participant = outcome.participant;
        outcome.ticket.once('admitted', () => {
          outcome.seat().then(
            (seated) => {
              conn.send(seated.joined());
              seated.participant.attach(conn);
            },
            (err: unknown) =>
              conn.send({ v: 1, type: 'error', code: ConveneError.from(err).code, message: '' }),
          );
        });
      }
      return conn;
    },
    async close() {
      await service.closeAll();
      await engine.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Lets queued promise callbacks (seating after admission) run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));
