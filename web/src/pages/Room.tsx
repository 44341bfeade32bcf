/**
 * The meeting room: video stage, control bar, side panel, notices, host controls. Renders
 * MeetingSession state only. Webinar attendees get the attendee view: the stage with the speakers,
 * chat and raise hand, and no media buttons.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MeetingSession } from '../../../src/client/MeetingSession.js';
import { meetingUrl } from '../api.js';
import { unlockAudio, useAudioBlocked } from '../audioUnlock.js';
import { copyText } from '../clipboard.js';
import { ControlBar, type Panel } from '../components/ControlBar.js';
import { Dialog } from '../components/Dialog.js';
import { AlertIcon, CheckIcon, SpeakerIcon, WifiOffIcon } from '../components/Icons.js';
import type { Act } from '../components/ParticipantMenu.js';
import { RemoteAudio } from '../components/RemoteAudio.js';
import { SidePanel } from '../components/SidePanel.js';
import { Toasts, useToasts } from '../components/Toasts.js';
import { UnmutePrompt } from '../components/UnmutePrompt.js';
import { VideoStage } from '../components/VideoStage.js';
import { useSessionState, useTicker } from '../hooks.js';
import { HostNoticeLive } from './HostNoticeLive.js';
import { useTiles } from './roomTiles.js';
import { useRoomNotices } from './useRoomNotices.js';

const clockFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const canShareScreen =
  typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';

export function Room({ session, passcode }: { session: MeetingSession; passcode: string | null }) {
  const state = useSessionState(session);
  const [panel, setPanel] = useState<Panel>(null);
  const [unread, setUnread] = useState(0);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [toasts, pushToast, dismissToast] = useToasts();
  const audioBlocked = useAudioBlocked();
  const panelRef = useRef(panel);
  useEffect(() => {
    panelRef.current = panel;
  }, [panel]);
  useTicker(15_000);

  const onUnread = useCallback(() => setUnread((n) => n + 1), []);
  const openPeople = useCallback(() => setPanel('participants'), []);
  useRoomNotices({ session, push: pushToast, dismiss: dismissToast, panelRef, onUnread, openPeople });

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      if (event.key === 'd' || event.key === 'D') session.toggleAudio();
      else if (event.key === 'e' || event.key === 'E') session.toggleVideo();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session]);

  const title = state.meeting?.title;
  useEffect(() => {
    document.title = title ? `${title} · Convene` : 'Meeting · Convene';
  }, [title]);

  /** Runs a host control; a refusal becomes an error toast. */
  const act: Act = useCallback(
    (action, failure) => {
      action().catch((error: unknown) =>
        pushToast(
          {
            icon: <AlertIcon size={20} />,
            text: error instanceof Error && error.message ? `${failure} ${error.message}` : failure,
            tone: 'error',
          },
          6000,
        ),
      );
    },
    [pushToast],
  );

  const speaking = useMemo(() => new Set(state.speaking), [state.speaking]);
  const { cameras, screens } = useTiles(state, speaking);

  const togglePanel = (next: Exclude<Panel, null>): void => {
    setPanel((current) => (current === next ? null : next));
    if (next === 'chat') setUnread(0);
  };

  const copyLink = (): void => {
    if (!state.meetingId) return;
    const link = meetingUrl(state.meetingId, passcode);
    void copyText(link).then((ok) =>
      pushToast(
        ok
          ? { icon: <CheckIcon size={20} />, text: 'Meeting link copied' }
          : { icon: <AlertIcon size={20} />, text: link, tone: 'error' },
      ),
    );
  };

  const status = state.status;
  const attendeeView = !state.canPublish && state.self !== null;
  const unmuteFrom = state.unmuteRequest
    ? (state.participants.find((p) => p.id === state.unmuteRequest?.from)?.displayName ?? null)
    : null;
  return (
    <div className={`room${panel ? ' with-panel' : ''}${attendeeView ? ' attendee-view' : ''}`}>
      <span className="visually-hidden" data-testid="meeting-status" data-state={status} role="status">
        {status === 'reconnecting' ? 'Reconnecting' : 'Connected'}
      </span>
      {status === 'reconnecting' ? (
        <div className="banner warning" data-testid="reconnecting-banner">
          <WifiOffIcon size={18} />
          <span>Connection lost. Reconnecting…</span>
          <span className="spinner small" aria-hidden="true" />
        </div>
      ) : state.mediaProblem ? (
        <div className="banner error">
          <AlertIcon size={18} />
          <span>{state.mediaProblem}</span>
        </div>
      ) : audioBlocked ? (
        <div className="banner">
          <SpeakerIcon size={18} />
          <span>Your browser paused the sound of this meeting.</span>
          <button type="button" className="banner-button" data-testid="enable-audio" onClick={unlockAudio}>
            Turn on sound
          </button>
        </div>
      ) : null}
      <div className="room-body">
        {attendeeView && cameras.length === 0 && screens.length === 0 ? (
          <div className="stage stage-empty" data-testid="attendee-stage">
            <p className="stage-empty-title">{title ?? 'The webinar'} will start soon</p>
            <p>The speakers are not on stage yet. You can chat and raise your hand meanwhile.</p>
          </div>
        ) : (
          <VideoStage cameras={cameras} screens={screens} />
        )}
        {panel ? (
          <SidePanel
            panel={panel}
            session={session}
            state={state}
            speaking={speaking}
            act={act}
            onCopyLink={copyLink}
            onClose={() => setPanel(null)}
          />
        ) : null}
      </div>
      {attendeeView ? (
        <div className="attendee-note" data-testid="attendee-note">
          You are an attendee: only the speakers can be seen and heard.
        </div>
      ) : null}
      <Toasts toasts={toasts} />
      {state.meetingId ? <HostNoticeLive session={session} meetingId={state.meetingId} /> : null}
      {state.unmuteRequest ? (
        <UnmutePrompt from={unmuteFrom} onAnswer={(unmute) => session.answerUnmuteRequest(unmute)} />
      ) : null}
      <ControlBar
        meetingLabel={title || state.meetingId || ''}
        locked={state.meeting?.locked === true}
        clock={clockFormat.format(Date.now())}
        canPublish={state.canPublish}
        audioMuted={state.local.audioMuted}
        videoMuted={state.local.videoMuted}
        hasMic={state.local.hasMic}
        hasCamera={state.local.hasCamera}
        screenSharing={state.local.screenSharing}
        canShareScreen={canShareScreen}
        handRaised={state.self?.handRaised === true}
        canEndMeeting={state.role === 'host'}
        lobbyWaiting={state.isModerator ? state.lobby.length : 0}
        panel={panel}
        unreadChat={unread}
        participantCount={state.participants.length + (state.self ? 1 : 0)}
        onToggleMic={() => session.toggleAudio()}
        onToggleCamera={() => session.toggleVideo()}
        onToggleScreen={() =>
          void (state.local.screenSharing ? session.stopScreenShare() : session.startScreenShare())
        }
        onToggleHand={() => session.raiseHand(!state.self?.handRaised)}
        onEndMeeting={() => setConfirmEnd(true)}
        onTogglePanel={togglePanel}
        onCopyLink={copyLink}
        onLeave={() => session.leave()}
      />
      {confirmEnd ? (
        <Dialog
          title="End the meeting for everyone?"
          confirmLabel="End meeting"
          confirmTestId="end-meeting-confirm"
          danger
          onCancel={() => setConfirmEnd(false)}
          onConfirm={() => {
            setConfirmEnd(false);
            act(() => session.host.endMeeting(), 'Could not end the meeting.');
          }}
        >
          <p>Everyone is removed from the call and the meeting link stops working.</p>
        </Dialog>
      ) : null}
      <div className="remote-audio" aria-hidden="true">
        {state.participants.map((p) => {
          const audio = state.remoteMedia[p.id]?.audio;
          return audio ? <RemoteAudio key={p.id} participantId={p.id} stream={audio} /> : null;
        })}
      </div>
    </div>
  );
}
