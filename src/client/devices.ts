/**
 * Cameras and microphones: list them, open one, and watch for plug/unplug. Device switching on a
 * live call is LocalMedia's job (it opens the new device here and the publisher swaps the track).
 */
import { ClientError } from './ClientError.js';

export interface DeviceOption {
  deviceId: string;
  label: string;
}

export interface DeviceList {
  cameras: DeviceOption[];
  microphones: DeviceOption[];
  speakers: DeviceOption[];
}

export async function listDevices(): Promise<DeviceList> {
  const list: DeviceList = { cameras: [], microphones: [], speakers: [] };
  const devices = navigator.mediaDevices;
  if (!devices?.enumerateDevices) return list;
  const all = await devices.enumerateDevices();
  const counters = { videoinput: 0, audioinput: 0, audiooutput: 0 };
  for (const device of all) {
    if (!device.deviceId) continue; // No permission yet: labels and ids are hidden.
    const index = ++counters[device.kind];
    if (device.kind === 'videoinput') {
      list.cameras.push({ deviceId: device.deviceId, label: device.label || `Camera ${index}` });
    } else if (device.kind === 'audioinput') {
      list.microphones.push({ deviceId: device.deviceId, label: device.label || `Microphone ${index}` });
    } else {
      list.speakers.push({ deviceId: device.deviceId, label: device.label || `Speaker ${index}` });
    }
  }
  return list;
}

/** Calls `callback` when devices are plugged in or out; returns the unsubscribe function. */
export function watchDevices(callback: () => void): () => void {
  const devices = navigator.mediaDevices;
  if (!devices?.addEventListener) return () => undefined;
  devices.addEventListener('devicechange', callback);
  return () => devices.removeEventListener('devicechange', callback);
}

const VIDEO_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30, max: 30 },
};
const AUDIO_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

/** Opens one camera (or the default one); rejects with a ClientError `device_failed`. */
export function openCamera(deviceId?: string): Promise<MediaStreamTrack> {
  const video = deviceId ? { ...VIDEO_CONSTRAINTS, deviceId: { exact: deviceId } } : VIDEO_CONSTRAINTS;
  return openTrack({ video }, 'video');
}

/** Opens one microphone (or the default one); rejects with a ClientError `device_failed`. */
export function openMicrophone(deviceId?: string): Promise<MediaStreamTrack> {
  const audio = deviceId ? { ...AUDIO_CONSTRAINTS, deviceId: { exact: deviceId } } : AUDIO_CONSTRAINTS;
  return openTrack({ audio }, 'audio');
}

/** Opens a microphone and a camera with one permission prompt; rejects if either cannot be opened. */
export async function openCameraAndMicrophone(
  micDeviceId?: string,
  cameraDeviceId?: string,
): Promise<{ mic: MediaStreamTrack; camera: MediaStreamTrack }> {
  const devices = navigator.mediaDevices;
  if (!devices?.getUserMedia) throw new ClientError('device_failed', 'Camera and microphone need https.');
  const stream = await devices.getUserMedia({
    audio: micDeviceId ? { ...AUDIO_CONSTRAINTS, deviceId: { exact: micDeviceId } } : AUDIO_CONSTRAINTS,
    video: cameraDeviceId ? { ...VIDEO_CONSTRAINTS, deviceId: { exact: cameraDeviceId } } : VIDEO_CONSTRAINTS,
  });
  const mic = stream.getAudioTracks()[0];
  const camera = stream.getVideoTracks()[0];
  if (!mic || !camera) {
    for (const track of stream.getTracks()) track.stop();
    throw new ClientError('device_failed', 'The camera or microphone did not start.');
  }
  return { mic, camera };
}

/** Asks for a screen, window or tab; rejects with a ClientError `device_failed` (also when cancelled). */
export async function openScreen(): Promise<MediaStreamTrack> {
  const devices = navigator.mediaDevices;
  if (!devices?.getDisplayMedia)
    throw new ClientError('device_failed', 'Screen sharing is not supported here.');
  try {
    const stream = await devices.getDisplayMedia({
      video: { frameRate: { ideal: 15, max: 30 } },
      audio: false,
    });
    const track = stream.getVideoTracks()[0];
    if (!track) throw new Error('No screen track.');
    if ('contentHint' in track) track.contentHint = 'detail';
    return track;
  } catch (error) {
    throw new ClientError('device_failed', describeMediaError(error, 'screen'), { cause: error });
  }
}

async function openTrack(
  constraints: MediaStreamConstraints,
  kind: 'audio' | 'video',
): Promise<MediaStreamTrack> {
  const devices = navigator.mediaDevices;
  if (!devices?.getUserMedia) {
    throw new ClientError('device_failed', 'Camera and microphone need a secure (https) page.');
  }
  try {
    const stream = await devices.getUserMedia(constraints);
    const track = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
    if (!track) throw new Error(`No ${kind} track.`);
    return track;
  } catch (error) {
    throw new ClientError(
      'device_failed',
      describeMediaError(error, kind === 'audio' ? 'microphone' : 'camera'),
      {
        cause: error,
      },
    );
  }
}

/** Whether an error (or one of its causes) is a refused camera/microphone permission. */
export function isPermissionDenied(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === 'NotAllowedError' || e.name === 'SecurityError') return true;
  }
  return false;
}

/** A sentence for people from a getUserMedia / getDisplayMedia error. */
export function describeMediaError(error: unknown, what: 'camera' | 'microphone' | 'screen'): string {
  const name = error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return what === 'screen'
        ? 'Screen sharing was cancelled.'
        : `Permission to use the ${what} was denied.`;
    case 'NotFoundError':
    case 'OverconstrainedError':
      return `No ${what} was found.`;
    case 'NotReadableError':
    case 'AbortError':
      return `The ${what} is in use by another application.`;
    default:
      return `The ${what} could not be started.`;
  }
}
