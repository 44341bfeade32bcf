/** Before joining: camera preview, name, mic/camera toggles and device choice. */
import { useState, type FormEvent } from 'react';
import type { LocalMedia } from '../../../src/client/LocalMedia.js';
import { meetingUrl } from '../api.js';
import { Avatar } from '../components/Avatar.js';
import { DeviceSelect } from '../components/DeviceSelect.js';
import { AlertIcon, MicIcon, VideoIcon } from '../components/Icons.js';
import { PreviewToggles } from '../components/RoundButton.js';
import { MediaVideo } from '../components/MediaVideo.js';
import { MicLevel } from '../components/MicLevel.js';
import { useLocalMediaState } from '../hooks.js';
import { prefs } from '../prefs.js';
import { TopBar } from './TopBar.js';

interface Props {
  meetingId: string;
  localMedia: LocalMedia;
  /** From `?name=`; else the remembered name. */
  initialName?: string;
  onJoin: (displayName: string) => void;
}

export function PreJoin({ meetingId, localMedia, initialName, onJoin }: Props) {
  const media = useLocalMediaState(localMedia);
  const [name, setName] = useState(() => initialName || prefs.displayName());
  const trimmed = name.trim();
  // While the devices are still opening, show what the user asked for rather than "off".
  const micOn = !media.audioMuted && (media.mic !== null || media.starting);
  const cameraOn = !media.videoMuted && (media.camera !== null || media.starting);
  const problem = media.cameraError ?? media.micError;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!trimmed) return;
    prefs.setDisplayName(trimmed);
    onJoin(trimmed.slice(0, 64));
  };

  return (
    <div className="prejoin">
      <TopBar />
      <main className="prejoin-main">
        <section className="prejoin-preview">
          <div className="preview">
            {cameraOn && media.cameraStream ? (
              <MediaVideo stream={media.cameraStream} mirrored data-testid="prejoin-video" />
            ) : (
              <div className="preview-off">
                {trimmed ? <Avatar name={trimmed} size={96} /> : null}
                <span>
                  {media.starting ? 'Starting camera…' : media.camera ? 'Camera is off' : 'No camera'}
                </span>
              </div>
            )}
            <div className="preview-name">{trimmed}</div>
            <PreviewToggles
              testIdPrefix="prejoin"
              micOn={micOn}
              cameraOn={cameraOn}
              onMic={() => localMedia.setAudioMuted(micOn)}
              onCamera={() => localMedia.setVideoMuted(cameraOn)}
            />
            {micOn ? (
              <div className="preview-level">
                <MicLevel track={media.mic} />
              </div>
            ) : null}
          </div>
          <div className="device-row">
            <DeviceSelect
              label="Microphone"
              icon={<MicIcon size={18} />}
              devices={media.devices.microphones}
              value={media.micDeviceId}
              testId="prejoin-mic-select"
              pending={media.starting}
              onChange={(id) => {
                prefs.setMicDeviceId(id);
                void localMedia.selectMicrophone(id);
              }}
            />
            <DeviceSelect
              label="Camera"
              icon={<VideoIcon size={18} />}
              devices={media.devices.cameras}
              value={media.cameraDeviceId}
              testId="prejoin-camera-select"
              pending={media.starting}
              onChange={(id) => {
                prefs.setCameraDeviceId(id);
                void localMedia.selectCamera(id);
              }}
            />
          </div>
          {problem ? (
            <p className="notice">
              <AlertIcon size={18} />
              <span>{problem} You can still join and turn it on later.</span>
            </p>
          ) : null}
        </section>
        <section className="prejoin-form">
          <h1>Ready to join?</h1>
          <p className="prejoin-link" title={meetingUrl(meetingId)}>
            {meetingUrl(meetingId).replace(/^https?:\/\//, '')}
          </p>
          <form onSubmit={submit}>
            <label className="field">
              <span className="field-label">Your name</span>
              <input
                data-testid="prejoin-name"
                type="text"
                autoComplete="name"
                maxLength={64}
                placeholder="What should people call you?"
                value={name}
                autoFocus={!name}
                onChange={(event) => setName(event.target.value)}
              />
            </label>
            <button
              type="submit"
              className="primary-button large wide"
              data-testid="prejoin-join"
              disabled={!trimmed}
            >
              Join now
            </button>
          </form>
        </section>
      </main>
    </div>
  );
}
