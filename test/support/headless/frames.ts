/**
 * Synthetic encoded frames for encrypting headless clients, and their RTP (de)packetization. A browser
 * encrypts whole encoded frames (RTCRtpScriptTransform) and the packetizer then splits the SFrame
 * output into RTP packets; an encrypting HeadlessClient does the same, so what Janus and an outsider
 * see has the browser's shape: the first packet of a VP8 frame starts with the frame's clear bytes (the
 * frame tag, plus start code and size on keyframes), everything after them is SFrame ciphertext.
 *
 * A frame's plaintext is: codec header (Opus TOC, or the VP8 frame tag and keyframe header), a filler
 * pattern that depends on the frame counter, and the 16-byte stamp of ../rtp.ts (one per frame, so
 * video loss and latency are counted per frame, not per packet, for these clients).
 */
import { RtpHeader, RtpPacket } from 'werift';
import { STAMP_BYTES, nowUs, writeStamp } from '../rtp.js';

/** RFC 7741 payload descriptor we write: X=1, S on a frame's first packet, I=1 with a 15-bit picture id. */
const VP8_DESCRIPTOR_BYTES = 4;
/** Room for the SFrame header and tag (KID and CTR of up to 8 bytes each, 16-byte AES-GCM tag). */
const SFRAME_OVERHEAD_MAX = 1 + 8 + 8 + 16;

const randomUint = (bits: 16 | 32) => Math.floor(Math.random() * 2 ** bits);

function fill(frame: Buffer, from: number, counter: number): void {
  // A pattern that differs per frame, so a ciphertext that equals the plaintext could not go unnoticed.
  for (let i = from; i < frame.length - STAMP_BYTES; i++) frame[i] = (i * 7 + counter) & 0xff;
}

/** Opus-like 20 ms frames: TOC byte, filler, stamp. One frame per RTP packet. */
export class AudioFrames {
  #counter = 0;
  constructor(readonly frameBytes: number) {}

  next(): Buffer {
    const frame = Buffer.alloc(Math.max(this.frameBytes, STAMP_BYTES + 1));
    frame[0] = 0x78; // Opus TOC: SILK-only wideband, 20 ms, one frame
    fill(frame, 1, this.#counter);
    writeStamp(frame, this.#counter++, nowUs());
    return frame;
  }
}

/** VP8-like frames (RFC 6386 §9.1 frame tag; keyframes with start code and 640x360), a keyframe per GOP. */
export class Vp8Frames {
  #counter = 0;
  #frameInGop = 0;
  #keyframeRequested = true;

  constructor(
    readonly frameBytes: number,
    readonly framesPerGop: number,
  ) {}

  /** The next frame is a keyframe (PLI/FIR, or a sender that dropped frames while it had no key). */
  requestKeyframe(): void {
    this.#keyframeRequested = true;
  }

  next(): { data: Buffer; keyframe: boolean } {
    if (this.#keyframeRequested || this.#frameInGop >= this.framesPerGop) {
      this.#frameInGop = 0;
      this.#keyframeRequested = false;
    }
    const keyframe = this.#frameInGop++ === 0;
    const frame = Buffer.alloc(Math.max(this.frameBytes, STAMP_BYTES + 10));
    const size = 64; // first_part_size
    frame[0] = ((size & 0x7) << 5) | 0x10 | (keyframe ? 0 : 1); // P = 0 on keyframes, show_frame = 1
    frame[1] = (size >> 3) & 0xff;
    frame[2] = (size >> 11) & 0xff;
    let at = 3;
    if (keyframe) {
      frame.set([0x9d, 0x01, 0x2a], 3);
      frame.writeUInt16LE(640, 6);
      frame.writeUInt16LE(360, 8);
      at = 10;
    }
    fill(frame, at, this.#counter);
    writeStamp(frame, this.#counter++, nowUs());
    return { data: frame, keyframe };
  }
}

/** Plaintext frame size that, once SFrame-encrypted, fits `packets` VP8 packets of `payloadBytes`. */
export function vp8FrameBytes(packets: number, payloadBytes: number): number {
  return packets * (payloadBytes - VP8_DESCRIPTOR_BYTES) - SFRAME_OVERHEAD_MAX;
}

/** Sequence numbers and timestamps of one outgoing RTP stream (werift fills in SSRC and payload type). */
export class RtpStream {
  #seq = randomUint(16);
  #ts = randomUint(32);
  #pictureId = randomUint(16) & 0x7fff;

  constructor(
    readonly payloadType: number,
    readonly tsStep: number,
  ) {}

  /** One packet per frame (audio). */
  single(payload: Buffer): RtpPacket {
    const p = this.#packet(payload, false);
    this.#ts = (this.#ts + this.tsStep) >>> 0;
    return p;
  }

  /** A VP8 frame split into packets of at most `payloadBytes`, each with its payload descriptor. */
  vp8(frame: Uint8Array, payloadBytes: number): RtpPacket[] {
    const chunk = payloadBytes - VP8_DESCRIPTOR_BYTES;
    const packets: RtpPacket[] = [];
    for (let at = 0; at < frame.length; at += chunk) {
      const part = frame.subarray(at, Math.min(frame.length, at + chunk));
      const payload = Buffer.alloc(VP8_DESCRIPTOR_BYTES + part.length);
      payload[0] = 0x80 | (at === 0 ? 0x10 : 0);
      payload[1] = 0x80;
      payload.writeUInt16BE(0x8000 | this.#pictureId, 2);
      payload.set(part, VP8_DESCRIPTOR_BYTES);
      packets.push(this.#packet(payload, at + chunk >= frame.length));
    }
    this.#ts = (this.#ts + this.tsStep) >>> 0;
    this.#pictureId = (this.#pictureId + 1) & 0x7fff;
    return packets;
  }

  #packet(payload: Buffer, marker: boolean): RtpPacket {
    const header = new RtpHeader({
      payloadType: this.payloadType, // replaced by werift with the negotiated payload type
      sequenceNumber: this.#seq,
      timestamp: this.#ts,
      marker,
    });
    this.#seq = (this.#seq + 1) & 0xffff;
    return new RtpPacket(header, payload);
  }
}

/** Length of the RFC 7741 payload descriptor at the start of a VP8 RTP payload, or 0 if it is cut short. */
export function vp8DescriptorLength(payload: Uint8Array): number {
  const b0 = payload[0];
  if (b0 === undefined) return 0;
  let n = 1;
  if (b0 & 0x80) {
    const x = payload[n++];
    if (x === undefined) return 0;
    if (x & 0x80) n += (payload[n] ?? 0) & 0x80 ? 2 : 1; // picture id, 7 or 15 bits
    if (x & 0x40) n += 1; // TL0PICIDX
    if (x & 0x30) n += 1; // TID/Y/KEYIDX
  }
  return n <= payload.length ? n : 0;
}

/**
 * Reassembles VP8 frames from RTP packets: a frame starts at a packet with S=1 and partition 0, runs
 * over consecutive sequence numbers with one timestamp, and ends at the marker bit. A frame with a
 * missing packet is dropped (its stamp then shows as a gap), as a browser's jitter buffer would.
 */
export class Vp8Depacketizer {
  #parts: Uint8Array[] = [];
  #nextSeq = -1;
  #ts = -1;

  push(rtp: RtpPacket): Uint8Array | undefined {
    const { payload, header } = rtp;
    const n = vp8DescriptorLength(payload);
    if (n === 0) return this.#reset();
    const start = ((payload[0] ?? 0) & 0x17) === 0x10; // S=1, PID=0
    if (start) {
      this.#parts = [];
      this.#ts = header.timestamp;
    } else if (header.sequenceNumber !== this.#nextSeq || header.timestamp !== this.#ts) {
      return this.#reset();
    }
    this.#parts.push(payload.subarray(n));
    this.#nextSeq = (header.sequenceNumber + 1) & 0xffff;
    if (!header.marker) return undefined;
    const frame = Buffer.concat(this.#parts);
    this.#reset();
    return frame;
  }

  #reset(): undefined {
    this.#parts = [];
    this.#nextSeq = -1;
    this.#ts = -1;
    return undefined;
  }
}
