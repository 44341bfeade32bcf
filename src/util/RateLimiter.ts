/**
 * Counts events per key in fixed windows and says when a key has used up its allowance. Memory is
 * bounded: expired windows are dropped as new keys arrive, and past `maxKeys` the oldest are evicted.
 */
export class RateLimiter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether the key has no allowance left in its current window. */
  limited(key: string): boolean {
    const w = this.#windows.get(key);
    return w !== undefined && w.resetAt > this.now() && w.count >= this.limit;
  }

  /** Counts one event for the key. */
  record(key: string): void {
    const now = this.now();
    const w = this.#windows.get(key);
    if (w && w.resetAt > now) {
      w.count++;
      return;
    }
    this.#windows.delete(key);
    this.#windows.set(key, { count: 1, resetAt: now + this.windowMs });
    if (this.#windows.size > this.maxKeys) this.#prune(now);
  }

  reset(key: string): void {
    this.#windows.delete(key);
  }

  #prune(now: number): void {
    for (const [k, w] of this.#windows) if (w.resetAt <= now) this.#windows.delete(k);
    // Still too many live keys: Map iteration is insertion order, so the oldest go first.
    for (const k of this.#windows.keys()) {
      if (this.#windows.size <= this.maxKeys) break;
      this.#windows.delete(k);
    }
  }
}
