/**
 * Main-thread side of the SFrame worker: attach encrypt/decrypt transforms and send key updates.
 * The worker does all crypto; this file only wires WebRTC objects to it.
 */
import type { FromWorker, SFrameTransformOptions, ToWorker, TransformCounters } from './messages.js';

export function e2eeSupported(): boolean {
  return typeof globalThis.RTCRtpScriptTransform === 'function';
}

/**
 * Encrypts what `target` sends (RTCRtpSender) or decrypts what it receives (RTCRtpReceiver) in `worker`.
 * Attach before the first frame flows (right after addTrack / ontrack), or early frames go out as is.
 */
export function attachSFrameTransform(
  target: RTCRtpSender | RTCRtpReceiver,
  worker: Worker,
  options: { kind: 'audio' | 'video'; id: string },
): void {
  // Only a sender can replaceTrack; this avoids instanceof, which breaks across realms.
  const operation = 'replaceTrack' in target ? 'encrypt' : 'decrypt';
  const transformOptions: SFrameTransformOptions = { operation, kind: options.kind, id: options.id };
  target.transform = new RTCRtpScriptTransform(worker, transformOptions);
}

function post(worker: Worker, message: ToWorker): void {
  worker.postMessage(message);
}

/** Installs the secret of MLS epoch `epoch` and starts encrypting with it as leaf `senderIndex`. */
export function setEpochKey(
  worker: Worker,
  key: { epoch: number | bigint; secret: Uint8Array; senderIndex: number },
): void {
  post(worker, { type: 'setEpoch', ...key });
}

export function configureSFrame(
  worker: Worker,
  config: Omit<Extract<ToWorker, { type: 'configure' }>, 'type'>,
): void {
  post(worker, { type: 'configure', ...config });
}

/** Forgets every key in the worker (leaving the meeting). */
export function clearKeys(worker: Worker): void {
  post(worker, { type: 'clear' });
}

/** The worker's per-transform counters, fetched now. */
export function requestCounters(worker: Worker): Promise<Record<string, TransformCounters>> {
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent<FromWorker>) => {
      if (event.data.type !== 'counters') return;
      worker.removeEventListener('message', onMessage);
      resolve(event.data.counters);
    };
    worker.addEventListener('message', onMessage);
    post(worker, { type: 'getCounters' });
  });
}
