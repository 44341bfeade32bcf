/**
 * The pre-join screen's facts about the meeting (from the preview API, docs/api.md): who is there as
 * far as you may know, how you get in, whether a passcode is needed (said before the camera opens),
 * and the link with a copy button.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingPreview } from '../../../src/client/api.js';
import { meetingUrl } from '../api.js';
import { copyText } from '../clipboard.js';
import { CheckIcon, CopyIcon, LockIcon, PeopleIcon } from '../components/Icons.js';
import { formatList } from '../i18n/index.js';

interface Props {
  meetingId: string;
  preview: MeetingPreview | null;
  /** The passcode the link carried, if any (it stays in the browser). */
  passcodeFromLink: string | null;
}

export function ArrivalInfo({ meetingId, preview, passcodeFromLink }: Props) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const link = meetingUrl(meetingId, passcodeFromLink);
  const copy = (): void => {
    void copyText(link).then((ok) => setCopied(ok));
  };
  return (
    <div className="arrival" data-testid="prejoin-info">
      {preview && !preview.passcodeRequired ? (
        <p className="arrival-line" data-testid="prejoin-present" data-count={preview.participants.count}>
          <PeopleIcon size={18} />
          <span>{presentText(preview.participants, t)}</span>
        </p>
      ) : null}
      {preview && !preview.passcodeRequired && preview.entry !== 'open' ? (
        <p className="arrival-line" data-testid="prejoin-entry" data-entry={preview.entry}>
          <LockIcon size={18} />
          <span>{preview.entry === 'lobby' ? t('arrive.lobby') : t('arrive.closed')}</span>
        </p>
      ) : null}
      {preview?.passcodeRequired ? (
        <p className="arrival-line" data-testid="prejoin-passcode-needed">
          <LockIcon size={18} />
          <span>{passcodeFromLink ? t('arrive.passcodeFromLink') : t('arrive.passcodeNeeded')}</span>
        </p>
      ) : null}
      <div className="arrival-link">
        <span className="prejoin-link" title={link}>
          {meetingUrl(meetingId).replace(/^https?:\/\//, '')}
        </span>
        <button
          type="button"
          className="secondary-button small"
          data-testid="prejoin-copy-link"
          onClick={copy}
        >
          {copied ? <CheckIcon size={16} /> : <CopyIcon size={16} />}
          <span>{t('arrive.copyLink')}</span>
        </button>
        <span className="visually-hidden" role="status">
          {copied ? t('common.meetingLinkCopied') : ''}
        </span>
      </div>
    </div>
  );
}

function presentText(
  participants: { count: number; names: string[] | null },
  t: (key: string, options?: Record<string, unknown>) => string,
): string {
  const { count, names } = participants;
  if (count === 0) return t('arrive.nobody');
  if (!names || names.length === 0) return t('arrive.count', { count });
  const more = count - names.length;
  return more > 0
    ? t('arrive.namesMore', { names: formatList(names), count: more })
    : t('arrive.names', { names: formatList(names) });
}
