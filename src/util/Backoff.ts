/**
 * Growing delays per key: the first `free` failures cost nothing, then each further failure doubles
 * the wait before the key may try again (from `baseMs` up to `maxMs`). A key is forgotten after
 * `forgetAfterMs` without failures. Memory is bounded like RateLimiter's: past `maxKeys` the oldest
 * keys are dropped.
 */
export interface BackoffOptions {
  free: number;
  baseMs: number;
  maxMs: number;
  forgetAfterMs: number;
  maxKeys?: number;
  now?: () => number;
}

export class Backoff {
  readonly #keys = new Map<string, { failures: number; lastAt: number }>();
  readonly #now: () => number;

  constructor(private readonly options: BackoffOptions) {
    this.#now = options.now ?? Date.now;
  }

  /** Milliseconds until the key may try again; 0 when it may try now. */
  retryAfterMs(key: string): number {
    const entry = this.#live(key);
    if (!entry || entry.failures < this.options.free) return 0;
    const { baseMs, maxMs, free } = this.options;
    const delay = Math.min(maxMs, baseMs * 2 ** Math.min(30, entry.failures - free));
    return Math.max(0, entry.lastAt + delay - this.#now());
  }

  /** Counts one failure (or one reserved attempt: see `refund`). */
  fail(key: string): void {
    const now = this.#now();
    const entry = this.#live(key);
    this.#keys.delete(key);
    this.#keys.set(key, { failures: (entry?.failures ?? 0) + 1, lastAt: now });
    const maxKeys = this.options.maxKeys ?? 100_000;
    for (const k of this.#keys.keys()) {
      if (this.#keys.size <= maxKeys) break;
      this.#keys.delete(k);
    }
  }

  /** Takes back one reserved failure, for an attempt that turned out to succeed. */
  refund(key: string): void {
    const entry = this.#keys.get(key);
    if (!entry) return;
    if (entry.failures <= 1) this.#keys.delete(key);
    else entry.failures--;
  }

  #live(key: string): { failures: number; lastAt: number } | undefined {
    const entry = this.#keys.get(key);
    if (entry && entry.lastAt + this.options.forgetAfterMs <= this.#now()) {
      this.#keys.delete(key);
      return undefined;
    }
    return entry;
  }
}

/** Counts operations in flight per key, so a key can be held to a few at a time. */
export class InFlight {
  readonly #counts = new Map<string, number>();

  constructor(private readonly cap: number) {}

  /** Takes a slot for the key, or returns false when it already has `cap` in flight. */
  tryEnter(key: string): boolean {
    const n = this.#counts.get(key) ?? 0;
    if (n >= this.cap) return false;
    this.#counts.set(key, n + 1);
    return true;
  }

  leave(key: string): void {
    const n = (this.#counts.get(key) ?? 1) - 1;
    if (n <= 0) this.#counts.delete(key);
    else this.#counts.set(key, n);
  }
}
