/**
 * The cross-node bus: events every Convene node must see. Today one node and an in-process bus;
 * the scale-out work puts Redis pub/sub behind the same interface, so:
 * - events are plain JSON (no Dates, no class instances), exactly as they would cross Redis;
 * - every subscriber receives every event, the publishing node's own subscribers included (as a
 *   Redis subscriber connection on each node would), so a node has one code path for local and
 *   remote events and never applies its own change twice by hand;
 * - delivery is at most once and unordered across publishers: handlers must be idempotent and must
 *   read durable state (the database) for anything they cannot afford to miss; at start a node
 *   loads that state itself rather than waiting for events.
 */

/** An operator decision added or lifted restrictions; nodes update their index and sweep. */
export interface RestrictionsChangedEvent {
  type: 'restrictionsChanged';
  /** Restrictions now active (JSON: ISO times). */
  added: BusRestriction[];
  /** Ids of restrictions lifted (expired, reversed). */
  lifted: string[];
}

/** A meeting was ended by its host; every node that runs it ends its live copy. */
export interface MeetingEndedEvent {
  type: 'meetingEnded';
  meetingId: string;
}

/**
 * A host banned someone in a meeting; every node running it adds the subjects to its live ban set and
 * ends the seats and lobby waits they match there (a second seat may be on another node).
 */
export interface BansAddedEvent {
  type: 'bansAdded';
  meetingId: string;
  /** `account:<id>` / `guest:<key>`: internal to the nodes, never sent to a client or logged. */
  subjects: string[];
}

/** A host lifted a ban; every node running the meeting drops the subjects from its live ban set. */
export interface BansLiftedEvent {
  type: 'bansLifted';
  meetingId: string;
  /** `account:<id>` / `guest:<key>`: internal to the nodes, never sent to a client or logged. */
  subjects: string[];
}

export interface BusRestriction {
  id: string;
  caseId: string;
  caseRef: string;
  jurisdiction: string;
  scope: { kind: 'meeting'; meetingId: string } | { kind: 'host'; hostAccountId: string };
  expiresAt: string;
}

export type BusEvent = RestrictionsChangedEvent | MeetingEndedEvent | BansAddedEvent | BansLiftedEvent;

export type BusHandler = (event: BusEvent) => void | Promise<void>;

export interface Bus {
  /**
   * Sends an event to every subscriber on every node. Resolves when the bus has accepted it (the
   * in-process bus: when local handlers have run; Redis: when the server has it).
   */
  publish(event: BusEvent): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(handler: BusHandler): () => void;
  close(): Promise<void>;
}
