/**
 * Synthetic RTP for headless clients: Opus-like audio packets and VP8-like video packets whose payloads
 * end in a 16-byte stamp (magic, per-stream counter, send time in microseconds). Janus rewrites SSRC,
 * sequence numbers and timestamps but forwards payloads unchanged, so a receiver can read the stamp to
 * measure latency (sender and receiver share one clock on one machine) and loss (gaps in the counter).
 */
import { RtpHeader, RtpPacket } from 'werift';

/** Bytes at the end of every synthetic payload: magic (4), counter (4), send time in µs (8, float64). */
export const STAMP_BYTES = 16;
export const STAMP_MAGIC = 0x43564e31; // "CVN1"

/** Wall-clock time in microseconds, comparable across processes on one machine. */
export function nowUs(): number {
  return (performance.timeOrigin + performance.now()) * 1000;
}

export interface Stamp {
  /** Per-stream packet counter, starting at 0, never reset while the sending client lives. */
  counter: number;
  /** Send time in microseconds (see nowUs). */
  sentUs: number;
}

export function writeStamp(payload: Buffer, counter: number, sentUs: number): void {
  const at = payload.length - STAMP_BYTES;
  payload.writeUInt32BE(STAMP_MAGIC, at);
  payload.writeUInt32BE(counter >>> 0, at + 4);
  payload.writeDoubleBE(sentUs, at + 8);
}

/** Reads the stamp at the end of a payload, or undefined if the payload carries none. */
export function readStamp(payload: Buffer): Stamp | undefined {
  const at = payload.length - STAMP_BYTES;
  if (at < 0 || payload.readUInt32BE(at) !== STAMP_MAGIC) return undefined;
  return { counter: payload.readUInt32BE(at + 4), sentUs: payload.readDoubleBE(at + 8) };
}

function randomUint(bits: 16 | 32): number {
  return Math.floor(Math.random() * 2 ** bits);
}

/** Opus-like audio: one packet per 1/pps s, RTP clock 48 kHz, payload = TOC byte + filler + stamp. */
export class SyntheticAudio {
  #seq = randomUint(16);
  #ts = randomUint(32);
  #counter = 0;
  readonly #tsStep: number;
  readonly #payloadBytes: number;

  constructor(pps: number, payloadBytes = 60) {
    this.#tsStep = Math.max(1, Math.round(48_000 / pps));
    this.#payloadBytes = Math.max(payloadBytes, STAMP_BYTES + 1);
  }

  get sent(): number {
    return this.#counter;
  }

  next(): RtpPacket {
    const payload = Buffer.alloc(this.#payloadBytes);
    payload[0] = 0x78; // Opus TOC: SILK-only wideband, 20 ms, one frame
    writeStamp(payload, this.#counter++, nowUs());
    const header = new RtpHeader({
      payloadType: 111, // replaced by werift with the negotiated payload type
      sequenceNumber: this.#seq,
      timestamp: this.#ts,
      marker: false,
    });
    this.#seq = (this.#seq + 1) & 0xffff;
    this.#ts = (this.#ts + this.#tsStep) >>> 0;
    return new RtpPacket(header, payload);
  }
}

/**
 * VP8-like video: frames of `packetsPerFrame` packets (about 25 fps), a keyframe every second or when
 * asked for one (PLI/FIR). Each packet has a valid VP8 payload descriptor (RFC 7741); the first packet
 * of a frame carries the VP8 frame tag (P bit 0 = keyframe) and, for keyframes, the start code and a
 * 640x360 size, which is what Janus's janus_vp8_is_keyframe() parses. The marker bit ends a frame.
 */
export class SyntheticVideo {
  #seq = randomUint(16);
  #ts = randomUint(32);
  #counter = 0;
  #pictureId = randomUint(16) & 0x7fff;
  #packetInFrame = 0;
  #frameInGop = 0;
  #keyframeRequested = true;
  readonly #packetsPerFrame: number;
  readonly #framesPerGop: number;
  readonly #tsStep: number;
  readonly #payloadBytes: number;

  constructor(pps: number, payloadBytes = 1000) {
    this.#packetsPerFrame = Math.max(1, Math.round(pps / 25));
    const fps = pps / this.#packetsPerFrame;
    this.#framesPerGop = Math.max(1, Math.floor(fps));
    this.#tsStep = Math.max(1, Math.round(90_000 / fps));
    this.#payloadBytes = Math.max(payloadBytes, STAMP_BYTES + 16);
  }

  get sent(): number {
    return this.#counter;
  }

  /** The next frame starts with a keyframe (call on PLI/FIR). */
  requestKeyframe(): void {
    this.#keyframeRequested = true;
  }

  next(): RtpPacket {
    const first = this.#packetInFrame === 0;
    if (first) {
      if (this.#keyframeRequested || this.#frameInGop >= this.#framesPerGop) {
        this.#frameInGop = 0;
        this.#keyframeRequested = false;
      }
    }
    const keyframe = this.#frameInGop === 0;
    const last = this.#packetInFrame === this.#packetsPerFrame - 1;
    const payload = Buffer.alloc(this.#payloadBytes);
    // Payload descriptor: X=1, S=start of partition on the first packet, PID=0; then I=1 with a 15-bit
    // picture id (M=1), like browsers send.
    payload[0] = 0x80 | (first ? 0x10 : 0);
    payload[1] = 0x80; // I: picture id present
    payload.writeUInt16BE(0x8000 | this.#pictureId, 2);
    let at = 4;
    if (first) {
      // Frame tag: P (bit 0) = 0 for keyframes, version 0, show_frame = 1, first_part_size = 64.
      const size = 64;
      payload[at] = ((size & 0x7) << 5) | 0x10 | (keyframe ? 0 : 1);
      payload[at + 1] = (size >> 3) & 0xff;
      payload[at + 2] = (size >> 11) & 0xff;
      at += 3;
      if (keyframe) {
        payload[at] = 0x9d;
        payload[at + 1] = 0x01;
        payload[at + 2] = 0x2a;
        payload.writeUInt16LE(640, at + 3);
        payload.writeUInt16LE(360, at + 5);
      }
    }
    writeStamp(payload, this.#counter++, nowUs());
    const header = new RtpHeader({
      payloadType: 96, // replaced by werift with the negotiated payload type
      sequenceNumber: this.#seq,
      timestamp: this.#ts,
      marker: last,
    });
    this.#seq = (this.#seq + 1) & 0xffff;
    if (last) {
      this.#packetInFrame = 0;
      this.#frameInGop++;
      this.#ts = (this.#ts + this.#tsStep) >>> 0;
      this.#pictureId = (this.#pictureId + 1) & 0x7fff;
    } else {
      this.#packetInFrame++;
    }
    return new RtpPacket(header, payload);
  }
}

/** Percentile (0..100) of a list of numbers by nearest rank; NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
