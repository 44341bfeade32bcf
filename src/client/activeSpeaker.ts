/**
 * Who is speaking: polls the audio level of every remote audio receiver (RTP audio-level data from
 * `getSynchronizationSources()`, falling back to the receiver's stats) and of the local microphone
 * (a Web Audio analyser) about five times a second, with hysteresis so that highlights do not flicker.
 */

export interface AudioReceiverSource {
  participantId: string;
  receiver: RTCRtpReceiver;
}

export interface ActiveSpeakerOptions {
  remote: () => readonly AudioReceiverSource[];
  /** The local participant's id and level (0..1), if known. */
  local?: () => { participantId: string; level: number } | null;
  onChange: (speaking: ReadonlySet<string>, activeSpeakerId: string | null) => void;
  intervalMs?: number;
  /** Smoothed level above which someone starts speaking. */
  startLevel?: number;
  /** Smoothed level below which someone stops speaking (after `holdMs`). */
  stopLevel?: number;
  holdMs?: number;
}

interface Track {
  level: number;
  speaking: boolean;
  quietSince: number;
}

export class ActiveSpeakerDetector {
  private readonly opts: Required<Omit<ActiveSpeakerOptions, 'local'>> & Pick<ActiveSpeakerOptions, 'local'>;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly tracks = new Map<string, Track>();
  private active: string | null = null;
  private challenger: { id: string; ticks: number } | null = null;
  private polling = false;
  private lastKey = '';

  constructor(options: ActiveSpeakerOptions) {
    this.opts = { intervalMs: 200, startLevel: 0.035, stopLevel: 0.015, holdMs: 800, ...options };
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => void this.poll(), this.opts.intervalMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.tracks.clear();
    this.active = null;
    this.challenger = null;
    this.lastKey = '';
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const levels = new Map<string, number>();
      await Promise.all(
        this.opts.remote().map(async ({ participantId, receiver }) => {
          const level = await receiverLevel(receiver);
          levels.set(participantId, Math.max(levels.get(participantId) ?? 0, level));
        }),
      );
      const local = this.opts.local?.();
      if (local) levels.set(local.participantId, local.level);
      if (this.timer !== null) this.update(levels, performance.now());
    } finally {
      this.polling = false;
    }
  }

  private update(levels: Map<string, number>, now: number): void {
    for (const id of this.tracks.keys()) if (!levels.has(id)) this.tracks.delete(id);
    for (const [id, raw] of levels) {
      const track = this.tracks.get(id) ?? { level: 0, speaking: false, quietSince: now };
      // Fast attack, slow release.
      track.level = raw > track.level ? raw : track.level * 0.6 + raw * 0.4;
      if (track.level >= this.opts.startLevel) {
        track.speaking = true;
        track.quietSince = now;
      } else if (track.level >= this.opts.stopLevel) {
        track.quietSince = now;
      } else if (track.speaking && now - track.quietSince >= this.opts.holdMs) {
        track.speaking = false;
      }
      this.tracks.set(id, track);
    }
    this.pickActive();
    const speaking = new Set([...this.tracks].filter(([, track]) => track.speaking).map(([id]) => id));
    const key = `${[...speaking].sort().join(',')}|${this.active ?? ''}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.opts.onChange(speaking, this.active);
  }

  /** The loudest speaker takes over only after being clearly louder for three polls in a row. */
  private pickActive(): void {
    let loudest: string | null = null;
    let loudestLevel = 0;
    for (const [id, track] of this.tracks) {
      if (track.speaking && track.level > loudestLevel) {
        loudest = id;
        loudestLevel = track.level;
      }
    }
    if (this.active !== null && !this.tracks.has(this.active)) this.active = null;
    if (loudest === null || loudest === this.active) {
      this.challenger = null;
      return;
    }
    const current = this.active === null ? undefined : this.tracks.get(this.active);
    if (!current || !current.speaking) {
      this.active = loudest;
      this.challenger = null;
      return;
    }
    if (loudestLevel < current.level * 1.3) {
      this.challenger = null;
      return;
    }
    this.challenger =
      this.challenger?.id === loudest
        ? { id: loudest, ticks: this.challenger.ticks + 1 }
        : { id: loudest, ticks: 1 };
    if (this.challenger.ticks >= 3) {
      this.active = loudest;
      this.challenger = null;
    }
  }
}

async function receiverLevel(receiver: RTCRtpReceiver): Promise<number> {
  let sawSource = false;
  if (typeof receiver.getSynchronizationSources === 'function') {
    for (const source of receiver.getSynchronizationSources()) {
      if (!isFresh(source.timestamp)) continue;
      sawSource = true;
      if (typeof source.audioLevel === 'number') return source.audioLevel;
    }
  }
  if (!sawSource) return 0; // No recent packets: muted or not flowing.
  try {
    const stats = await receiver.getStats();
    for (const report of stats.values()) {
      const entry = report as { type?: string; audioLevel?: unknown };
      if (entry.type === 'inbound-rtp' && typeof entry.audioLevel === 'number') return entry.audioLevel;
    }
  } catch {
    // Fall through.
  }
  return 0;
}

/** Browsers disagree on the clock of RTCRtpSynchronizationSource.timestamp; accept any of them. */
function isFresh(timestamp: number): boolean {
  const now = performance.now();
  const candidates = [now, performance.timeOrigin + now, Date.now()];
  return candidates.some((clock) => Math.abs(clock - timestamp) < 1_500);
}

/** The level (0..1, RMS of the waveform) of a local microphone track, read on demand. */
export class LocalAudioLevel {
  private context: AudioContext | null = null;
  private source: MediaStreamAudioSourceNode | null = null;
  private analyser: AnalyserNode | null = null;
  private buffer: Float32Array<ArrayBuffer> = new Float32Array(1024);
  private track: MediaStreamTrack | null = null;

  setTrack(track: MediaStreamTrack | null): void {
    if (track === this.track) return;
    this.track = track;
    this.source?.disconnect();
    this.source = null;
    if (!track) return;
    const AudioContextCtor = globalThis.AudioContext as typeof AudioContext | undefined;
    if (!AudioContextCtor) return;
    try {
      this.context ??= new AudioContextCtor();
      this.analyser ??= this.context.createAnalyser();
      this.analyser.fftSize = 1024;
      this.buffer = new Float32Array(this.analyser.fftSize);
      this.source = this.context.createMediaStreamSource(new MediaStream([track]));
      this.source.connect(this.analyser);
    } catch {
      this.source = null;
    }
  }

  /** Current level; 0 while muted (a disabled track yields silence). */
  level(): number {
    if (!this.analyser || !this.context || !this.track || !this.track.enabled) return 0;
    if (this.context.state === 'suspended') void this.context.resume().catch(() => undefined);
    this.analyser.getFloatTimeDomainData(this.buffer);
    let sum = 0;
    for (const sample of this.buffer) sum += sample * sample;
    return Math.sqrt(sum / this.buffer.length);
  }

  close(): void {
    this.source?.disconnect();
    this.source = null;
    this.track = null;
    void this.context?.close().catch(() => undefined);
    this.context = null;
    this.analyser = null;
  }
}
