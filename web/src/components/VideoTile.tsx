/**
 * One tile of the meeting: a camera (or the avatar when it is off) or a shared screen, with its name
 * label and, on hover or keyboard focus, pin / full screen (and "hide self-view" on your own tile).
 */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParticipantView } from '../../../src/client/types.js';
import { Avatar } from './Avatar.js';
import {
  EyeOffIcon,
  FullscreenIcon,
  HandIcon,
  LockIcon,
  MicOffIcon,
  PinIcon,
  ScreenShareIcon,
  SpotlightIcon,
} from './Icons.js';
import type { QualitySample } from '../room/networkQuality.js';
import type { FloatingReaction } from '../room/reactions.js';
import { TileReactions } from '../room/ReactionsMenu.js';
import { MediaVideo } from './MediaVideo.js';
import { QualityIndicator } from './QualityIndicator.js';
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

export interface TileActions {
  pinnedKey: string | null;
  onPin: (key: string | null) => void;
  onHideSelf: () => void;
  /** Connection quality of remote participants, by id. */
  quality: Readonly<Record<string, QualitySample>>;
  /** Reactions floating now, by sender. */
  reactions?: Readonly<Record<string, readonly FloatingReaction[]>>;
  /** Whom the host spotlighted for everyone. */
  spotlightId?: string | null;
  /** Hosts and co-hosts: spotlight someone for everyone (`null`: stop). */
  onSpotlight?: ((participantId: string | null, name: string) => void) | undefined;
  /** End-to-end encryption is waiting for keys: remote tiles say so (nothing can be shown yet). */
  e2eeWaiting?: boolean;
}

export function VideoTile({
  tile,
  compact = false,
  actions,
}: {
  tile: TileModel;
  compact?: boolean;
  actions?: TileActions | undefined;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const { participant, source, stream, speaking } = tile;
  const local = participant.isLocal;
  const isScreen = source === 'screen';
  const showVideo = stream !== null && (isScreen || !participant.videoMuted);
  const name = participant.displayName;
  const label = isScreen
    ? local
      ? t('tile.yourScreen')
      : t('tile.presenting', { name })
    : local
      ? t('common.youSuffix', { name })
      : name;
  const speakingNow = speaking && !participant.audioMuted && !isScreen;
  const ring = speakingNow && tile.activeSpeaker === true;
  const pinned = actions?.pinnedKey === tile.key;
  const spotlit = !isScreen && actions?.spotlightId === participant.id;
  const onSpotlight = isScreen ? undefined : actions?.onSpotlight;
  const waitingForKeys = !local && actions?.e2eeWaiting === true;
  const fullscreen = (): void => {
    const element = ref.current;
    if (!element) return;
    if (document.fullscreenElement === element) void document.exitFullscreen().catch(() => undefined);
    else void element.requestFullscreen?.().catch(() => undefined);
  };
  return (
    <div
      ref={ref}
      className={`tile${isScreen ? ' tile-screen' : ''}${speakingNow ? ' speaking' : ''}${ring ? ' active-speaker' : ''}${compact ? ' compact' : ''}${pinned ? ' pinned' : ''}`}
      data-testid="video-tile"
      data-participant-id={participant.id}
      data-participant-name={name}
      data-source={source}
      data-local={local ? 'true' : 'false'}
      data-speaking={speakingNow ? 'true' : 'false'}
      data-active-speaker={ring ? 'true' : 'false'}
      data-role={participant.role}
      data-hand-raised={participant.handRaised ? 'true' : 'false'}
      data-pinned={pinned ? 'true' : 'false'}
      data-spotlight={spotlit ? 'true' : 'false'}
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
          <span>{t('tile.connectingScreen')}</span>
        </div>
      ) : (
        <div className="tile-avatar">
          <Avatar name={name} seed={participant.id} />
        </div>
      )}
      {waitingForKeys ? (
        <div className="tile-e2ee-waiting" data-testid="e2ee-tile-waiting">
          <LockIcon size={16} />
          <span>{t('e2ee.tileWaiting')}</span>
        </div>
      ) : null}
      <div className="tile-label">
        {!isScreen && participant.audioMuted ? (
          <span className="tile-muted" role="img" title={t('tile.muted')} aria-label={t('tile.muted')}>
            <MicOffIcon size={15} />
          </span>
        ) : null}
        {speakingNow ? <SpeakingBars label={t('tile.speaking')} /> : null}
        <span className="tile-name" dir="auto">
          {label}
        </span>
        {isScreen ? null : <RoleBadge role={participant.role} compact />}
        {!local && !isScreen && actions ? (
          <QualityIndicator sample={actions.quality[participant.id]} />
        ) : null}
      </div>
      {!isScreen && participant.handRaised ? (
        <span className="tile-hand" role="img" title={t('tile.handRaised')} aria-label={t('tile.handRaised')}>
          <HandIcon size={compact ? 16 : 20} />
        </span>
      ) : null}
      {isScreen ? null : <TileReactions items={actions?.reactions?.[participant.id]} />}
      {actions ? (
        <div className="tile-actions">
          {onSpotlight ? (
            <button
              type="button"
              className={`tile-action${spotlit ? ' on' : ''}`}
              data-testid="tile-spotlight"
              aria-pressed={spotlit}
              aria-label={spotlit ? t('spotlight.remove') : t('spotlight.setFor', { name: label })}
              title={spotlit ? t('spotlight.remove') : t('spotlight.set')}
              onClick={() => onSpotlight(spotlit ? null : participant.id, name)}
            >
              <SpotlightIcon size={16} />
            </button>
          ) : null}
          <button
            type="button"
            className={`tile-action${pinned ? ' on' : ''}`}
            data-testid="tile-pin"
            aria-pressed={pinned}
            aria-label={pinned ? t('people.unpin', { name: label }) : t('people.pin', { name: label })}
            title={pinned ? t('tile.unpin') : t('tile.pin')}
            onClick={() => actions.onPin(pinned ? null : tile.key)}
          >
            <PinIcon size={16} />
          </button>
          {typeof document !== 'undefined' && document.fullscreenEnabled ? (
            <button
              type="button"
              className="tile-action"
              data-testid="tile-fullscreen"
              aria-label={t('tile.fullscreenOf', { name: label })}
              title={t('tile.fullscreen')}
              onClick={fullscreen}
            >
              <FullscreenIcon size={16} />
            </button>
          ) : null}
          {local && !isScreen ? (
            <button
              type="button"
              className="tile-action"
              data-testid="self-view-hide"
              aria-label={t('controls.hideSelf')}
              title={t('controls.hideSelf')}
              onClick={actions.onHideSelf}
            >
              <EyeOffIcon size={16} />
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function SpeakingBars({ label }: { label: string }) {
  return (
    <span className="speaking-bars" role="img" aria-label={label}>
      <i />
      <i />
      <i />
    </span>
  );
}
