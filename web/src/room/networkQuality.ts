/**
 * Connection quality per remote participant from WebRTC receiver stats, polled every 2 s (never
 * faster): packet loss over the last interval, round-trip time of the selected candidate pair, and
 * the video frame rate. Good: loss < 2 % and RTT < 300 ms (and ≥ 15 fps while video comes in); poor:
 * loss ≥ 10 %, RTT ≥ 700 ms or < 8 fps; fair in between.
 */
export type QualityLevel = 'good' | 'fair' | 'poor' | 'unknown';

export interface QualitySample {
  level: QualityLevel;
  /** Fraction of packets lost in the last interval (0..1). */
  loss: number;
  /** Round-trip time in milliseconds, or null when unknown. */
  rttMs: number | null;
  /** Received video frames per second, or null without video. */
  fps: number | null;
}

export interface ReceiverSource {
  participantId: string;
  kind: 'audio' | 'video';
  receiver: RTCRtpReceiver;
}

export const POLL_MS = 2000;

interface Counters {
  received: number;
  lost: number;
}

export function classify(loss: number, rttMs: number | null, fps: number | null): QualityLevel {
  if (loss >= 0.1 || (rttMs !== null && rttMs >= 700) || (fps !== null && fps < 8)) return 'poor';
  if (loss >= 0.02 || (rttMs !== null && rttMs >= 300) || (fps !== null && fps < 15)) return 'fair';
  return 'good';
}

export class NetworkQuality {
  private timer: ReturnType<typeof setInterval> | null = null;
  private previous = new Map<string, Counters>();
  private samples: Readonly<Record<string, QualitySample>> = {};
  private readonly listeners = new Set<() => void>();
  private running = false;

  constructor(private readonly sources: () => readonly ReceiverSource[]) {}

  get current(): Readonly<Record<string, QualitySample>> {
    return this.samples;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (!this.timer) this.timer = setInterval(() => void this.poll(), POLL_MS);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  };

  private async poll(): Promise<void> {
    if (this.running) return; // A slow getStats never piles up polls.
    this.running = true;
    try {
      const byPerson = new Map<
        string,
        { received: number; lost: number; rtt: number | null; fps: number | null }
      >();
      for (const { participantId, kind, receiver } of this.sources()) {
        const report = await receiver.getStats();
        const entry = byPerson.get(participantId) ?? { received: 0, lost: 0, rtt: null, fps: null };
        report.forEach((stat: Record<string, unknown>) => {
          if (stat.type === 'inbound-rtp') {
            entry.received += Number(stat.packetsReceived ?? 0);
            entry.lost += Math.max(0, Number(stat.packetsLost ?? 0));
            if (kind === 'video' && typeof stat.framesPerSecond === 'number')
              entry.fps = stat.framesPerSecond;
          } else if (stat.type === 'candidate-pair' && stat.nominated === true) {
            if (typeof stat.currentRoundTripTime === 'number') entry.rtt = stat.currentRoundTripTime * 1000;
          }
        });
        byPerson.set(participantId, entry);
      }
      const next: Record<string, QualitySample> = {};
      const counters = new Map<string, Counters>();
      for (const [id, now] of byPerson) {
        const before = this.previous.get(id);
        counters.set(id, { received: now.received, lost: now.lost });
        if (!before) {
          next[id] = { level: 'unknown', loss: 0, rttMs: now.rtt, fps: now.fps };
          continue;
        }
        const received = now.received - before.received;
        const lost = now.lost - before.lost;
        const loss = received + lost > 0 ? Math.max(0, lost) / (received + lost) : 0;
        next[id] = { level: classify(loss, now.rtt, now.fps), loss, rttMs: now.rtt, fps: now.fps };
      }
      this.previous = counters;
      this.samples = next;
      for (const listener of this.listeners) listener();
    } catch {
      // A closed PeerConnection mid-poll: try again next time.
    } finally {
      this.running = false;
    }
  }
}
