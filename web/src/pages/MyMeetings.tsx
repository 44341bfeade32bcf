/**
 * `/meetings`: the signed-in host's meetings: copy the link, start, edit, end; schedule a new one.
 * Ended meetings stay listed after the others as history, with the day they ended.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Meeting } from '../../../src/client/api.js';
import { errorCode } from '../../../src/client/ClientError.js';
import { api, meetingPath, shareLink } from '../api.js';
import { useAccount } from '../account.js';
import { copyText } from '../clipboard.js';
import { errorText } from '../errorText.js';
import { Dialog } from '../components/Dialog.js';
import { AlertIcon, CheckIcon, CopyIcon, EditIcon, PlusVideoIcon } from '../components/Icons.js';
import { Toasts, useToasts } from '../components/Toasts.js';
import { formatDay, formatTime, regionName, t as translate } from '../i18n/index.js';
import { linkProps, navigate } from '../router.js';
import { HostNotices } from './HostNotices.js';
import { TopBar } from './TopBar.js';

export function MyMeetings() {
  const { t } = useTranslation();
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
        else setError(errorText(err, translate('meetings.loadFailed')));
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
          ? { icon: <CheckIcon size={20} />, text: t('common.meetingLinkCopied') }
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
        pushToast({ icon: <CheckIcon size={20} />, text: t('meetings.endedToast', { title: ending.title }) });
        load();
      },
      (err: unknown) => {
        setBusy(false);
        setEnding(null);
        pushToast({
          icon: <AlertIcon size={20} />,
          text: errorText(err, t('meetings.endFailed')),
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
          <h1>{t('meetings.title')}</h1>
          <a className="primary-button" data-testid="schedule-meeting" {...linkProps('/meetings/new')}>
            <PlusVideoIcon size={20} />
            <span>{t('meetings.schedule')}</span>
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
        {meetings === null && !error ? (
          <span className="spinner" role="img" aria-label={t('common.loading')} />
        ) : null}
        {meetings?.length === 0 ? (
          <div className="empty-state">
            <p>{t('meetings.empty')}</p>
            <p>{t('meetings.emptyHint')}</p>
          </div>
        ) : null}
        {meetings && meetings.length > 0 ? (
          <ul className="meeting-list" data-testid="meeting-list" aria-label={t('meetings.list')}>
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
          title={t('meetings.endTitle', { title: ending.title })}
          confirmLabel={t('meetings.endConfirm')}
          confirmTestId="meeting-end-confirm"
          danger
          busy={busy}
          onConfirm={confirmEnd}
          onCancel={() => setEnding(null)}
        >
          <p>{t('meetings.endBody')}</p>
        </Dialog>
      ) : null}
      <Toasts toasts={toasts} live />
    </div>
  );
}

function MeetingRow({ meeting, onCopy, onEnd }: { meeting: Meeting; onCopy: () => void; onEnd: () => void }) {
  const { t } = useTranslation();
  const ended = meeting.endedAt !== null;
  const when = meeting.scheduledFor ? new Date(meeting.scheduledFor) : null;
  const endedAt = meeting.endedAt ? new Date(meeting.endedAt) : null;
  return (
    <li
      className={`meeting-row${ended ? ' ended' : ''}`}
      data-testid="meeting-row"
      data-meeting-id={meeting.id}
      data-ended={ended ? 'true' : 'false'}
    >
      <div className="meeting-when">
        {endedAt ? (
          <>
            <span className="meeting-day" data-testid="meeting-ended-on">
              {t('history.endedOn', { day: formatDay(endedAt) })}
            </span>
            <span className="meeting-time">{formatTime(endedAt)}</span>
          </>
        ) : when ? (
          <>
            <span className="meeting-day">{formatDay(when)}</span>
            <span className="meeting-time">{formatTime(when)}</span>
          </>
        ) : (
          <span className="meeting-day">{t('meetings.anyTime')}</span>
        )}
      </div>
      <div className="meeting-info">
        <span className="meeting-title">{meeting.title || t('meetings.untitled')}</span>
        <SettingsBadges meeting={meeting} />
      </div>
      <div className="meeting-actions">
        <button
          type="button"
          className="icon-button small"
          data-testid="meeting-copy-link"
          aria-label={t('common.copyMeetingLink')}
          title={t('common.copyMeetingLink')}
          onClick={onCopy}
        >
          <CopyIcon size={19} />
        </button>
        {ended ? null : (
          <>
            <a
              className="icon-button small"
              data-testid="meeting-edit"
              aria-label={t('meetings.edit')}
              title={t('meetings.editShort')}
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
              {t('meetings.end')}
            </button>
            <a className="primary-button" data-testid="meeting-start" {...linkProps(meetingPath(meeting))}>
              {meeting.live ? t('meetings.join') : t('meetings.start')}
            </a>
          </>
        )}
      </div>
    </li>
  );
}

export function SettingsBadges({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const { settings } = meeting;
  const region = settings.regionPolicy;
  const badges: Array<{ key: string; text: string; title?: string; tone?: string }> = [];
  if (meeting.endedAt) badges.push({ key: 'ended', text: t('meetings.badgeEnded'), tone: 'muted' });
  else if (meeting.live) {
    const n = meeting.live.participants;
    badges.push({ key: 'live', text: t('meetings.badgeLive', { count: n }), tone: 'live' });
  }
  if (settings.webinar) badges.push({ key: 'webinar', text: t('meetings.badgeWebinar') });
  if (settings.lobby) badges.push({ key: 'lobby', text: t('meetings.badgeLobby') });
  if (settings.hasPasscode) badges.push({ key: 'passcode', text: t('meetings.badgePasscode') });
  if (settings.maxParticipants !== null)
    badges.push({ key: 'max', text: t('meetings.badgeMax', { count: settings.maxParticipants }) });
  if (region && region.jurisdictions.length > 0) {
    const list = region.jurisdictions.join(', ');
    badges.push({
      key: 'region',
      text: region.mode === 'deny' ? t('meetings.badgeBlocks', { list }) : t('meetings.badgeOnly', { list }),
      title: region.jurisdictions.map(regionName).join(', '),
    });
  }
  if (meeting.locked) badges.push({ key: 'locked', text: t('meetings.badgeLocked') });
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
