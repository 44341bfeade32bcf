/**
 * Everything under /m/<id>: the pre-join screen, the lobby, the room, then "you left", "removed",
 * "ended" (or an error, with a passcode prompt). Owns the LocalMedia and MeetingSession objects;
 * media logic stays in them.
 * `?name=Alice&autojoin=1` skips the pre-join screen (and opens no device before the role is known);
 * `mic=0` / `camera=0` start muted. `#pwd=<passcode>` is the meeting passcode: read here, sent only in
 * the signaling `join`, never over HTTP.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { passcodeFromHash, type MeetingPreview } from '../../../src/client/api.js';
import { LocalMedia } from '../../../src/client/LocalMedia.js';
import { MeetingSession } from '../../../src/client/MeetingSession.js';
import { useAccount } from '../account.js';
import { api } from '../api.js';
import { exposeSession } from '../debug.js';
import { useSessionState } from '../hooks.js';
import { prefs } from '../prefs.js';
import { navigate } from '../router.js';
import { LeftScreen } from './LeftScreen.js';
import { LobbyWait } from './LobbyWait.js';
import { JoinErrorScreen, SessionEndedScreen } from './MeetingScreens.js';
import { PreJoin } from './PreJoin.js';
import { Room } from './Room.js';
import { StatusScreen } from './StatusScreen.js';

interface Props {
  meetingId: string;
  search: URLSearchParams;
}

export function MeetingPage({ meetingId, search }: Props) {
  const autoName = (search.get('name') ?? '').trim().slice(0, 64);
  const autojoin = autoName !== '' && ['1', 'true', 'yes'].includes(search.get('autojoin') ?? '');
  // Only the URL the page was opened with counts.
  const [startMuted] = useState(() => ({
    audioMuted: search.get('mic') === '0',
    videoMuted: search.get('camera') === '0',
  }));
  const [passcode, setPasscode] = useState(() => passcodeFromHash(window.location.hash));
  const { account } = useAccount();
  const localMedia = useMemo(() => new LocalMedia(), []);
  const [session, setSession] = useState<MeetingSession | null>(null);
  const [displayName, setDisplayName] = useState(autoName);

  // What the pre-join screen may say about the meeting (title, who is there, a passcode), asked
  // before the camera opens so that a passcode is announced first. Never sends the passcode.
  const [preview, setPreview] = useState<{ settled: boolean; value: MeetingPreview | null }>({
    settled: autojoin,
    value: null,
  });
  useEffect(() => {
    if (autojoin) return;
    let current = true;
    api.meetingPreview(meetingId).then(
      (value) => current && setPreview({ settled: true, value }),
      () => current && setPreview({ settled: true, value: null }),
    );
    return () => {
      current = false;
    };
  }, [meetingId, autojoin]);
  const previewSettled = preview.settled;

  // The pre-join screen previews camera and microphone; released when the page goes away. With
  // autojoin nothing opens before joining: webinar attendees never send, so they are never asked.
  useEffect(() => {
    if (!previewSettled) return;
    if (autojoin) {
      if (startMuted.audioMuted) localMedia.setAudioMuted(true);
      if (startMuted.videoMuted) localMedia.setVideoMuted(true);
    } else {
      void localMedia.start({
        ...startMuted,
        micDeviceId: prefs.micDeviceId(),
        cameraDeviceId: prefs.cameraDeviceId(),
        blur: prefs.backgroundBlur(),
      });
    }
    return () => localMedia.stop();
  }, [localMedia, startMuted, autojoin, previewSettled]);

  const join = (name: string, code: string | null = passcode): void => {
    setDisplayName(name);
    const { audioMuted, videoMuted } = localMedia.state;
    const next = new MeetingSession({
      localMedia,
      media: {
        audioMuted,
        videoMuted,
        micDeviceId: prefs.micDeviceId(),
        cameraDeviceId: prefs.cameraDeviceId(),
        blur: prefs.backgroundBlur(),
      },
    });
    setSession(next);
    exposeSession(next);
    next.join(meetingId, name, code ? { passcode: code } : {}).catch(() => undefined); // The state shows the error.
  };

  // Autojoin happens once, on arrival.
  const autojoined = useRef(false);
  useEffect(() => {
    if (!autojoin || autojoined.current) return;
    autojoined.current = true;
    join(autoName);
  });

  useEffect(() => {
    if (!session) return;
    return () => session.leave();
  }, [session]);

  const retryWithPasscode = (code: string, name = displayName): void => {
    setPasscode(code);
    // Keep it in the fragment (never sent to the server), so a reload or a copied link still works.
    window.history.replaceState(
      null,
      '',
      `${window.location.pathname}${window.location.search}#pwd=${encodeURIComponent(code)}`,
    );
    join(name, code);
  };

  if (!session) {
    return (
      <PreJoin
        meetingId={meetingId}
        localMedia={localMedia}
        initialName={autoName || account?.displayName || ''}
        preview={preview.value}
        passcode={passcode}
        onJoin={(name, typed) => (typed ? retryWithPasscode(typed, name) : join(name))}
      />
    );
  }
  return (
    <SessionView
      session={session}
      displayName={displayName}
      passcode={passcode}
      onRejoin={() => join(displayName)}
      onPasscode={retryWithPasscode}
    />
  );
}

interface SessionViewProps {
  session: MeetingSession;
  displayName: string;
  passcode: string | null;
  onRejoin: () => void;
  onPasscode: (passcode: string) => void;
}

function SessionView({ session, displayName, passcode, onRejoin, onPasscode }: SessionViewProps) {
  const state = useSessionState(session);
  const { t } = useTranslation();
  switch (state.status) {
    case 'joined':
    case 'reconnecting':
      return <Room session={session} passcode={passcode} />;
    case 'lobby':
      return (
        <LobbyWait
          title={state.lobbyTitle}
          displayName={displayName}
          localMedia={session.localMedia}
          onLeave={() => session.leave()}
        />
      );
    case 'left':
      return <LeftScreen onRejoin={onRejoin} onHome={() => navigate('/')} />;
    case 'ended':
      return state.ended ? (
        <SessionEndedScreen end={state.ended} wasHost={state.role === 'host'} onRejoin={onRejoin} />
      ) : null;
    case 'error':
      return <JoinErrorScreen error={state.error} onRetry={onRejoin} onPasscode={onPasscode} />;
    default:
      return <StatusScreen state="joining" title={t('joining')} spinner />;
  }
}
