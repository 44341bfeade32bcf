/**
 * The meeting room: video stage, control bar, side panel, notices, host controls. Renders
 * MeetingSession state only (layout rules in room/stageLayout.ts, shortcuts in room/shortcuts.ts).
 * Webinar attendees get the attendee view: the stage with the speakers, chat and raise hand, and no
 * media buttons. End-to-end encryption (`state.e2ee`) adds the lock, its dialog, the warning and the
 * "cannot decrypt" overlay (room/E2ee*.tsx); none of them renders while it is off.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingSession } from '../../../src/client/MeetingSession.js';
import { meetingUrl } from '../api.js';
import { copyText } from '../clipboard.js';
import { errorText } from '../errorText.js';
import { ControlBar, type Panel } from '../components/ControlBar.js';
import { DeviceMenu } from '../components/DeviceMenu.js';
import { Dialog } from '../components/Dialog.js';
import { AlertIcon, CheckIcon } from '../components/Icons.js';
import { LiveRegion } from '../components/LiveRegion.js';
import type { Act } from '../components/ParticipantMenu.js';
import { RemoteAudio } from '../components/RemoteAudio.js';
import { ShortcutsHelp } from '../components/ShortcutsHelp.js';
import { SidePanel } from '../components/SidePanel.js';
import { Toasts, useToasts } from '../components/Toasts.js';
import { UnmutePrompt } from '../components/UnmutePrompt.js';
import { VideoStage } from '../components/VideoStage.js';
import { useLocalMediaState, useSessionState, useTicker } from '../hooks.js';
import { formatTime } from '../i18n/index.js';
import { NetworkQuality } from '../room/networkQuality.js';
import { AloneCard } from '../room/AloneCard.js';
import { E2eeDialog } from '../room/E2eeDialog.js';
import { E2eeFailed, E2eeLock, E2eeWarning } from '../room/E2eeStatus.js';
import { RoomBanners } from '../room/RoomBanners.js';
import { useE2eeNotices } from '../room/useE2eeNotices.js';
import { HostLeaveDialog } from '../room/HostLeaveDialog.js';
import { ReactionsButton } from '../room/ReactionsMenu.js';
import { REACTION_GLYPHS, useReactions } from '../room/reactions.js';
import type { ShortcutAction } from '../room/shortcuts.js';
import { arrangeStage, type Layout } from '../room/stageLayout.js';
import { useRoomShortcuts } from '../room/useRoomShortcuts.js';
import { useSpotlightNotice } from '../room/useSpotlightNotice.js';
import { HostNoticeLive } from './HostNoticeLive.js';
import { useTiles } from './roomTiles.js';
import { useRoomNotices } from './useRoomNotices.js';

const canShareScreen =
  typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';

export function Room({ session, passcode }: { session: MeetingSession; passcode: string | null }) {
  const { t } = useTranslation();
  const state = useSessionState(session);
  const media = useLocalMediaState(session.localMedia);
  const [panel, setPanel] = useState<Panel>(null);
  const [unread, setUnread] = useState(0);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [help, setHelp] = useState(false);
  const [deviceMenu, setDeviceMenu] = useState<'mic' | 'camera' | null>(null);
  const [reactionsOpen, setReactionsOpen] = useState(false);
  const [hostLeaving, setHostLeaving] = useState(false);
  const [handingOver, setHandingOver] = useState(false);
  const [aloneHidden, setAloneHidden] = useState(false);
  const [layout, setLayout] = useState<Layout>('tiles');
  const [pinnedKey, setPinnedKey] = useState<string | null>(null);
  const [hideSelf, setHideSelf] = useState(false);
  const [screensInGrid, setScreensInGrid] = useState(false);
  const [toasts, pushToast, dismissToast, dismissPanelToasts] = useToasts();
  const [e2eeOpen, setE2eeOpen] = useState(false);
  const panelRef = useRef(panel);
  useEffect(() => {
    panelRef.current = panel;
    if (panel) dismissPanelToasts(panel);
  }, [panel, dismissPanelToasts]);
  useTicker(15_000);

  const onUnread = useCallback(() => setUnread((n) => n + 1), []);
  const openPeople = useCallback(() => setPanel('participants'), []);
  useRoomNotices({ session, push: pushToast, dismiss: dismissToast, panelRef, onUnread, openPeople });
  const openE2ee = useCallback(() => setE2eeOpen(true), []);
  const closeE2ee = useCallback(() => setE2eeOpen(false), []);
  useE2eeNotices(state.e2ee, pushToast, openE2ee);

  const togglePanel = useCallback((next: Exclude<Panel, null>): void => {
    setPanel((current) => (current === next ? null : next));
    if (next === 'chat') setUnread(0);
  }, []);

  // Microphone/camera buttons: when the permission was refused, a click asks again.
  const toggleMic = useCallback((): void => {
    const local = session.localMedia.state;
    if (local.micDenied) void session.localMedia.selectMicrophone(local.micDeviceId);
    else session.toggleAudio();
  }, [session]);
  const toggleCamera = useCallback((): void => {
    const local = session.localMedia.state;
    if (local.cameraDenied) void session.localMedia.selectCamera(local.cameraDeviceId);
    else session.toggleVideo();
  }, [session]);

  const canPublish = state.canPublish;
  const handRaised = state.self?.handRaised === true;
  const closeOne = useCallback((): boolean => {
    if (reactionsOpen) setReactionsOpen(false);
    else if (deviceMenu) setDeviceMenu(null);
    else if (panel) setPanel(null);
    else return false;
    return true;
  }, [reactionsOpen, deviceMenu, panel]);
  const runShortcut = useCallback(
    (action: ShortcutAction): void => {
      if (action === 'mic') toggleMic();
      else if (action === 'camera') toggleCamera();
      else if (action === 'hand') session.raiseHand(!handRaised);
      else if (action === 'reactions') setReactionsOpen((open) => !open);
      else if (action === 'chat') togglePanel('chat');
      else if (action === 'people') togglePanel('participants');
      else setHelp(true);
    },
    [session, handRaised, toggleMic, toggleCamera, togglePanel],
  );
  // The Encryption dialog exists only while encryption is on (leaving turns it off).
  const e2eeDialog = e2eeOpen && state.e2ee.status !== 'off';
  const blocked = help || confirmEnd || hostLeaving || e2eeDialog;
  useRoomShortcuts({ blocked, canPublish, closeOne, run: runShortcut });

  const title = state.meeting?.title;
  useEffect(() => {
    document.title = t('titles.page', { page: title || t('titles.meeting') });
  }, [title, t]);

  /** Runs a host control; a refusal becomes an error toast. */
  const act: Act = useCallback(
    (action, failure) => {
      action().catch((error: unknown) =>
        pushToast(
          {
            icon: <AlertIcon size={20} />,
            text:
              error instanceof Error && error.message
                ? t('room.failedBecause', { failure, reason: errorText(error, '') }).trim()
                : failure,
            tone: 'error',
          },
          6000,
        ),
      );
    },
    [pushToast, t],
  );

  const reactionError = useCallback(
    (text: string) => pushToast({ icon: <AlertIcon size={20} />, text, tone: 'error', group: 'reaction' }),
    [pushToast],
  );
  const reactions = useReactions(session, reactionError);
  useSpotlightNotice(state, pushToast);

  const networkQuality = useMemo(() => new NetworkQuality(() => session.remoteReceivers()), [session]);
  const quality = useSyncExternalStore(networkQuality.subscribe, () => networkQuality.current);
  const speaking = useMemo(() => new Set(state.speaking), [state.speaking]);
  const { cameras, screens } = useTiles(state, speaking);
  const stage = arrangeStage(cameras, screens, {
    layout,
    pinnedKey,
    hideSelf,
    screensInGrid,
    activeSpeakerId: state.activeSpeakerId,
    spotlightId: state.meeting?.spotlight ?? null,
  });
  const spotlightId = state.meeting?.spotlight ?? null;
  const moderator = state.isModerator;
  const e2eeWaiting = state.e2ee.status === 'waiting';
  const tileActions = useMemo(
    () => ({
      pinnedKey,
      onPin: setPinnedKey,
      onHideSelf: () => setHideSelf(true),
      quality,
      reactions: reactions.byParticipant,
      spotlightId,
      e2eeWaiting,
      onSpotlight: moderator
        ? (id: string | null, name: string) =>
            act(
              () => session.host.spotlight(id),
              id ? t('spotlight.setFailed', { name }) : t('spotlight.removeFailed'),
            )
        : undefined,
    }),
    [pinnedKey, quality, reactions.byParticipant, spotlightId, e2eeWaiting, moderator, act, session, t],
  );
  // Reactions of people without a camera tile on the stage (webinar attendees, a hidden self-view).
  const onStage = new Set(cameras.map((c) => c.participant.id));
  const looseReactions = reactions.floating.filter(
    (r) => !onStage.has(r.participantId) || (hideSelf && r.isLocal),
  );

  const copyLink = (): void => {
    if (!state.meetingId) return;
    const link = meetingUrl(state.meetingId, passcode);
    void copyText(link).then((ok) =>
      pushToast(
        ok
          ? { icon: <CheckIcon size={20} />, text: t('common.meetingLinkCopied') }
          : { icon: <AlertIcon size={20} />, text: link, tone: 'error' },
      ),
    );
  };

  const status = state.status;
  const attendeeView = !state.canPublish && state.self !== null;
  const announced = state.self ? [state.self, ...state.participants] : state.participants;
  const unmuteFrom = state.unmuteRequest
    ? (state.participants.find((p) => p.id === state.unmuteRequest?.from)?.displayName ?? null)
    : null;
  const closeDeviceMenu = useCallback(() => setDeviceMenu(null), []);
  const closeHelp = useCallback(() => setHelp(false), []);
  return (
    <div
      className={`room${panel ? ' with-panel' : ''}${attendeeView ? ' attendee-view' : ''}${state.e2ee.status === 'off' ? '' : ' e2ee-on'}`}
    >
      <span className="visually-hidden" data-testid="meeting-status" data-state={status} role="status">
        {status === 'reconnecting' ? t('room.reconnecting') : t('room.connected')}
      </span>
      <LiveRegion />
      <main className={`room-body${state.e2ee.status === 'warning' ? ' e2ee-warned' : ''}`}>
        <h1 className="visually-hidden">{t('room.heading', { title: title || state.meetingId || '' })}</h1>
        <RoomBanners reconnecting={status === 'reconnecting'} mediaProblem={state.mediaProblem} />
        <E2eeWarning view={state.e2ee} announced={announced} onShowPeople={openPeople} />
        {state.e2ee.status === 'failed' ? (
          <E2eeFailed view={state.e2ee} />
        ) : attendeeView && cameras.length === 0 && screens.length === 0 ? (
          <div className="stage stage-empty" data-testid="attendee-stage">
            <p className="stage-empty-title">
              {t('room.webinarSoon', { title: title ?? t('room.theWebinar') })}
            </p>
            <p>{t('room.speakersNotYet')}</p>
          </div>
        ) : (
          <VideoStage
            stage={stage}
            actions={tileActions}
            presenting={state.local.screenSharing}
            onStopPresenting={() => void session.stopScreenShare()}
            onScreensInGrid={setScreensInGrid}
            hiddenSelf={hideSelf && cameras.length > 1}
            onShowSelf={() => setHideSelf(false)}
          />
        )}
        {status === 'joined' && state.participants.length === 0 && !aloneHidden && !attendeeView ? (
          <AloneCard
            link={meetingUrl(state.meetingId ?? '', passcode)}
            onCopy={copyLink}
            onHide={() => setAloneHidden(true)}
          />
        ) : null}
        {looseReactions.length > 0 ? (
          <div className="stage-reactions" aria-hidden="true">
            {looseReactions.map((r) => (
              <span
                key={r.key}
                className="stage-reaction"
                data-testid="reaction-loose"
                data-reaction={r.reaction}
              >
                <span className="stage-reaction-glyph">{REACTION_GLYPHS[r.reaction]}</span>
                <span dir="auto">{r.displayName}</span>
              </span>
            ))}
          </div>
        ) : null}
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
        {/* Inside the main landmark: absolutely positioned over the room. */}
        {attendeeView ? (
          <div className="attendee-note" data-testid="attendee-note">
            {t('room.attendeeNote')}
          </div>
        ) : null}
        <Toasts toasts={toasts} openPanel={panel} />
        {state.meetingId && state.role === 'host' ? (
          <HostNoticeLive session={session} meetingId={state.meetingId} />
        ) : null}
        {state.unmuteRequest ? (
          <UnmutePrompt from={unmuteFrom} onAnswer={(unmute) => session.answerUnmuteRequest(unmute)} />
        ) : null}
      </main>
      <ControlBar
        meetingLabel={title || state.meetingId || ''}
        locked={state.meeting?.locked === true}
        clock={formatTime(Date.now())}
        canPublish={state.canPublish}
        audioMuted={state.local.audioMuted}
        videoMuted={state.local.videoMuted}
        hasMic={state.local.hasMic}
        hasCamera={state.local.hasCamera}
        micDenied={media.micDenied}
        cameraDenied={media.cameraDenied}
        screenSharing={state.local.screenSharing}
        canShareScreen={canShareScreen}
        handRaised={handRaised}
        canEndMeeting={state.role === 'host'}
        lobbyWaiting={state.isModerator ? state.lobby.length : 0}
        panel={panel}
        unreadChat={unread}
        participantCount={state.participants.length + (state.self ? 1 : 0)}
        e2ee={<E2eeLock view={state.e2ee} open={e2eeDialog} onOpen={openE2ee} />}
        layout={layout}
        deviceMenu={deviceMenu}
        deviceMenuContent={<DeviceMenu localMedia={session.localMedia} onClose={closeDeviceMenu} />}
        onToggleMic={toggleMic}
        onToggleCamera={toggleCamera}
        onDeviceMenu={(which) => setDeviceMenu((current) => (current === which ? null : which))}
        onToggleScreen={() =>
          void (state.local.screenSharing ? session.stopScreenShare() : session.startScreenShare())
        }
        onToggleHand={() => session.raiseHand(!handRaised)}
        onEndMeeting={() => setConfirmEnd(true)}
        onTogglePanel={togglePanel}
        onToggleLayout={() => setLayout((current) => (current === 'tiles' ? 'speaker' : 'tiles'))}
        onShortcuts={() => setHelp(true)}
        onCopyLink={copyLink}
        reactions={
          <ReactionsButton
            open={reactionsOpen}
            handRaised={handRaised}
            onToggle={() => setReactionsOpen((open) => !open)}
            onClose={() => setReactionsOpen(false)}
            onReact={reactions.send}
            onToggleHand={() => session.raiseHand(!handRaised)}
          />
        }
        onLeave={() =>
          state.role === 'host' && state.participants.length > 0 ? setHostLeaving(true) : session.leave()
        }
      />
      {hostLeaving ? (
        <HostLeaveDialog
          others={state.participants}
          busy={handingOver}
          onCancel={() => setHostLeaving(false)}
          onEnd={() => {
            setHostLeaving(false);
            act(() => session.host.endMeeting(), t('room.endFailed'));
          }}
          onHandOver={(target) => {
            setHandingOver(true);
            act(
              async () => {
                try {
                  await session.host.handOver(target.id);
                } finally {
                  setHandingOver(false);
                  setHostLeaving(false);
                }
                session.leave();
              },
              t('hostLeave.handOverFailed', { name: target.displayName }),
            );
          }}
        />
      ) : null}
      {help ? <ShortcutsHelp onClose={closeHelp} /> : null}
      {e2eeDialog ? <E2eeDialog view={state.e2ee} onShowPeople={openPeople} onClose={closeE2ee} /> : null}
      {confirmEnd ? (
        <Dialog
          title={t('room.endTitle')}
          confirmLabel={t('room.endConfirm')}
          confirmTestId="end-meeting-confirm"
          danger
          onCancel={() => setConfirmEnd(false)}
          onConfirm={() => {
            setConfirmEnd(false);
            act(() => session.host.endMeeting(), t('room.endFailed'));
          }}
        >
          <p>{t('room.endBody')}</p>
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
