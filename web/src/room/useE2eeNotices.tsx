/**
 * Join and leave notices of the encryption group, and a visible notice when the safety code changes
 * (also across a gap without keys, as after a server restart):
 * toasts, and the room's live region for screen readers (which also hears keys arriving). From `SessionState.e2ee` snapshots (rules in
 * e2eeModel.ts `groupChanges`); nothing while encryption is off.
 */
import { useEffect, useRef } from 'react';
import type { E2eeView } from '../../../src/client/types.js';
import { LockIcon } from '../components/Icons.js';
import type { PushToast } from '../components/Toasts.js';
import { t } from '../i18n/index.js';
import { announce } from './announcer.js';
import { groupChanges, rosterVerified, statusAnnouncementKey } from './e2eeModel.js';

export function useE2eeNotices(view: E2eeView, push: PushToast, onShowCode: () => void): void {
  const previous = useRef(view);
  // The last verified safety code shown, kept across a gap without keys (a rejoin after a restart).
  const lastCode = useRef(rosterVerified(view) ? view.safetyCode : null);
  useEffect(() => {
    const before = previous.current;
    previous.current = view;
    if (before === view) return;
    const status = statusAnnouncementKey(before.status, view.status);
    if (status) announce(t(status));
    const changes = groupChanges(before, view, lastCode.current);
    if (rosterVerified(view) && view.safetyCode !== null) lastCode.current = view.safetyCode;
    const notices = [
      ...changes.joined.map((m) => t('e2ee.joined', { name: m.displayName })),
      ...changes.left.map((m) => t('e2ee.left', { name: m.displayName })),
    ];
    for (const text of notices) {
      announce(text);
      // One toast for a burst (a join storm); the live region keeps each notice.
      push({ icon: <LockIcon size={20} />, text, group: 'e2ee-members', panel: 'participants' });
    }
    if (!changes.codeChanged) return;
    const text = t('e2ee.codeChanged');
    announce(text);
    push(
      {
        icon: <LockIcon size={20} />,
        group: 'e2ee-code',
        text: (
          <span className="toast-lobby" data-testid="e2ee-code-changed">
            <span>{text}</span>
            <button type="button" className="text-button small" onClick={onShowCode}>
              {t('e2ee.showCode')}
            </button>
          </span>
        ),
      },
      8000,
    );
  }, [view, push, onShowCode]);
}
