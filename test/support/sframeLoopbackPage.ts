/**
 * Browser side of test/e2e/sframe-loopback.test.ts (bundled with esbuild): two PeerConnections in one
 * page, the sender's frames encrypted by one SFrame worker and the receiver's decrypted by another,
 * using the real client glue (src/client/e2ee/attachTransform.ts).
 */
import {
  attachSFrameTransform,
  requestCounters,
  setEpochKey,
} from '../../src/client/e2ee/attachTransform.js';
import type { TransformCounters } from '../../src/client/e2ee/messages.js';

export interface LoopbackStats {
  video: { packetsReceived: number; framesReceived: number; framesDecoded: number };
  audio: { packetsReceived: number };
  sender: Record<string, TransformCounters>;
  receiver: Record<string, TransformCounters>;
}

let pcs: RTCPeerConnection[] = [];
let workers: Worker[] = [];

async function start(senderSecret: number[], receiverSecret: number[], senderEpoch = 1): Promise<void> {
  const sendWorker = new Worker('/sframeWorker.js');
  const recvWorker = new Worker('/sframeWorker.js');
  workers = [sendWorker, recvWorker];
  // Sender is leaf 0, receiver leaf 1; the receiver is in MLS epoch 1, the sender in senderEpoch.
  setEpochKey(sendWorker, { epoch: senderEpoch, secret: Uint8Array.from(senderSecret), senderIndex: 0 });
  setEpochKey(recvWorker, { epoch: 1, secret: Uint8Array.from(receiverSecret), senderIndex: 1 });

  const stream = await navigator.mediaDevices.getUserMedia({
    video: { width: 320, height: 240 },
    audio: true,
  });
  const pc1 = new RTCPeerConnection();
  const pc2 = new RTCPeerConnection();
  pcs = [pc1, pc2];
  pc1.onicecandidate = (e) => void (e.candidate && pc2.addIceCandidate(e.candidate));
  pc2.onicecandidate = (e) => void (e.candidate && pc1.addIceCandidate(e.candidate));
  const sink = document.createElement('video');
  sink.muted = true;
  sink.autoplay = true;
  document.body.append(sink);
  pc2.ontrack = (e) => {
    const kind = e.track.kind === 'video' ? 'video' : 'audio';
    attachSFrameTransform(e.receiver, recvWorker, { kind, id: `recv-${kind}` });
    if (kind === 'video') sink.srcObject = new MediaStream([e.track]);
  };
  for (const track of stream.getTracks()) {
    const kind = track.kind === 'video' ? 'video' : 'audio';
    const sender = pc1.addTrack(track, stream);
    attachSFrameTransform(sender, sendWorker, { kind, id: `send-${kind}` });
  }
  // The worker's clear prefix rule is for VP8: negotiate only VP8 for video.
  const vp8 = (RTCRtpReceiver.getCapabilities('video')?.codecs ?? []).filter((c) => /vp8/i.test(c.mimeType));
  for (const t of pc1.getTransceivers()) if (t.sender.track?.kind === 'video') t.setCodecPreferences(vp8);

  await pc1.setLocalDescription(await pc1.createOffer());
  await pc2.setRemoteDescription(pc1.localDescription as RTCSessionDescriptionInit);
  await pc2.setLocalDescription(await pc2.createAnswer());
  await pc1.setRemoteDescription(pc2.localDescription as RTCSessionDescriptionInit);
}

async function stats(): Promise<LoopbackStats> {
  const out: LoopbackStats = {
    video: { packetsReceived: 0, framesReceived: 0, framesDecoded: 0 },
    audio: { packetsReceived: 0 },
    sender: {},
    receiver: {},
  };
  const report = await (pcs[1] as RTCPeerConnection).getStats();
  report.forEach((s: Record<string, unknown>) => {
    if (s.type !== 'inbound-rtp') return;
    if (s.kind === 'video') {
      out.video.packetsReceived = Number(s.packetsReceived ?? 0);
      out.video.framesReceived = Number(s.framesReceived ?? 0);
      out.video.framesDecoded = Number(s.framesDecoded ?? 0);
    } else out.audio.packetsReceived = Number(s.packetsReceived ?? 0);
  });
  const [send, recv] = workers as [Worker, Worker];
  [out.sender, out.receiver] = await Promise.all([requestCounters(send), requestCounters(recv)]);
  return out;
}

function stop(): void {
  for (const pc of pcs) pc.close();
  for (const w of workers) w.terminate();
}

(window as unknown as { sframeLoopback: unknown }).sframeLoopback = { start, stats, stop };
