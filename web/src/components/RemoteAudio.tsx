/** One hidden <audio> per remote participant: the only place remote sound is played. */
import { useEffect, useRef } from 'react';
import { reportAudioBlocked } from '../audioUnlock.js';
import { applySpeaker, onSpeakerChange } from '../room/speaker.js';

export function RemoteAudio({ participantId, stream }: { participantId: string; stream: MediaStream }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    if (audio.srcObject !== stream) audio.srcObject = stream;
    audio.play().catch((error: unknown) => {
      if (error instanceof DOMException && error.name === 'NotAllowedError') reportAudioBlocked();
    });
  }, [stream]);
  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    applySpeaker(audio);
    return onSpeakerChange(() => applySpeaker(audio));
  }, []);
  return <audio ref={ref} autoPlay data-testid="remote-audio" data-participant-id={participantId} />;
}
