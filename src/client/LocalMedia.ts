/**
 * The local microphone and camera: opening them, mute / camera-off (track.enabled), device choice and
 * device switching on the fly, and background blur. The pre-join screen and the meeting share one
 * instance; while in a meeting, a sink (the publisher) receives every track swap through
 * `replaceTrack`. With blur on, `camera` is the blurred track (shown and sent) and the device's own
 * track stays private here.
 */
import { ClientError } from './ClientError.js';
import type { BackgroundBlur } from './backgroundBlur.js';
import type { BlurStatus } from './blurAssets.js';
import { TypedEmitter } from '../util/TypedEmitter.js';
import {
  isPermissionDenied,
  listDevices,
  openCamera,
  openCameraAndMicrophone,
  openMicrophone,
  watchDevices,
  type DeviceList,
} from './devices.js';

export interface LocalMediaState {
  mic: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  /** A stream with just the camera track, for a preview element (stable while the track is). */
  cameraStream: MediaStream | null;
  /** Background blur: wanted or not, and whether it runs (`failed`: the plain camera is used). */
  blur: BlurStatus;
  blurError: string | null;
  audioMuted: boolean;
  videoMuted: boolean;
  micDeviceId: string | null;
  cameraDeviceId: string | null;
  devices: DeviceList;
  micError: string | null;
  cameraError: string | null;
  /** The browser or the user refused the permission (the UI offers to ask again). */
  micDenied: boolean;
  cameraDenied: boolean;
  starting: boolean;
}

export interface LocalMediaOptions {
  audioMuted?: boolean;
  videoMuted?: boolean;
  micDeviceId?: string | null;
  cameraDeviceId?: string | null;
  /** Blur the background from the start (off unless asked). */
  blur?: boolean;
}

export interface TrackSink {
  replaceTrack(source: 'mic' | 'camera', track: MediaStreamTrack | null): Promise<void>;
}

export class LocalMedia extends TypedEmitter<{ change: [state: LocalMediaState] }> {
  private stateValue: LocalMediaState = {
    mic: null,
    camera: null,
    cameraStream: null,
    blur: 'off',
    blurError: null,
    audioMuted: false,
    videoMuted: false,
    micDeviceId: null,
    cameraDeviceId: null,
    devices: { cameras: [], microphones: [], speakers: [] },
    micError: null,
    cameraError: null,
    micDenied: false,
    cameraDenied: false,
    starting: false,
  };
  private sink: TrackSink | null = null;
  private unwatch: (() => void) | null = null;
  private stopped = false;
  /** Bumped by every start() and stop(), so a start that lost the race releases what it opened. */
  private generation = 0;
  private pending: Promise<void> | null = null;
  /** The device's camera track; `state.camera` is this or its blurred copy. */
  private rawCamera: MediaStreamTrack | null = null;
  private blurrer: BackgroundBlur | null = null;
  /** Bumped by every setBackgroundBlur(), so a slow model load cannot undo a later choice. */
  private blurGeneration = 0;

  get state(): LocalMediaState {
    return this.stateValue;
  }

  /** Opens the microphone and the camera (one permission prompt when possible). Never rejects. */
  start(options: LocalMediaOptions = {}): Promise<void> {
    const run = this.startNow(options);
    this.pending = run;
    void run.finally(() => {
      if (this.pending === run) this.pending = null;
    });
    return run;
  }

  /** Waits for a start() in progress, or starts (with `options`) when neither device is open yet. */
  ensureStarted(options: LocalMediaOptions = {}): Promise<void> {
    if (this.pending) return this.pending;
    if (this.stateValue.mic || this.stateValue.camera) return Promise.resolve();
    return this.start(options);
  }

  private async startNow(options: LocalMediaOptions): Promise<void> {
    this.stopped = false;
    const generation = ++this.generation;
    this.update({
      audioMuted: options.audioMuted ?? this.stateValue.audioMuted,
      videoMuted: options.videoMuted ?? this.stateValue.videoMuted,
      starting: true,
    });
    if (options.blur) void this.setBackgroundBlur(true);
    const micId = options.micDeviceId ?? undefined;
    const cameraId = options.cameraDeviceId ?? undefined;
    // One permission prompt for both when possible; else each on its own (e.g. no camera at all).
    const both =
      this.stateValue.mic || this.stateValue.camera
        ? null
        : await openCameraAndMicrophone(micId, cameraId).catch(() => null);
    const [mic, camera] = await Promise.allSettled([
      both?.mic ?? this.stateValue.mic ?? openMicrophone(micId).catch(() => openMicrophone()),
      both?.camera ?? this.rawCamera ?? openCamera(cameraId).catch(() => openCamera()),
    ]);
    if (this.stopped || generation !== this.generation) {
      if (mic.status === 'fulfilled' && mic.value !== this.stateValue.mic) mic.value.stop();
      if (camera.status === 'fulfilled' && camera.value !== this.rawCamera) camera.value.stop();
      return;
    }
    this.setTrack(
      'mic',
      mic.status === 'fulfilled' ? mic.value : null,
      mic.status === 'rejected' ? mic.reason : null,
    );
    this.setTrack(
      'camera',
      camera.status === 'fulfilled' ? camera.value : null,
      camera.status === 'rejected' ? camera.reason : null,
    );
    this.update({ starting: false });
    this.unwatch ??= watchDevices(() => void this.refreshDevices());
    await this.refreshDevices();
  }

  /** Routes every future track swap to `sink` (the publisher), or stops doing so with `null`. */
  attach(sink: TrackSink | null): void {
    this.sink = sink;
  }

  setAudioMuted(muted: boolean): void {
    if (this.stateValue.mic) this.stateValue.mic.enabled = !muted;
    this.update({ audioMuted: muted });
    if (!muted && !this.stateValue.mic) void this.selectMicrophone(this.stateValue.micDeviceId);
  }

  setVideoMuted(muted: boolean): void {
    if (this.rawCamera) this.rawCamera.enabled = !muted;
    if (this.stateValue.camera) this.stateValue.camera.enabled = !muted;
    this.update({ videoMuted: muted });
    if (!muted && !this.stateValue.camera) void this.selectCamera(this.stateValue.cameraDeviceId);
  }

  /** Opens another microphone and swaps it in (also on a live call). */
  async selectMicrophone(deviceId: string | null): Promise<void> {
    try {
      const track = await openMicrophone(deviceId ?? undefined);
      if (this.stopped) return track.stop();
      const old = this.stateValue.mic;
      this.setTrack('mic', track, null);
      await this.sink?.replaceTrack('mic', track);
      if (old && old !== track) old.stop();
      await this.refreshDevices();
    } catch (error) {
      this.update({
        micError: ClientError.from(error, 'device_failed').message,
        micDenied: isPermissionDenied(error),
      });
    }
  }

  /** Opens another camera and swaps it in (also on a live call). */
  async selectCamera(deviceId: string | null): Promise<void> {
    try {
      const old = this.rawCamera;
      const oldShown = this.stateValue.camera;
      // Some cameras cannot be opened twice: release the old one first.
      if (old && deviceId !== null && deviceId !== this.stateValue.cameraDeviceId) old.stop();
      const track = await openCamera(deviceId ?? undefined);
      if (this.stopped) return track.stop();
      this.setTrack('camera', track, null);
      await this.sink?.replaceTrack('camera', this.stateValue.camera);
      if (old && old !== track) old.stop();
      if (oldShown && oldShown !== old && oldShown !== this.stateValue.camera) oldShown.stop();
      await this.refreshDevices();
    } catch (error) {
      this.update({
        cameraError: ClientError.from(error, 'device_failed').message,
        cameraDenied: isPermissionDenied(error),
      });
    }
  }

  /** Stops both tracks; the instance can be started again. */
  stop(): void {
    this.stopped = true;
    this.generation++;
    this.unwatch?.();
    this.unwatch = null;
    this.stateValue.mic?.stop();
    this.blurrer?.release();
    this.rawCamera?.stop();
    this.stateValue.camera?.stop();
    this.rawCamera = null;
    this.sink = null;
    this.update({ mic: null, camera: null, cameraStream: null, starting: false });
  }

  private setTrack(source: 'mic' | 'camera', track: MediaStreamTrack | null, error: unknown): void {
    const message = error ? ClientError.from(error, 'device_failed').message : null;
    const deviceId = track?.getSettings().deviceId ?? null;
    if (source === 'mic') {
      if (track) track.enabled = !this.stateValue.audioMuted;
      this.update({
        mic: track,
        micDeviceId: deviceId ?? this.stateValue.micDeviceId,
        micError: message,
        micDenied: isPermissionDenied(error),
      });
    } else {
      if (track) track.enabled = !this.stateValue.videoMuted;
      this.rawCamera = track;
      const shown = this.shownCamera(track);
      this.update({
        ...this.cameraPatch(shown),
        cameraDeviceId: deviceId ?? this.stateValue.cameraDeviceId,
        cameraError: message,
        cameraDenied: isPermissionDenied(error),
      });
    }
    track?.addEventListener('ended', () => {
      // Unplugged or revoked: forget the track so that turning the device on again reopens it.
      if (source === 'mic' && this.stateValue.mic === track) this.update({ mic: null });
      if (source === 'camera' && this.rawCamera === track) {
        this.blurrer?.release();
        this.rawCamera = null;
        this.update({ camera: null, cameraStream: null });
      }
    });
  }

  /**
   * Turns background blur on or off, also on a live call (the publisher swaps the track). The model
   * loads on first use; if it cannot, blur reports `failed` with a reason and the plain camera goes on.
   */
  async setBackgroundBlur(on: boolean): Promise<void> {
    const generation = ++this.blurGeneration;
    if (!on) {
      this.update({ blur: 'off', blurError: null });
      await this.swapShownCamera();
      return;
    }
    this.update({ blur: this.blurrer ? 'on' : 'loading', blurError: null });
    if (!this.blurrer) {
      try {
        const { BackgroundBlur } = await import('./backgroundBlur.js');
        const blurrer = await BackgroundBlur.load();
        if (generation !== this.blurGeneration && this.blurrer) blurrer.close();
        else this.blurrer = blurrer;
      } catch (error) {
        if (generation === this.blurGeneration) this.blurFailed(error);
        return;
      }
    }
    if (generation !== this.blurGeneration) return;
    this.update({ blur: 'on' });
    await this.swapShownCamera();
  }

  /** The track to show and send for a device track: blurred when blur is on and loaded. */
  private shownCamera(raw: MediaStreamTrack | null): MediaStreamTrack | null {
    if (!raw || this.stateValue.blur !== 'on' || !this.blurrer) {
      this.blurrer?.release();
      return raw;
    }
    try {
      const blurred = this.blurrer.apply(raw, {
        onFailure: (error) => {
          if (this.stateValue.camera !== blurred) return;
          this.blurFailed(error);
          void this.swapShownCamera();
        },
      });
      blurred.enabled = raw.enabled;
      return blurred;
    } catch (error) {
      this.blurFailed(error);
      return raw;
    }
  }

  /** Re-derives the shown camera from the device track after blur changed, and tells the sink. */
  private async swapShownCamera(): Promise<void> {
    const old = this.stateValue.camera;
    const shown = this.shownCamera(this.rawCamera);
    if (shown === old) return;
    this.update(this.cameraPatch(shown));
    await this.sink?.replaceTrack('camera', shown).catch(() => undefined);
    if (old && old !== this.rawCamera) old.stop();
  }

  private cameraPatch(shown: MediaStreamTrack | null): Pick<LocalMediaState, 'camera' | 'cameraStream'> {
    return { camera: shown, cameraStream: shown ? new MediaStream([shown]) : null };
  }

  private blurFailed(error: unknown): void {
    this.update({ blur: 'failed', blurError: ClientError.from(error, 'blur_failed').message });
  }

  private async refreshDevices(): Promise<void> {
    try {
      this.update({ devices: await listDevices() });
    } catch {
      // Keep the previous list.
    }
  }

  private update(patch: Partial<LocalMediaState>): void {
    this.stateValue = { ...this.stateValue, ...patch };
    this.emit('change', this.stateValue);
  }
}
