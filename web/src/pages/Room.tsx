/** The meeting room: video stage, control bar, side panel, notices. Renders MeetingSession state only. */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MeetingSession } from '../../../src/client/MeetingSession.js';
import { meetingUrl } from '../api.js';
import { unlockAudio, useAudioBlocked } from '../audioUnlock.js';
import { ControlBar, type Panel } from '../components/ControlBar.js';
import { AlertIcon, ChatIcon, CheckIcon, SpeakerIcon, WifiOffIcon } from '../components/Icons.js';
import { RemoteAudio } from '../components/RemoteAudio.js';
import { SidePanel } from '../components/SidePanel.js';
import { Toasts, useToasts } from '../components/Toasts.js';
import { VideoStage } from '../components/VideoStage.js';
import type { TileModel } from '../components/VideoTile.js';
import { useSessionState, useTicker } from '../hooks.js';
import { copyText } from '../clipboard.js';
import { Avatar } from '../components/Avatar.js';

const clockFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const canShareScreen =
  typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';

export function Room({ session }: { session: MeetingSession }) {
  const state = useSessionState(session);
  const [panel, setPanel] = useState<Panel>(null);
  const [unread, setUnread] = useState(0);
  const [toasts, pushToast] = useToasts();
  const audioBlocked = useAudioBlocked();
  const panelRef = useRef(panel);
  useEffect(() => {
    panelRef.current = panel;
  }, [panel]);
  useTicker(15_000);

  useEffect(() => {
    const offs = [
      session.on('participantJoined', (p) =>
        pushToast({
          icon: <Avatar name={p.displayName} seed={p.id} size={28} />,
          text: `${p.displayName} joined`,
        }),
      ),
      session.on('participantLeft', (p) =>
        pushToast({
          icon: <Avatar name={p.displayName} seed={p.id} size={28} />,
          text: `${p.displayName} left`,
        }),
      ),
      session.on('chat', (entry) => {
        if (entry.isLocal || panelRef.current === 'chat') return;
        setUnread((n) => n + 1);
        pushToast({
          icon: <ChatIcon size={20} />,
          text: (
            <>
              <strong>{entry.fromName}</strong>{' '}
              {entry.text.length > 80 ? `${entry.text.slice(0, 80)}…` : entry.text}
            </>
          ),
        });
      }),
      session.on('problem', (error) => {
        const cause = error.cause;
        if (cause instanceof DOMException && cause.name === 'NotAllowedError') return; // cancelled picker
        pushToast({ icon: <AlertIcon size={20} />, text: error.message, tone: 'error' }, 6000);
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [session, pushToast]);

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

  const speaking = useMemo(() => new Set(state.speaking), [state.speaking]);
  const { cameras, screens } = useMemo(() => {
    const cameras: TileModel[] = [];
    const screens: TileModel[] = [];
    for (const p of state.participants) {
      const media = state.remoteMedia[p.id];
      cameras.push({
        key: `${p.id}:camera`,
        participant: p,
        source: 'camera',
        stream: media?.camera ?? null,
        speaking: speaking.has(p.id),
        activeSpeaker: state.activeSpeakerId === p.id,
      });
      if (p.screenSharing || media?.screen) {
        screens.push({
          key: `${p.id}:screen`,
          participant: p,
          source: 'screen',
          stream: media?.screen ?? null,
          speaking: false,
        });
      }
    }
    const self = state.self;
    if (self) {
      const local = state.local;
      cameras.push({
        key: `${self.id}:camera`,
        participant: self,
        source: 'camera',
        stream: local.camera,
        speaking: speaking.has(self.id),
        activeSpeaker: state.activeSpeakerId === self.id,
      });
      if (local.screenSharing && local.screen) {
        screens.push({
          key: `${self.id}:screen`,
          participant: self,
          source: 'screen',
          stream: local.screen,
          speaking: false,
        });
      }
    }
    return { cameras, screens };
  }, [state.participants, state.remoteMedia, state.self, state.local, state.activeSpeakerId, speaking]);

  const togglePanel = (next: Exclude<Panel, null>): void => {
    setPanel((current) => (current === next ? null : next));
    if (next === 'chat') setUnread(0);
  };

  const copyLink = (): void => {
    if (!state.meetingId) return;
    void copyText(meetingUrl(state.meetingId)).then((ok) =>
      pushToast(
        ok
          ? { icon: <CheckIcon size={20} />, text: 'Meeting link copied' }
          : { icon: <AlertIcon size={20} />, text: meetingUrl(state.meetingId ?? ''), tone: 'error' },
      ),
    );
  };

  const status = state.status;
  return (
    <div className={`room${panel ? ' with-panel' : ''}`}>
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
        <VideoStage cameras={cameras} screens={screens} />
        {panel ? (
          <SidePanel
            panel={panel}
            self={state.self}
            participants={state.participants}
            speaking={speaking}
            chat={state.chat}
            onSendChat={(text) => session.sendChat(text)}
            onClose={() => setPanel(null)}
          />
        ) : null}
      </div>
      <Toasts toasts={toasts} />
      <ControlBar
        meetingLabel={state.meetingId ?? ''}
        clock={clockFormat.format(Date.now())}
        audioMuted={state.local.audioMuted}
        videoMuted={state.local.videoMuted}
        hasMic={state.local.hasMic}
        hasCamera={state.local.hasCamera}
        screenSharing={state.local.screenSharing}
        canShareScreen={canShareScreen}
        panel={panel}
        unreadChat={unread}
        participantCount={state.participants.length + (state.self ? 1 : 0)}
        onToggleMic={() => session.toggleAudio()}
        onToggleCamera={() => session.toggleVideo()}
        onToggleScreen={() =>
          void (state.local.screenSharing ? session.stopScreenShare() : session.startScreenShare())
        }
        onTogglePanel={togglePanel}
        onCopyLink={copyLink}
        onLeave={() => session.leave()}
      />
      <div className="remote-audio" aria-hidden="true">
        {state.participants.map((p) => {
          const audio = state.remoteMedia[p.id]?.audio;
          return audio ? <RemoteAudio key={p.id} participantId={p.id} stream={audio} /> : null;
        })}
      </div>
    </div>
  );
}
