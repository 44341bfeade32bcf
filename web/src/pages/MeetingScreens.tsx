/** The screens around the room: join errors (with the passcode prompt) and the end of a session. */
import { countryName } from '../countries.js';
import { useState, type FormEvent } from 'react';
import type { SessionEnd } from '../../../src/client/types.js';
import { navigate } from '../router.js';
import { StatusScreen } from './StatusScreen.js';

/** One message for a made-up link and a wrong passcode alike: never hint which one it was. */
export const NOT_FOUND_MESSAGE = 'This meeting link is not valid, or the passcode is wrong.';

const home = { label: 'Return to home screen', onClick: () => navigate('/'), testId: 'go-home' };

interface JoinErrorProps {
  error: { code: string; message: string } | null;
  onRetry: () => void;
  onPasscode: (passcode: string) => void;
}

export function JoinErrorScreen({ error, onRetry, onPasscode }: JoinErrorProps) {
  const code = error?.code;
  if (code === 'meeting_not_found') return <PasscodePrompt onSubmit={onPasscode} />;
  const known: Record<string, { title: string; message: string; retry: boolean }> = {
    meeting_locked: {
      title: 'This meeting is locked',
      message: 'The host has locked the meeting, so nobody new can join. Ask them to unlock it.',
      retry: true,
    },
    banned: {
      title: "You can't join this meeting",
      message: 'The host removed you from this meeting and does not allow you to rejoin.',
      retry: false,
    },
    region_not_allowed: {
      title: "You can't join from your region",
      message: 'The host does not allow participants from your region in this meeting.',
      retry: false,
    },
    meeting_full: {
      title: 'This meeting is full',
      message: 'The meeting has reached its participant limit. Try again when someone leaves.',
      retry: true,
    },
    rate_limited: {
      title: 'Too many attempts',
      message: 'Wait a little while, then try again.',
      retry: true,
    },
  };
  const entry = (code ? known[code] : undefined) ?? {
    title: 'Could not join the meeting',
    message: error?.message ?? 'Something went wrong.',
    retry: true,
  };
  return (
    <StatusScreen
      state="error"
      title={entry.title}
      message={entry.message}
      code={code}
      actions={[
        ...(entry.retry ? [{ label: 'Try again', primary: true, onClick: onRetry, testId: 'retry' }] : []),
        { ...home, primary: !entry.retry },
      ]}
    />
  );
}

function PasscodePrompt({ onSubmit }: { onSubmit: (passcode: string) => void }) {
  const [passcode, setPasscode] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const value = passcode.trim();
    if (value) onSubmit(value);
  };
  return (
    <StatusScreen
      state="error"
      title="Check your meeting link"
      message={NOT_FOUND_MESSAGE}
      code="meeting_not_found"
      actions={[home]}
    >
      <form className="passcode-form" onSubmit={submit}>
        <label className="field">
          <span className="field-label">Passcode</span>
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
          Try again
        </button>
      </form>
    </StatusScreen>
  );
}

const ENDED_TEXT: Record<SessionEnd['reason'], { title: string; message: string }> = {
  removed: { title: 'You were removed from the meeting', message: 'A host removed you from this meeting.' },
  denied: { title: 'The host did not let you in', message: 'You can ask to join again.' },
  ended: {
    title: 'The host ended the meeting',
    message: 'The meeting is over for everyone. Thanks for joining.',
  },
  withheld: {
    title: 'This meeting is not available in your location',
    message: 'The operator withheld this meeting in your jurisdiction in response to a legal demand.',
  },
};

interface EndedProps {
  end: SessionEnd;
  /** You were the host (so "the host ended the meeting" was you). */
  wasHost: boolean;
  onRejoin: () => void;
}

export function SessionEndedScreen({ end, wasHost, onRejoin }: EndedProps) {
  const text =
    end.reason === 'ended' && wasHost
      ? { title: 'You ended the meeting', message: 'The meeting is over for everyone.' }
      : end.code === 'region_not_allowed'
        ? {
            title: 'This meeting is no longer open to your region',
            message: "The host changed the meeting's settings to exclude participants from your region.",
          }
        : ENDED_TEXT[end.reason];
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
          ? "You can't rejoin this meeting."
          : withheld
            ? `This meeting is not available in ${countryName(withheld.jurisdiction)} in response to a legal demand. Case ${withheld.caseRef}.`
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
                label: end.reason === 'denied' ? 'Ask to join again' : 'Rejoin',
                primary: true,
                onClick: onRejoin,
                testId: 'rejoin',
              },
            ]
          : []),
        { ...home, primary: !canRetry },
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
            Read the public notice of case {withheld.caseRef}
          </a>
        </p>
      ) : null}
    </StatusScreen>
  );
}
