/**
 * In the meeting, the host is told at once when an operator decision affects it (`hostNotice` on the
 * signaling socket), and a host who joined with the meeting's host key (no account) also sees the
 * notices the host-key route returns. Shown as a banner with the case, the jurisdiction, the reason,
 * the public notice and an appeal.
 */
import { useEffect, useState } from 'react';
import type { MeetingSession } from '../../../src/client/MeetingSession.js';
import { asNotice, listNotices, type HostCredentials, type Notice } from '../cases.js';
import { countryName } from '../countries.js';
import { AppealDialog } from './HostNotices.js';

export function HostNoticeLive({ session, meetingId }: { session: MeetingSession; meetingId: string }) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const [appealing, setAppealing] = useState(false);
  const [appealed, setAppealed] = useState(false);
  // The host key of an anonymous meeting lives in an HttpOnly cookie the server reads; the page cannot
  // tell whether it has one, so it asks, and uses that route for the appeal when it answered.
  const [byHostKey, setByHostKey] = useState(false);
  const who: HostCredentials = byHostKey ? { kind: 'hostKey', meetingId } : { kind: 'account' };

  useEffect(
    () =>
      session.on('hostNotice', (value) => {
        const next = asNotice(value);
        if (!next) return;
        setNotice(next);
        setAppealed(next.appeal !== null);
      }),
    [session],
  );
  useEffect(() => {
    let live = true;
    listNotices({ kind: 'hostKey', meetingId }).then(
      (list) => {
        const latest = list.find((n) => n.kind === 'withheld');
        if (!live || !latest) return;
        setByHostKey(true);
        setNotice((old) => old ?? latest);
        setAppealed(latest.appeal !== null);
      },
      () => {
        // Not this meeting's host, or no notices: nothing to show.
      },
    );
    return () => {
      live = false;
    };
  }, [meetingId]);

  if (!notice) return null;
  const where = `${countryName(notice.jurisdiction)} (${notice.jurisdiction})`;
  return (
    <>
      <div
        className="host-notice-live"
        role="alertdialog"
        aria-labelledby="host-notice-live-title"
        data-testid="host-notice-live"
        data-case-ref={notice.caseRef}
        data-kind={notice.kind}
      >
        <strong id="host-notice-live-title">
          {notice.kind === 'withheld'
            ? `This meeting is withheld in ${where} only`
            : notice.kind === 'lifted'
              ? `The restriction in ${where} is lifted`
              : `Your appeal of case ${notice.caseRef} was decided`}
        </strong>
        <p>
          {notice.kind === 'withheld'
            ? `Following a demand by ${notice.authority} (${notice.legalBasis}), participants connecting from ${countryName(notice.jurisdiction)} are removed and cannot join until ${notice.expiresAt ? new Date(notice.expiresAt).toLocaleDateString() : 'the restriction ends'}. Everyone else continues. `
            : ''}
          Reason: {notice.reason}
        </p>
        <div className="dialog-actions">
          <a
            className="text-button"
            href={notice.noticePath}
            target="_blank"
            rel="noreferrer"
            data-testid="host-notice-live-link"
          >
            Public notice {notice.caseRef}
          </a>
          {notice.kind === 'withheld' && !appealed ? (
            <button
              type="button"
              className="secondary-button"
              data-testid="host-notice-live-appeal"
              onClick={() => setAppealing(true)}
            >
              Appeal
            </button>
          ) : null}
          <button
            type="button"
            className="primary-button"
            data-testid="host-notice-live-close"
            onClick={() => setNotice(null)}
          >
            OK
          </button>
        </div>
      </div>
      {appealing ? (
        <AppealDialog
          notice={notice}
          who={who}
          onClose={() => setAppealing(false)}
          onFiled={() => {
            setAppealing(false);
            setAppealed(true);
          }}
        />
      ) : null}
    </>
  );
}
