/**
 * Counts what each key holds right now (open sockets, seats) against one limit. Unlike RateLimiter,
 * which counts events in a window, a unit here is held until it is released, and a key with nothing
 * held takes no memory.
 */
export class KeyedQuota {
  readonly #held = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** What the key holds now. */
  held(key: string): number {
    return this.#held.get(key) ?? 0;
  }

  /**
   * Takes one unit for the key when it is under the limit, and returns the function that gives it
   * back (idempotent); undefined when the key is at its limit and nothing was taken.
   */
  acquire(key: string): (() => void) | undefined {
    const held = this.held(key);
    if (held >= this.limit) return undefined;
    this.#held.set(key, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = this.held(key) - 1;
      if (now > 0) this.#held.set(key, now);
      else this.#held.delete(key);
    };
  }
}
