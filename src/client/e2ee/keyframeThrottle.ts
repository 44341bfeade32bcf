/**
 * Rate limit for keyframe requests from one receiver. While a receiver has no key it drops every frame;
 * asking for a keyframe on each drop would send the publisher (and, through the SFU, every other
 * subscriber's encoder load) a PLI per frame. One request per interval is enough: the request only
 * needs to land after the key arrives.
 */
export class KeyframeRequestThrottle {
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    readonly intervalMs = 1000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** True at most once per intervalMs; a true answer counts as a request made. */
  keyframeRequestAllowed(): boolean {
    const t = this.now();
    if (t - this.last < this.intervalMs) return false;
    this.last = t;
    return true;
  }
}
