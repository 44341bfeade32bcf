/**
 * The waiting room of a live meeting: people who passed admission but wait for a host. Each waits
 * with a ticket that settles once: `admitted` (with the seat the service made for them) or
 * `cancelled`. Denial, a host's rule or an operator's withholding take them out through the meeting's
 * one removal path (Meeting.remove), which tells their client why.
 */
import type { LobbyEntry } from '../protocol/messages.js';
import { TypedEmitter } from '../util/TypedEmitter.js';
import type { Participant } from './Participant.js';

/** One change of the lobby, as its moderators are told it: who arrived, or who is no longer waiting. */
export type LobbyChange = { added: LobbyEntry[]; removed: [] } | { added: []; removed: string[] };

export class LobbyTicket extends TypedEmitter<{ admitted: []; gone: [] }> {
  readonly waitingSince = Date.now();
  #settled = false;

  constructor(readonly participant: Participant) {
    super();
  }

  get settled(): boolean {
    return this.#settled;
  }

  entry(): LobbyEntry {
    const p = this.participant;
    return {
      id: p.id,
      displayName: p.displayName,
      signedIn: p.identity.accountId !== undefined,
      waitingSince: this.waitingSince,
    };
  }

  /** Out of the lobby: `admitted` to a seat, or `gone` (left, denied, removed). */
  settle(outcome: 'admitted' | 'gone'): void {
    if (this.#settled) return;
    this.#settled = true;
    this.emit(outcome);
    this.removeAllListeners();
  }
}

export class Lobby {
  readonly #tickets = new Map<string, LobbyTicket>();

  constructor(private readonly onChange: (change: LobbyChange) => void) {}

  get size(): number {
    return this.#tickets.size;
  }

  entries(): LobbyEntry[] {
    return [...this.#tickets.values()].map((t) => t.entry());
  }

  participants(): Participant[] {
    return [...this.#tickets.values()].map((t) => t.participant);
  }

  has(participant: Participant): boolean {
    return this.#tickets.get(participant.id)?.participant === participant;
  }

  add(participant: Participant): LobbyTicket {
    const ticket = new LobbyTicket(participant);
    this.#tickets.set(participant.id, ticket);
    this.onChange({ added: [ticket.entry()], removed: [] });
    return ticket;
  }

  /** Tickets for the given ids (or all), to admit or deny. */
  take(ids: readonly string[] | 'all'): LobbyTicket[] {
    if (ids === 'all') return [...this.#tickets.values()];
    return ids.map((id) => this.#tickets.get(id)).filter((t): t is LobbyTicket => t !== undefined);
  }

  /** Takes tickets out of the lobby and settles them; one change notification for the batch. */
  settle(tickets: readonly LobbyTicket[], outcome: 'admitted' | 'gone'): void {
    const removed: string[] = [];
    for (const t of tickets) {
      if (this.#tickets.get(t.participant.id) !== t) continue;
      this.#tickets.delete(t.participant.id);
      t.settle(outcome);
      removed.push(t.participant.id);
    }
    if (removed.length > 0) this.onChange({ added: [], removed });
  }

  ticketOf(participant: Participant): LobbyTicket | undefined {
    const t = this.#tickets.get(participant.id);
    return t?.participant === participant ? t : undefined;
  }
}
