/** A <video> bound to a MediaStream (srcObject is not a React prop). Always muted: audio plays elsewhere. */
import { useEffect, useRef } from 'react';

interface Props {
  stream: MediaStream;
  mirrored?: boolean;
  fit?: 'cover' | 'contain';
  className?: string;
  'data-testid'?: string;
  'data-participant-id'?: string;
  'data-source'?: string;
  /** An accessible name (the element is otherwise ignored by screen readers). */
  label?: string;
}

export function MediaVideo({ stream, mirrored = false, fit = 'cover', className, label, ...data }: Props) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    if (video.srcObject !== stream) video.srcObject = stream;
    // Muted video may always autoplay; a rejected play() only means the element is not visible yet.
    video.play().catch(() => undefined);
  }, [stream]);
  return (
    <video
      ref={ref}
      className={['media-video', `fit-${fit}`, mirrored ? 'mirrored' : '', className ?? ''].join(' ').trim()}
      autoPlay
      playsInline
      muted
      disablePictureInPicture
      {...(label ? { 'aria-label': label } : { 'aria-hidden': true })}
      {...data}
    />
  );
}
