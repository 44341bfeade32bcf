/**
 * Frames that arrive right after the answer to a join, held until whoever awaited the join has taken it
 * in. A browser's WebSocket delivers each message as its own task, so the code after `await join()`
 * (and everything `joined`, `resumed` or `sessionReset` listeners do) runs before the next message.
 * `ws` in Node emits every message of one TCP read synchronously, one after the other: without the hold
 * a `participantJoined` or an `mls*` message that came in the same read as `joined` would be emitted
 * before the caller has set itself up from `joined` (E2EE started, roster taken), and be lost or applied
 * out of order (a participant announced just after our join then looked unannounced to our MLS
 * session, which refuses their Add and fails). The hold makes the order the same on every socket.
 */
export class FrameHold {
  #held: unknown[] | null = null;

  /** Starts holding (the join's answer was just handled). */
  start(): void {
    this.#held ??= [];
  }

  /** Holds `frame` if a hold is on; false when it should be handled now. */
  hold(frame: unknown): boolean {
    if (this.#held === null) return false;
    this.#held.push(frame);
    return true;
  }

  /** Ends the hold and hands each held frame, in order, to `handle` (or drops them if `handle` is null). */
  release(handle: ((frame: unknown) => void) | null): void {
    const held = this.#held;
    this.#held = null;
    if (handle) for (const frame of held ?? []) handle(frame);
  }
}
