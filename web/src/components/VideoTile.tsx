/** One tile of the meeting: a camera (or the avatar when it is off) or a shared screen. */
import type { ParticipantView } from '../../../src/client/types.js';
import { Avatar } from './Avatar.js';
import { HandIcon, MicOffIcon, ScreenShareIcon } from './Icons.js';
import { MediaVideo } from './MediaVideo.js';
import { RoleBadge } from './RoleBadge.js';

export interface TileModel {
  key: string;
  participant: ParticipantView;
  source: 'camera' | 'screen';
  stream: MediaStream | null;
  /** Speaking right now (level above the threshold). */
  speaking: boolean;
  /** The dominant speaker: gets the highlight ring while speaking. */
  activeSpeaker?: boolean;
}

export function VideoTile({ tile, compact = false }: { tile: TileModel; compact?: boolean }) {
  const { participant, source, stream, speaking } = tile;
  const local = participant.isLocal;
  const isScreen = source === 'screen';
  const showVideo = stream !== null && (isScreen || !participant.videoMuted);
  const name = participant.displayName;
  const label = isScreen ? (local ? 'Your screen' : `${name} is presenting`) : local ? `${name} (You)` : name;
  const speakingNow = speaking && !participant.audioMuted && !isScreen;
  const ring = speakingNow && tile.activeSpeaker === true;
  return (
    <div
      className={`tile${isScreen ? ' tile-screen' : ''}${speakingNow ? ' speaking' : ''}${ring ? ' active-speaker' : ''}${compact ? ' compact' : ''}`}
      data-testid="video-tile"
      data-participant-id={participant.id}
      data-participant-name={name}
      data-source={source}
      data-local={local ? 'true' : 'false'}
      data-speaking={speakingNow ? 'true' : 'false'}
      data-active-speaker={ring ? 'true' : 'false'}
      data-role={participant.role}
      data-hand-raised={participant.handRaised ? 'true' : 'false'}
    >
      {showVideo && stream ? (
        <MediaVideo
          stream={stream}
          mirrored={local && !isScreen}
          fit={isScreen ? 'contain' : 'cover'}
          {...(local
            ? { 'data-testid': isScreen ? 'local-screen' : 'local-video' }
            : {
                'data-testid': 'remote-video',
                'data-participant-id': participant.id,
                'data-source': source,
              })}
        />
      ) : isScreen ? (
        <div className="tile-placeholder">
          <ScreenShareIcon size={32} />
          <span>Connecting to the shared screen…</span>
        </div>
      ) : (
        <div className="tile-avatar">
          <Avatar name={name} seed={participant.id} />
        </div>
      )}
      <div className="tile-label">
        {!isScreen && participant.audioMuted ? (
          <span className="tile-muted" title="Muted" aria-label="Muted">
            <MicOffIcon size={15} />
          </span>
        ) : null}
        {speakingNow ? <SpeakingBars /> : null}
        <span className="tile-name">{label}</span>
        {isScreen ? null : <RoleBadge role={participant.role} compact />}
      </div>
      {!isScreen && participant.handRaised ? (
        <span className="tile-hand" title="Hand raised" aria-label="Hand raised">
          <HandIcon size={compact ? 16 : 20} />
        </span>
      ) : null}
    </div>
  );
}

function SpeakingBars() {
  return (
    <span className="speaking-bars" aria-label="Speaking">
      <i />
      <i />
      <i />
    </span>
  );
}
