/** The landing screen: start a meeting, or join one from a link or ID. */
import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { useAccount } from '../account.js';
import { api, linkHash, parseMeetingInput } from '../api.js';
import { CodeIcon, KeyboardIcon, PlusVideoIcon, ServerIcon, ShieldIcon } from '../components/Icons.js';
import { errorText } from '../errorText.js';
import { linkProps, navigate } from '../router.js';
import { TopBar } from './TopBar.js';

export function Home() {
  const { t } = useTranslation();
  const { account } = useAccount();
  const [link, setLink] = useState('');
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const joinId = parseMeetingInput(link);

  const onCreate = async (): Promise<void> => {
    setCreating(true);
    setError(null);
    try {
      // Signed in: the meeting is yours (the session cookie says so). Anonymous: the answer set the host
      // key as an HttpOnly cookie that the signaling connection presents; the page never stores it.
      const meeting = await api.createMeeting({});
      navigate(`/m/${meeting.id}`);
    } catch (err) {
      setError(
        err instanceof Error && err.message
          ? t('home.createFailedBecause', { reason: errorText(err, '') }).trim()
          : t('home.createFailed'),
      );
      setCreating(false);
    }
  };

  const onJoin = (event: FormEvent): void => {
    event.preventDefault();
    if (!joinId) {
      setError(t('home.badLink'));
      return;
    }
    // A pasted link keeps its `#pwd=` passcode.
    navigate(`/m/${joinId}${linkHash(link)}`);
  };

  return (
    <div className="home">
      <TopBar />
      <main className="home-main">
        <section className="home-hero">
          <h1>{t('home.headline')}</h1>
          <p className="home-lead">{t('home.lead')}</p>
          <div className="home-actions">
            <button
              type="button"
              className="primary-button large"
              data-testid="create-meeting"
              onClick={() => void onCreate()}
              disabled={creating}
            >
              {creating ? <span className="spinner small" aria-hidden="true" /> : <PlusVideoIcon size={22} />}
              <span>{creating ? t('home.creating') : t('home.newMeeting')}</span>
            </button>
            <form className="join-form" onSubmit={onJoin}>
              <label className="join-field">
                <KeyboardIcon size={20} />
                <span className="visually-hidden">{t('home.linkLabel')}</span>
                <input
                  data-testid="join-link-input"
                  type="text"
                  inputMode="url"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={t('home.linkPlaceholder')}
                  value={link}
                  onChange={(event) => {
                    setLink(event.target.value);
                    setError(null);
                  }}
                />
              </label>
              <button
                type="submit"
                className="text-button"
                data-testid="join-link-submit"
                disabled={!link.trim()}
              >
                {t('home.join')}
              </button>
            </form>
          </div>
          <p className="home-account">
            {account ? (
              <Trans
                i18nKey="home.scheduleSignedIn"
                components={[<a key="a" {...linkProps('/meetings/new')} />]}
              />
            ) : (
              <Trans
                i18nKey="home.scheduleSignedOut"
                components={[<a key="a" {...linkProps('/signin')} />]}
              />
            )}
          </p>
          {error ? (
            <p className="form-error" role="alert" data-testid="error-message">
              {error}
            </p>
          ) : null}
          <hr className="home-rule" />
          <ul className="home-points">
            <li>
              <ServerIcon size={20} />
              <span>{t('home.pointServer')}</span>
            </li>
            <li>
              <ShieldIcon size={20} />
              <span>{t('home.pointPrivacy')}</span>
            </li>
            <li>
              <CodeIcon size={20} />
              <span>{t('home.pointOpen')}</span>
            </li>
          </ul>
        </section>
        <section className="home-art" aria-hidden="true">
          <div className="art-window">
            <div className="art-grid">
              <div className="art-tile t1">
                <span className="art-avatar">AL</span>
                <span className="art-name">Alice</span>
              </div>
              <div className="art-tile t2 speaking">
                <span className="art-avatar">BO</span>
                <span className="art-name">Bo</span>
              </div>
              <div className="art-tile t3">
                <span className="art-avatar">CK</span>
                <span className="art-name">Chidi</span>
              </div>
              <div className="art-tile t4">
                <span className="art-avatar">DM</span>
                <span className="art-name">Dana</span>
              </div>
            </div>
            <div className="art-bar">
              <i />
              <i />
              <i />
              <i className="red" />
            </div>
          </div>
        </section>
      </main>
    </div>
  );
}
