/**
 * The waiting room of a live meeting. A ticket stands for someone who passed admission but waits for
 * a host: it is admitted (then seated like any join), denied, or cancelled when its connection goes.
 */
import type { LobbyEntry } from '../protocol/messages.js';
import { TypedEmitter } from '../util/TypedEmitter.js';
import type { Participant } from './Participant.js';

export class LobbyTicket extends TypedEmitter<{ admitted: []; denied: []; cancelled: [] }> {
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

  settle(outcome: 'admitted' | 'denied' | 'cancelled'): void {
    if (this.#settled) return;
    this.#settled = true;
    this.emit(outcome);
  }
}

export class Lobby {
  readonly #tickets = new Map<string, LobbyTicket>();

  constructor(private readonly onChange: () => void) {}

  get size(): number {
    return this.#tickets.size;
  }

  entries(): LobbyEntry[] {
    return [...this.#tickets.values()].map((t) => t.entry());
  }

  add(participant: Participant): LobbyTicket {
    const ticket = new LobbyTicket(participant);
    this.#tickets.set(participant.id, ticket);
    // However it ends, the ticket leaves the lobby and the hosts see the new list.
    for (const outcome of ['admitted', 'denied', 'cancelled'] as const) {
      ticket.once(outcome, () => {
        this.#tickets.delete(participant.id);
        this.onChange();
      });
    }
    this.onChange();
    return ticket;
  }

  /** Tickets for the given ids (or all), to admit or deny. */
  take(ids: readonly string[] | 'all'): LobbyTicket[] {
    if (ids === 'all') return [...this.#tickets.values()];
    return ids.map((id) => this.#tickets.get(id)).filter((t): t is LobbyTicket => t !== undefined);
  }

  cancelAll(): void {
    for (const t of [...this.#tickets.values()]) t.settle('denied');
  }
}
