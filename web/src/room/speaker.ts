/** Sound output choice (setSinkId where the browser has it) and a short test tone. */
type SinkCapable = { setSinkId(id: string): Promise<void> };

const KEY = 'convene.speakerDeviceId';
const listeners = new Set<() => void>();

export function speakerChoiceSupported(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

export function speakerDeviceId(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setSpeakerDeviceId(id: string): void {
  try {
    window.localStorage.setItem(KEY, id);
  } catch {
    // Not remembered.
  }
  for (const listener of listeners) listener();
}

export function onSpeakerChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Routes an element's sound to the chosen speaker (no-op without setSinkId). */
export function applySpeaker(element: HTMLMediaElement, deviceId = speakerDeviceId()): void {
  if (!deviceId || !speakerChoiceSupported()) return;
  (element as unknown as SinkCapable).setSinkId(deviceId).catch(() => undefined);
}

/** Plays a short two-note chime through the chosen speaker. */
export function playTestSound(): void {
  const Context = window.AudioContext;
  if (!Context) return;
  const context = new Context();
  const deviceId = speakerDeviceId();
  if (deviceId && 'setSinkId' in context)
    (context as unknown as SinkCapable).setSinkId(deviceId).catch(() => undefined);
  const gain = context.createGain();
  gain.connect(context.destination);
  const now = context.currentTime;
  [660, 880].forEach((frequency, i) => {
    const osc = context.createOscillator();
    osc.frequency.value = frequency;
    osc.connect(gain);
    osc.start(now + i * 0.25);
    osc.stop(now + i * 0.25 + 0.22);
  });
  gain.gain.setValueAtTime(0.15, now);
  setTimeout(() => void context.close().catch(() => undefined), 800);
}
