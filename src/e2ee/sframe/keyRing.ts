/**
 * The SFrame key ring for one member of an MLS group: the current epoch's secret plus the previous
 * epochs for a short grace period, so frames encrypted just before an epoch change still decrypt.
 * Keys are derived per KID on first use and cached for the epoch.
 */
import type { Bytes } from './bytes.js';
import { DEFAULT_KID_LAYOUT, checkLayout, mlsKid, parseMlsKid, type KidLayout } from './mls.js';
import { decrypt, deriveKey, encrypt, type DecryptResult, type SFrameKey } from './sframe.js';
import { CipherSuite, suiteParams, type CipherSuiteId } from './suites.js';

export interface KeyRingOptions {
  readonly suite?: CipherSuiteId;
  readonly layout?: KidLayout;
  /** How long a superseded epoch still decrypts, in ms (default 5000). It never encrypts again. */
  readonly retainPreviousMs?: number;
  /**
   * The KID context we encrypt with (§5.2; default 0, the shortest KID). (KID, CTR) must never repeat,
   * and each new ring starts CTR at 0: if two rings could encrypt for the same epoch and leaf (two
   * workers, or a worker recreated mid-epoch and handed the current secret again), give each its own
   * context, or AES-GCM nonces repeat.
   */
  readonly senderContext?: bigint;
  /** Clock in ms; injectable so expiry is tested without waiting. */
  readonly now?: () => number;
}

export type KeyRingDecryptResult =
  | (DecryptResult & { readonly ok: true; readonly epoch: bigint; readonly senderIndex: number })
  | (DecryptResult & { readonly ok: false });

interface EpochState {
  readonly epoch: bigint;
  readonly baseKey: Bytes;
  readonly ownIndex: number;
  /** When this epoch stops decrypting; Infinity while it is current. */
  expiresAt: number;
  readonly keys: Map<bigint, Promise<SFrameKey>>;
}

/**
 * A frame may name any KID, so a forged stream could make us derive (and cache) keys for 2^(64-S-E)
 * contexts. Bounding the cache bounds that memory; honest senders use one or a few contexts.
 */
const MAX_KEYS_PER_EPOCH = 4096;

export class SFrameKeyRing {
  readonly suite: CipherSuiteId;
  readonly layout: KidLayout;
  readonly retainPreviousMs: number;
  readonly senderContext: bigint;
  private readonly now: () => number;
  /** Keyed by the epoch's low E bits: that is all a KID carries. */
  private readonly epochs = new Map<number, EpochState>();
  private current: EpochState | undefined;
  /**
   * Never reset, not by a new epoch nor by clear(): so (KID, CTR) cannot repeat within this ring even if
   * the same epoch secret is installed again (e.g. clear() and rejoin). Costs at most a few header bytes.
   */
  private ctr = 0n;

  constructor(options: KeyRingOptions = {}) {
    this.suite = options.suite ?? CipherSuite.AES_128_GCM_SHA256_128;
    suiteParams(this.suite);
    this.layout = options.layout ?? DEFAULT_KID_LAYOUT;
    checkLayout(this.layout);
    this.retainPreviousMs = options.retainPreviousMs ?? 5000;
    this.senderContext = options.senderContext ?? 0n;
    mlsKid(this.layout, 0n, 0, this.senderContext); // throws if the context does not fit the layout
    this.now = options.now ?? (() => Date.now());
  }

  /** The current epoch, or undefined before the first setEpoch. */
  get epoch(): bigint | undefined {
    return this.current?.epoch;
  }

  /**
   * Installs the secret for MLS epoch `epoch` (the exporter output, Nk bytes) and makes it the one we
   * encrypt with, as member `ownIndex` (our leaf index). The previous epoch keeps decrypting for
   * retainPreviousMs.
   */
  setEpoch(epoch: bigint | number, baseKey: Uint8Array, ownIndex: number): void {
    const e = BigInt(epoch);
    const nk = suiteParams(this.suite).nk;
    if (baseKey.length !== nk)
      throw new RangeError(`epoch secret must be ${nk} bytes, got ${baseKey.length}`);
    if (this.current && e <= this.current.epoch)
      throw new RangeError(`epoch ${e} is not newer than the current epoch ${this.current.epoch}`);
    mlsKid(this.layout, e, ownIndex); // validates ownIndex against the layout before changing anything
    const now = this.now();
    this.prune(now);
    if (this.current) this.current.expiresAt = now + this.retainPreviousMs;
    const low = this.epochLow(e);
    // §5.2: an epoch whose low E bits collide with the new one MUST go, whatever its grace period.
    const state: EpochState = {
      epoch: e,
      baseKey: Uint8Array.from(baseKey),
      ownIndex,
      expiresAt: Infinity,
      keys: new Map(),
    };
    this.epochs.set(low, state);
    this.current = state;
  }

  /** Forgets every key (leaving the meeting). */
  clear(): void {
    this.epochs.clear();
    this.current = undefined;
  }

  /** Encrypts with our key for the current epoch; throws if there is none yet. */
  async encrypt(plaintext: Bytes, metadata: Bytes): Promise<Bytes> {
    const state = this.current;
    if (!state) throw new Error('SFrame: no epoch secret yet');
    const kid = mlsKid(this.layout, state.epoch, state.ownIndex, this.senderContext);
    // Taken synchronously before any await, so concurrent calls never share a CTR.
    const ctr = this.ctr++;
    return encrypt(await this.keyFor(state, kid), ctr, metadata, plaintext);
  }

  async decrypt(sframeCiphertext: Bytes, metadata: Bytes): Promise<KeyRingDecryptResult> {
    let found: { state: EpochState; senderIndex: number } | undefined;
    const result = await decrypt(
      (kid) => {
        const parsed = parseMlsKid(this.layout, kid);
        const state = this.epochs.get(parsed.epochLow);
        if (!state) return undefined;
        if (this.now() >= state.expiresAt) {
          this.epochs.delete(parsed.epochLow);
          return undefined;
        }
        // RFC 9605 §4.4.1: a key is for encryption or decryption, never both. Our own KID is ours to
        // encrypt with, so a frame claiming it is not decrypted with it.
        if (parsed.senderIndex === state.ownIndex) return undefined;
        found = { state, senderIndex: parsed.senderIndex };
        return this.keyFor(state, kid);
      },
      metadata,
      sframeCiphertext,
    );
    if (result.ok && found) return { ...result, epoch: found.state.epoch, senderIndex: found.senderIndex };
    if (result.ok) return { ok: false, reason: 'noKey', kid: result.kid };
    return result;
  }

  private keyFor(state: EpochState, kid: bigint): Promise<SFrameKey> {
    let key = state.keys.get(kid);
    if (!key) {
      if (state.keys.size >= MAX_KEYS_PER_EPOCH) state.keys.clear();
      key = deriveKey(this.suite, kid, state.baseKey);
      state.keys.set(kid, key);
    }
    return key;
  }

  private epochLow(epoch: bigint): number {
    return Number(epoch & ((1n << BigInt(this.layout.epochBits)) - 1n));
  }

  private prune(now: number): void {
    for (const [low, state] of this.epochs) if (now >= state.expiresAt) this.epochs.delete(low);
  }
}
