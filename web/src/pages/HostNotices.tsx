/**
 * A host's notices of operator decisions that affect their meetings (docs/api.md, "Hosts: notices and
 * appeals"): the case, jurisdiction, legal basis, scope, expiry and reason, a link to the public notice,
 * an appeal, its outcome, and (signed-in hosts) consent to name the meetings and host publicly.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  appealNotice,
  errorText,
  formatDate,
  listNotices,
  setNoticeConsent,
  type HostCredentials,
  type Notice,
} from '../cases.js';
import { Dialog } from '../components/Dialog.js';
import { countryName } from '../countries.js';

const KIND_TITLES: Record<Notice['kind'], string> = {
  withheld: 'Withheld in one jurisdiction',
  appeal_decided: 'Appeal decided',
  lifted: 'Restriction lifted',
};

export function HostNotices({
  who,
  titles = {},
}: {
  who: HostCredentials;
  /** Titles of the host's meetings by id, to name the meetings in scope. */
  titles?: Readonly<Record<string, string>>;
}) {
  const [notices, setNotices] = useState<Notice[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [appealing, setAppealing] = useState<Notice | null>(null);
  const key = who.kind === 'account' ? 'account' : `${who.meetingId}:${who.hostKey}`;
  const load = useCallback(() => {
    listNotices(who).then(
      (list) => {
        setNotices(list);
        setError(null);
      },
      (err: unknown) => setError(errorText(err, 'Could not load notices.')),
    );
    // `key` identifies `who`.
  }, [key]);
  useEffect(load, [load]);

  if (error) {
    return (
      <p className="form-error" role="alert" data-testid="notices-error">
        {error}
      </p>
    );
  }
  if (!notices || notices.length === 0) return null;
  return (
    <section className="host-notices" aria-labelledby="host-notices-title" data-testid="host-notices">
      <h2 id="host-notices-title">Notices about your meetings</h2>
      <ul className="meeting-list">
        {notices.map((notice) => (
          <NoticeItem
            key={notice.id}
            notice={notice}
            canConsent={who.kind === 'account'}
            titles={titles}
            onAppeal={() => setAppealing(notice)}
            onChanged={(next) => setNotices((old) => old?.map((n) => (n.id === next.id ? next : n)) ?? null)}
          />
        ))}
      </ul>
      {appealing ? (
        <AppealDialog
          notice={appealing}
          who={who}
          onClose={() => setAppealing(null)}
          onFiled={() => {
            setAppealing(null);
            load();
          }}
        />
      ) : null}
    </section>
  );
}

function NoticeItem({
  notice,
  titles,
  canConsent,
  onAppeal,
  onChanged,
}: {
  notice: Notice;
  titles: Readonly<Record<string, string>>;
  canConsent: boolean;
  onAppeal: () => void;
  onChanged: (next: Notice) => void;
}) {
  const appeal = notice.appeal;
  return (
    <li
      className="card host-notice"
      data-testid="host-notice"
      data-case-ref={notice.caseRef}
      data-kind={notice.kind}
    >
      <h3>
        {KIND_TITLES[notice.kind]}: case {notice.caseRef}
      </h3>
      <dl className="console-facts">
        <dt>Jurisdiction</dt>
        <dd data-field="jurisdiction">
          {countryName(notice.jurisdiction)} ({notice.jurisdiction})
        </dd>
        <dt>Authority</dt>
        <dd>{notice.authority}</dd>
        <dt>Legal basis cited</dt>
        <dd>{notice.legalBasis}</dd>
        <dt>Scope</dt>
        <dd data-field="scope">
          {notice.scope.kind === 'host'
            ? 'All your meetings'
            : notice.scope.meetingIds.map((id) => titles[id] || `Meeting ${id}`).join(', ')}
          , only for participants connecting from {countryName(notice.jurisdiction)}. Everyone else can join
          as usual.
        </dd>
        <dt>Until</dt>
        <dd data-field="expiresAt">{formatDate(notice.expiresAt)}</dd>
        <dt>Reason</dt>
        <dd className="console-wrap" data-field="reason">
          {notice.reason}
        </dd>
        {appeal ? (
          <>
            <dt>Your appeal</dt>
            <dd data-testid="notice-appeal" data-outcome={appeal.outcome ?? 'pending'}>
              {appeal.outcome
                ? `${appeal.outcome === 'reversed' ? 'Reversed: the restriction is lifted' : 'Upheld'}${appeal.reason ? `: ${appeal.reason}` : ''} (${formatDate(appeal.decidedAt)})`
                : `Filed ${formatDate(appeal.filedAt)}; waiting for a decision.`}
            </dd>
          </>
        ) : null}
      </dl>
      <div className="meeting-actions">
        <a className="text-button" href={notice.noticePath} data-testid="notice-public-link">
          Public notice
        </a>
        {!appeal && notice.kind === 'withheld' ? (
          <button
            type="button"
            className="secondary-button"
            data-testid="notice-appeal-open"
            onClick={onAppeal}
          >
            Appeal
          </button>
        ) : null}
      </div>
      {canConsent ? <ConsentToggles notice={notice} onChanged={onChanged} /> : null}
    </li>
  );
}

function ConsentToggles({ notice, onChanged }: { notice: Notice; onChanged: (next: Notice) => void }) {
  const [consent, setConsent] = useState({
    publishTitles: notice.publishTitles,
    publishHostName: notice.publishHostName,
  });
  const [error, setError] = useState<string | null>(null);
  const change = (next: { publishTitles: boolean; publishHostName: boolean }): void => {
    const previous = consent;
    setConsent(next);
    setError(null);
    setNoticeConsent(notice.id, next).then(
      (updated) => {
        setConsent({ publishTitles: updated.publishTitles, publishHostName: updated.publishHostName });
        onChanged(updated);
      },
      (err: unknown) => {
        setConsent(previous);
        setError(errorText(err, 'Could not save.'));
      },
    );
  };
  return (
    <fieldset className="field-group notice-consent">
      <legend>The public notice may name</legend>
      <label className="check-row">
        <input
          type="checkbox"
          data-testid="notice-consent-titles"
          checked={consent.publishTitles}
          onChange={(e) => change({ ...consent, publishTitles: e.target.checked })}
        />
        <span>the meeting titles</span>
      </label>
      <label className="check-row">
        <input
          type="checkbox"
          data-testid="notice-consent-host"
          checked={consent.publishHostName}
          onChange={(e) => change({ ...consent, publishHostName: e.target.checked })}
        />
        <span>me, as the host</span>
      </label>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

export function AppealDialog({
  notice,
  who,
  onClose,
  onFiled,
}: {
  notice: Notice;
  who: HostCredentials;
  onClose: () => void;
  onFiled: () => void;
}) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (): void => {
    if (!text.trim() || busy) return;
    setBusy(true);
    setError(null);
    appealNotice(who, notice.id, text.trim()).then(onFiled, (err: unknown) => {
      setError(errorText(err, 'Could not file the appeal.'));
      setBusy(false);
    });
  };
  return (
    <Dialog
      title={`Appeal case ${notice.caseRef}`}
      confirmLabel="Send appeal"
      confirmTestId="appeal-submit"
      busy={busy || !text.trim()}
      testId="appeal-dialog"
      onConfirm={submit}
      onCancel={onClose}
    >
      <label className="field">
        <span className="field-label">Why the decision should be reversed</span>
        <textarea
          data-testid="appeal-text"
          autoFocus
          rows={5}
          maxLength={5000}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <p className="field-hint">
        A reviewer other than the one who recorded the request decides. You are told the outcome here.
      </p>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </Dialog>
  );
}
