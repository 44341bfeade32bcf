/**
 * When the signaling client tries again: exponential backoff with jitter, and which refusals of a
 * rejoin are "not now" rather than "no".
 */

/**
 * Answers to a rejoin that say "not now" rather than "no": retried with backoff. A server that was
 * restarted, or whose media server or database is briefly down, must not strand its participants.
 */
const TRANSIENT: ReadonlySet<string> = new Set([
  'timeout',
  'rate_limited',
  'internal',
  'media_unavailable',
  'storage_unavailable',
]);

export function isTransient(code: string | undefined): boolean {
  return code !== undefined && TRANSIENT.has(code);
}

/** The wait before attempt number `attempt` (0-based): doubling from `initialMs` to `maxMs`, ±25%. */
export function backoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const base = Math.min(maxMs, initialMs * 2 ** attempt);
  return Math.round(base * (0.75 + random() * 0.5));
}
