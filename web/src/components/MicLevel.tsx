/** A small live level meter for the local microphone (pre-join check). */
import { useEffect, useRef, useState } from 'react';
import { LocalAudioLevel } from '../../../src/client/activeSpeaker.js';

export function MicLevel({ track }: { track: MediaStreamTrack | null }) {
  const meter = useRef<LocalAudioLevel | null>(null);
  const [level, setLevel] = useState(0);
  useEffect(() => {
    const current = new LocalAudioLevel();
    meter.current = current;
    return () => current.close();
  }, []);
  useEffect(() => {
    meter.current?.setTrack(track);
    if (!track) return;
    const timer = setInterval(() => setLevel(meter.current?.level() ?? 0), 100);
    return () => clearInterval(timer);
  }, [track]);
  // Speech RMS sits around 0.02-0.2: map it to 0..1 on a log-ish scale.
  const scaled = Math.min(1, Math.sqrt(level * 8));
  return (
    <span className="mic-level" aria-hidden="true">
      {[0.15, 0.35, 0.55].map((threshold) => (
        <i key={threshold} className={scaled > threshold ? 'lit' : ''} />
      ))}
    </span>
  );
}
