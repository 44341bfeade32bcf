/**
 * Everything under /m/<id>: the pre-join screen, then the room, then "you left" (or an error). Owns
 * the LocalMedia and MeetingSession objects; media logic stays in them.
 * `?name=Alice&autojoin=1` skips the pre-join screen; `mic=0` / `camera=0` start muted.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { LocalMedia } from '../../../src/client/LocalMedia.js';
import { MeetingSession } from '../../../src/client/MeetingSession.js';
import type { SessionStatus } from '../../../src/client/types.js';
import { exposeSession } from '../debug.js';
import { useSessionState } from '../hooks.js';
import { prefs } from '../prefs.js';
import { navigate } from '../router.js';
import { LeftScreen } from './LeftScreen.js';
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
  const localMedia = useMemo(() => new LocalMedia(), []);
  const [session, setSession] = useState<MeetingSession | null>(null);
  const [displayName, setDisplayName] = useState(autoName);

  // The camera and microphone run from the pre-join screen on; released when the page goes away.
  useEffect(() => {
    void localMedia.start({
      ...startMuted,
      micDeviceId: prefs.micDeviceId(),
      cameraDeviceId: prefs.cameraDeviceId(),
    });
    return () => localMedia.stop();
  }, [localMedia, startMuted]);

  const join = (name: string): void => {
    setDisplayName(name);
    const next = new MeetingSession({ localMedia });
    setSession(next);
    exposeSession(next);
    next.join(meetingId, name).catch(() => undefined); // The state shows the error.
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

  const rejoin = (): void => {
    const { audioMuted, videoMuted } = localMedia.state;
    void localMedia
      .start({
        audioMuted,
        videoMuted,
        micDeviceId: prefs.micDeviceId(),
        cameraDeviceId: prefs.cameraDeviceId(),
      })
      .then(() => join(displayName));
  };

  if (!session) {
    return <PreJoin meetingId={meetingId} localMedia={localMedia} initialName={autoName} onJoin={join} />;
  }
  return <SessionView session={session} onRejoin={rejoin} />;
}

function SessionView({ session, onRejoin }: { session: MeetingSession; onRejoin: () => void }) {
  const state = useSessionState(session);
  const status: SessionStatus = state.status;
  if (status === 'joined' || status === 'reconnecting') return <Room session={session} />;
  if (status === 'left') return <LeftScreen onRejoin={onRejoin} onHome={() => navigate('/')} />;
  if (status === 'error') {
    const notFound = state.error?.code === 'meeting_not_found';
    return (
      <StatusScreen
        state="error"
        title={notFound ? 'This meeting does not exist' : 'Could not join the meeting'}
        message={
          notFound
            ? 'Check the link, or ask the host for a new one.'
            : (state.error?.message ?? 'Something went wrong.')
        }
        code={state.error?.code}
        actions={[
          ...(notFound ? [] : [{ label: 'Try again', primary: true, onClick: onRejoin, testId: 'retry' }]),
          {
            label: 'Return to home screen',
            primary: notFound,
            onClick: () => navigate('/'),
            testId: 'go-home',
          },
        ]}
      />
    );
  }
  return <StatusScreen state="joining" title="Joining…" spinner />;
}
