/**
 * The single-node bus. Events are copied through JSON on the way, so nothing that would not survive
 * Redis (a Date, a shared object) can be relied on by accident; handler errors are logged, never
 * thrown at the publisher.
 */
import type { Logger } from 'pino';
import type { Bus, BusEvent, BusHandler } from './types.js';

export class InProcessBus implements Bus {
  readonly #handlers = new Set<BusHandler>();
  #closed = false;

  constructor(private readonly log: Logger) {}

  async publish(event: BusEvent): Promise<void> {
    if (this.#closed) throw new Error('bus closed');
    const wire = JSON.stringify(event);
    await Promise.all(
      [...this.#handlers].map(async (handler) => {
        try {
          await handler(JSON.parse(wire) as BusEvent);
        } catch (err) {
          this.log.error({ err, event: event.type }, 'bus handler failed');
        }
      }),
    );
  }

  subscribe(handler: BusHandler): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#handlers.clear();
  }
}
