/**
 * The verified roster in the People panel: a key-group mark on each announced person (in the group
 * or not, guest or signed-in account, duplicate names flagged), a row for each member the server
 * never announced, and a note saying what the list is. Rules in e2eeModel.ts.
 */
import { useTranslation } from 'react-i18next';
import type { E2eeIdentity } from '../../../src/client/types.js';
import { Avatar } from '../components/Avatar.js';
import { AlertIcon, LockIcon } from '../components/Icons.js';
import { t } from '../i18n/index.js';
import type { Ghost, RosterMark } from './e2eeModel.js';

const identityText = (identity: E2eeIdentity | null): string | null =>
  identity === 'account' ? t('e2ee.people.account') : identity === 'guest' ? t('e2ee.people.guest') : null;

/** Under a roster entry's name: whether the person holds the keys, and how their name is known. */
export function E2eeRosterMark({ participantId, mark }: { participantId: string; mark: RosterMark }) {
  useTranslation();
  return (
    <span
      className={`roster-sub e2ee-mark${mark.inGroup ? '' : ' e2ee-out'}`}
      data-testid="e2ee-member"
      data-participant-id={participantId}
      data-in-group={mark.inGroup ? 'true' : 'false'}
      data-identity={mark.identity ?? ''}
      data-duplicate-name={mark.duplicateName ? 'true' : 'false'}
    >
      <span className="e2ee-mark-line">
        {mark.inGroup ? <LockIcon size={13} /> : <AlertIcon size={13} />}
        <span>{mark.inGroup ? identityText(mark.identity) : t('e2ee.people.notInGroup')}</span>
      </span>
      {mark.duplicateName ? (
        <span className="e2ee-duplicate" data-testid="e2ee-duplicate-name">
          {t('e2ee.people.duplicate')}
        </span>
      ) : null}
    </span>
  );
}

/** A member of the key group the server never announced: it can decrypt, so it is shown. */
export function E2eeGhostRow({ ghost }: { ghost: Ghost }) {
  useTranslation();
  const name = ghost.displayName ?? t('e2ee.people.unknownName');
  const identity = identityText(ghost.identity);
  return (
    <li
      className="roster-item e2ee-ghost"
      data-testid="e2ee-ghost"
      data-participant-id={ghost.participantId}
      data-participant-name={ghost.displayName ?? ''}
      data-identity={ghost.identity ?? ''}
    >
      <div className="roster-entry">
        <Avatar name={name} seed={ghost.participantId} size={36} />
        <span className="roster-name">
          <span className="roster-label" dir="auto">
            {name}
          </span>
          <span className="roster-sub e2ee-mark e2ee-out">
            <span className="e2ee-mark-line">
              <AlertIcon size={13} />
              <span>{t('e2ee.people.ghost')}</span>
            </span>
          </span>
          {identity || ghost.duplicateName ? (
            <span className="roster-sub e2ee-mark">
              {identity ? <span>{identity}</span> : null}
              {ghost.duplicateName ? (
                <span className="e2ee-duplicate">{t('e2ee.people.duplicate')}</span>
              ) : null}
            </span>
          ) : null}
        </span>
      </div>
    </li>
  );
}

/** Above the list while it is verified: what the list is, and what the identity marks mean. */
export function E2eeRosterNote() {
  useTranslation();
  return (
    <div className="e2ee-roster-note" data-testid="e2ee-roster-note">
      <p>{t('e2ee.people.note')}</p>
      <p>{t('e2ee.people.identities')}</p>
    </div>
  );
}
