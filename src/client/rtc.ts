/** Small WebRTC helpers shared by the publisher and the subscriber. */

/** No trickle ICE anywhere: host candidates only, so gathering completes fast. */
export const PEER_CONFIG: RTCConfiguration = { iceServers: [], bundlePolicy: 'max-bundle' };

/** Resolves when ICE gathering is complete (or after `timeoutMs`, with whatever was gathered). */
export function waitForIceGathering(pc: RTCPeerConnection, timeoutMs = 5_000): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', onChange);
      pc.removeEventListener('icecandidate', onCandidate);
      resolve();
    };
    const onChange = (): void => {
      if (pc.iceGatheringState === 'complete') done();
    };
    const onCandidate = (event: RTCPeerConnectionIceEvent): void => {
      if (event.candidate === null) done();
    };
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', onChange);
    pc.addEventListener('icecandidate', onCandidate);
  });
}

/** Puts the preferred codec first (e.g. 'video/VP8'), where the browser supports setCodecPreferences. */
export function preferCodec(transceiver: RTCRtpTransceiver, kind: 'audio' | 'video', mimeType: string): void {
  if (typeof transceiver.setCodecPreferences !== 'function') return;
  const capabilities = globalThis.RTCRtpReceiver?.getCapabilities?.(kind);
  if (!capabilities) return;
  const wanted = mimeType.toLowerCase();
  const preferred = capabilities.codecs.filter((codec) => codec.mimeType.toLowerCase() === wanted);
  if (preferred.length === 0) return;
  const rest = capabilities.codecs.filter((codec) => codec.mimeType.toLowerCase() !== wanted);
  try {
    transceiver.setCodecPreferences([...preferred, ...rest]);
  } catch {
    // Some browsers reject some capability lists; the default order still works.
  }
}

export function closePeer(pc: RTCPeerConnection | null): void {
  if (!pc) return;
  try {
    pc.close();
  } catch {
    // Already closed.
  }
}
