/** `/meetings`: the signed-in host's meetings: copy the link, start, edit, end; schedule a new one. */
import { useCallback, useEffect, useState } from 'react';
import type { Meeting } from '../../../src/client/api.js';
import { errorCode } from '../../../src/client/ClientError.js';
import { api, meetingPath, shareLink } from '../api.js';
import { useAccount } from '../account.js';
import { copyText } from '../clipboard.js';
import { Dialog } from '../components/Dialog.js';
import { AlertIcon, CheckIcon, CopyIcon, EditIcon, PlusVideoIcon } from '../components/Icons.js';
import { Toasts, useToasts } from '../components/Toasts.js';
import { countryName } from '../countries.js';
import { linkProps, navigate } from '../router.js';
import { HostNotices } from './HostNotices.js';
import { TopBar } from './TopBar.js';

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

export function MyMeetings() {
  const { status } = useAccount();
  const [meetings, setMeetings] = useState<Meeting[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ending, setEnding] = useState<Meeting | null>(null);
  const [busy, setBusy] = useState(false);
  const [toasts, pushToast] = useToasts();

  useEffect(() => {
    if (status === 'signedOut') navigate('/signin?next=/meetings', { replace: true });
  }, [status]);

  const load = useCallback(() => {
    api.listMeetings().then(
      (list) => {
        setMeetings(list);
        setError(null);
      },
      (err: unknown) => {
        if (errorCode(err) === 'not_signed_in') navigate('/signin?next=/meetings', { replace: true });
        else setError(err instanceof Error ? err.message : 'Could not load your meetings.');
      },
    );
  }, []);
  useEffect(() => {
    if (status === 'signedIn') load();
  }, [status, load]);

  const copy = (meeting: Meeting): void => {
    const link = shareLink(meeting);
    void copyText(link).then((ok) =>
      pushToast(
        ok
          ? { icon: <CheckIcon size={20} />, text: 'Meeting link copied' }
          : { icon: <AlertIcon size={20} />, text: link, tone: 'error' },
      ),
    );
  };

  const confirmEnd = (): void => {
    if (!ending) return;
    setBusy(true);
    api.endMeeting(ending.id).then(
      () => {
        setBusy(false);
        setEnding(null);
        pushToast({ icon: <CheckIcon size={20} />, text: `“${ending.title}” ended` });
        load();
      },
      (err: unknown) => {
        setBusy(false);
        setEnding(null);
        pushToast({
          icon: <AlertIcon size={20} />,
          text: err instanceof Error ? err.message : 'Could not end the meeting.',
          tone: 'error',
        });
      },
    );
  };

  return (
    <div className="page">
      <TopBar />
      <main className="meetings-main">
        <header className="meetings-header">
          <h1>My meetings</h1>
          <a className="primary-button" data-testid="schedule-meeting" {...linkProps('/meetings/new')}>
            <PlusVideoIcon size={20} />
            <span>Schedule a meeting</span>
          </a>
        </header>
        {status === 'signedIn' ? (
          <HostNotices
            who={{ kind: 'account' }}
            titles={Object.fromEntries((meetings ?? []).map((m) => [m.id, m.title || 'Untitled meeting']))}
          />
        ) : null}
        {error ? (
          <p className="form-error" role="alert" data-testid="error-message">
            {error}
          </p>
        ) : null}
        {meetings === null && !error ? <span className="spinner" aria-label="Loading" /> : null}
        {meetings?.length === 0 ? (
          <div className="empty-state">
            <p>No meetings yet.</p>
            <p>Schedule one here, or start an instant meeting from the home page.</p>
          </div>
        ) : null}
        {meetings && meetings.length > 0 ? (
          <ul className="meeting-list" data-testid="meeting-list">
            {meetings.map((meeting) => (
              <MeetingRow
                key={meeting.id}
                meeting={meeting}
                onCopy={() => copy(meeting)}
                onEnd={() => setEnding(meeting)}
              />
            ))}
          </ul>
        ) : null}
      </main>
      {ending ? (
        <Dialog
          title={`End “${ending.title}”?`}
          confirmLabel="End meeting"
          confirmTestId="meeting-end-confirm"
          danger
          busy={busy}
          onConfirm={confirmEnd}
          onCancel={() => setEnding(null)}
        >
          <p>Everyone in it is removed, and the link stops working for good.</p>
        </Dialog>
      ) : null}
      <Toasts toasts={toasts} />
    </div>
  );
}

function MeetingRow({ meeting, onCopy, onEnd }: { meeting: Meeting; onCopy: () => void; onEnd: () => void }) {
  const ended = meeting.endedAt !== null;
  const when = meeting.scheduledFor ? new Date(meeting.scheduledFor) : null;
  return (
    <li
      className={`meeting-row${ended ? ' ended' : ''}`}
      data-testid="meeting-row"
      data-meeting-id={meeting.id}
      data-ended={ended ? 'true' : 'false'}
    >
      <div className="meeting-when">
        {when ? (
          <>
            <span className="meeting-day">{dayFormat.format(when)}</span>
            <span className="meeting-time">{timeFormat.format(when)}</span>
          </>
        ) : (
          <span className="meeting-day">Any time</span>
        )}
      </div>
      <div className="meeting-info">
        <span className="meeting-title">{meeting.title || 'Untitled meeting'}</span>
        <SettingsBadges meeting={meeting} />
      </div>
      <div className="meeting-actions">
        <button
          type="button"
          className="icon-button small"
          data-testid="meeting-copy-link"
          aria-label="Copy meeting link"
          title="Copy meeting link"
          onClick={onCopy}
        >
          <CopyIcon size={19} />
        </button>
        {ended ? null : (
          <>
            <a
              className="icon-button small"
              data-testid="meeting-edit"
              aria-label="Edit meeting"
              title="Edit"
              {...linkProps(`/meetings/${meeting.id}/edit`)}
            >
              <EditIcon size={19} />
            </a>
            <button
              type="button"
              className="text-button danger-text"
              data-testid="meeting-end"
              onClick={onEnd}
            >
              End
            </button>
            <a className="primary-button" data-testid="meeting-start" {...linkProps(meetingPath(meeting))}>
              {meeting.live ? 'Join' : 'Start'}
            </a>
          </>
        )}
      </div>
    </li>
  );
}

export function SettingsBadges({ meeting }: { meeting: Meeting }) {
  const { settings } = meeting;
  const region = settings.regionPolicy;
  const badges: Array<{ key: string; text: string; title?: string; tone?: string }> = [];
  if (meeting.endedAt) badges.push({ key: 'ended', text: 'Ended', tone: 'muted' });
  else if (meeting.live) {
    const n = meeting.live.participants;
    badges.push({ key: 'live', text: `Live · ${n} ${n === 1 ? 'person' : 'people'}`, tone: 'live' });
  }
  if (settings.webinar) badges.push({ key: 'webinar', text: 'Webinar' });
  if (settings.lobby) badges.push({ key: 'lobby', text: 'Lobby' });
  if (settings.hasPasscode) badges.push({ key: 'passcode', text: 'Passcode' });
  if (settings.maxParticipants !== null) badges.push({ key: 'max', text: `Max ${settings.maxParticipants}` });
  if (region && region.jurisdictions.length > 0) {
    const list = region.jurisdictions.join(', ');
    badges.push({
      key: 'region',
      text: region.mode === 'deny' ? `Blocks ${list}` : `Only ${list}`,
      title: region.jurisdictions.map(countryName).join(', '),
    });
  }
  if (meeting.locked) badges.push({ key: 'locked', text: 'Locked' });
  if (badges.length === 0) return null;
  return (
    <span className="badges">
      {badges.map((badge) => (
        <span
          key={badge.key}
          className={`setting-badge${badge.tone ? ` ${badge.tone}` : ''}`}
          data-badge={badge.key}
          title={badge.title}
        >
          {badge.text}
        </span>
      ))}
    </span>
  );
}
