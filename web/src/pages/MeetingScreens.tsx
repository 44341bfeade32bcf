/** The screens around the room: join errors (with the passcode prompt) and the end of a session. */
import { countryName } from '../countries.js';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionEnd } from '../../../src/client/types.js';
import { en } from '../i18n/en.js';
import { t } from '../i18n/index.js';
import { errorText } from '../errorText.js';
import { navigate } from '../router.js';
import { StatusScreen } from './StatusScreen.js';

/** One message for a made-up link and a wrong passcode alike: never hint which one it was. */
export const NOT_FOUND_MESSAGE = en.joinError.notFound;

const home = () => ({ label: t('common.goHome'), onClick: () => navigate('/'), testId: 'go-home' });

interface JoinErrorProps {
  error: { code: string; message: string } | null;
  onRetry: () => void;
  onPasscode: (passcode: string) => void;
}

export function JoinErrorScreen({ error, onRetry, onPasscode }: JoinErrorProps) {
  useTranslation();
  const code = error?.code;
  if (code === 'meeting_not_found') return <PasscodePrompt onSubmit={onPasscode} />;
  const known: Record<string, { title: string; message: string; retry: boolean }> = {
    meeting_locked: {
      title: t('joinError.lockedTitle'),
      message: t('joinError.lockedMessage'),
      retry: true,
    },
    banned: {
      title: t('joinError.bannedTitle'),
      message: t('joinError.bannedMessage'),
      retry: false,
    },
    region_not_allowed: {
      title: t('joinError.regionTitle'),
      message: t('joinError.regionMessage'),
      retry: false,
    },
    meeting_full: {
      title: t('joinError.fullTitle'),
      message: t('joinError.fullMessage'),
      retry: true,
    },
    rate_limited: {
      title: t('joinError.rateTitle'),
      message: t('joinError.rateMessage'),
      retry: true,
    },
  };
  const entry = (code ? known[code] : undefined) ?? {
    title: t('joinError.genericTitle'),
    message: error
      ? errorText(Object.assign(new Error(error.message), { code: error.code }), t('common.somethingWrong'))
      : t('common.somethingWrong'),
    retry: true,
  };
  return (
    <StatusScreen
      state="error"
      title={entry.title}
      message={entry.message}
      code={code}
      actions={[
        ...(entry.retry
          ? [{ label: t('common.tryAgain'), primary: true, onClick: onRetry, testId: 'retry' }]
          : []),
        { ...home(), primary: !entry.retry },
      ]}
    />
  );
}

function PasscodePrompt({ onSubmit }: { onSubmit: (passcode: string) => void }) {
  useTranslation();
  const [passcode, setPasscode] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const value = passcode.trim();
    if (value) onSubmit(value);
  };
  return (
    <StatusScreen
      state="error"
      title={t('joinError.checkLink')}
      message={t('joinError.notFound')}
      code="meeting_not_found"
      actions={[home()]}
    >
      <form className="passcode-form" onSubmit={submit}>
        <label className="field">
          <span className="field-label">{t('joinError.passcode')}</span>
          <input
            data-testid="passcode-input"
            type="password"
            autoComplete="off"
            spellCheck={false}
            maxLength={128}
            autoFocus
            value={passcode}
            onChange={(event) => setPasscode(event.target.value)}
          />
        </label>
        <button
          type="submit"
          className="primary-button"
          data-testid="passcode-submit"
          disabled={!passcode.trim()}
        >
          {t('common.tryAgain')}
        </button>
      </form>
    </StatusScreen>
  );
}

const ENDED_TEXT: Record<SessionEnd['reason'], { title: string; message: string }> = {
  removed: { title: 'ended.removedTitle', message: 'ended.removedMessage' },
  denied: { title: 'ended.deniedTitle', message: 'ended.deniedMessage' },
  ended: { title: 'ended.endedTitle', message: 'ended.endedMessage' },
  withheld: { title: 'ended.withheldTitle', message: 'ended.withheldMessage' },
};

interface EndedProps {
  end: SessionEnd;
  /** You were the host (so "the host ended the meeting" was you). */
  wasHost: boolean;
  onRejoin: () => void;
}

export function SessionEndedScreen({ end, wasHost, onRejoin }: EndedProps) {
  useTranslation();
  const keys =
    end.reason === 'ended' && wasHost
      ? { title: 'ended.youEndedTitle', message: 'ended.youEndedMessage' }
      : end.code === 'region_not_allowed'
        ? { title: 'ended.regionTitle', message: 'ended.regionMessage' }
        : ENDED_TEXT[end.reason];
  const text = { title: t(keys.title), message: t(keys.message) };
  const banned = end.reason === 'removed' && end.banned;
  // The server says when joining again can work; a rule's or an operator's refusal would only repeat.
  const canRetry = end.rejoin;
  const withheld = end.reason === 'withheld' ? end.withheld : undefined;
  return (
    <StatusScreen
      state="ended"
      title={text.title}
      message={
        banned
          ? t('ended.banned')
          : withheld
            ? t('ended.withheldNotice', {
                country: countryName(withheld.jurisdiction),
                ref: withheld.caseRef,
              })
            : text.message
      }
      titleData={{
        'data-testid': 'session-ended',
        'data-reason': end.reason,
        'data-banned': banned ? 'true' : 'false',
      }}
      actions={[
        ...(canRetry
          ? [
              {
                label: end.reason === 'denied' ? t('ended.askAgain') : t('common.rejoin'),
                primary: true,
                onClick: onRejoin,
                testId: 'rejoin',
              },
            ]
          : []),
        { ...home(), primary: !canRetry },
      ]}
    >
      {withheld ? (
        <p
          className="status-message"
          data-testid="withheld-notice"
          data-jurisdiction={withheld.jurisdiction}
          data-case-ref={withheld.caseRef}
        >
          <a
            href={withheld.noticePath}
            data-testid="withheld-case-link"
            target="_blank"
            rel="noopener noreferrer"
          >
            {t('ended.withheldLink', { ref: withheld.caseRef })}
          </a>
        </p>
      ) : null}
    </StatusScreen>
  );
}
