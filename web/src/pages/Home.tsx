/** The landing screen: start a meeting, or join one from a link or ID. */
import { useState, type FormEvent } from 'react';
import { createMeeting, parseMeetingInput } from '../api.js';
import { CodeIcon, KeyboardIcon, PlusVideoIcon, ServerIcon, ShieldIcon } from '../components/Icons.js';
import { navigate } from '../router.js';
import { TopBar } from './TopBar.js';

export function Home() {
  const [link, setLink] = useState('');
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const joinId = parseMeetingInput(link);

  const onCreate = async (): Promise<void> => {
    setCreating(true);
    setError(null);
    try {
      const meeting = await createMeeting();
      navigate(`/m/${meeting.id}`);
    } catch (err) {
      setError(
        err instanceof Error ? `Could not create a meeting. ${err.message}` : 'Could not create a meeting.',
      );
      setCreating(false);
    }
  };

  const onJoin = (event: FormEvent): void => {
    event.preventDefault();
    if (!joinId) {
      setError('That does not look like a meeting link or ID.');
      return;
    }
    navigate(`/m/${joinId}`);
  };

  return (
    <div className="home">
      <TopBar />
      <main className="home-main">
        <section className="home-hero">
          <h1>Video meetings on your own terms.</h1>
          <p className="home-lead">
            Start a call in one click and share the link. Convene runs on a server you control: no accounts,
            no downloads, nothing to install for your guests.
          </p>
          <div className="home-actions">
            <button
              type="button"
              className="primary-button large"
              data-testid="create-meeting"
              onClick={() => void onCreate()}
              disabled={creating}
            >
              {creating ? <span className="spinner small" aria-hidden="true" /> : <PlusVideoIcon size={22} />}
              <span>{creating ? 'Creating…' : 'New meeting'}</span>
            </button>
            <form className="join-form" onSubmit={onJoin}>
              <label className="join-field">
                <KeyboardIcon size={20} />
                <span className="visually-hidden">Meeting link or ID</span>
                <input
                  data-testid="join-link-input"
                  type="text"
                  inputMode="url"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="Paste a link or meeting ID"
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
                Join
              </button>
            </form>
          </div>
          {error ? (
            <p className="form-error" role="alert" data-testid="error-message">
              {error}
            </p>
          ) : null}
          <hr className="home-rule" />
          <ul className="home-points">
            <li>
              <ServerIcon size={20} />
              <span>Self-hosted: the media and the signaling stay on your server.</span>
            </li>
            <li>
              <ShieldIcon size={20} />
              <span>No accounts and no tracking. A meeting is just a link.</span>
            </li>
            <li>
              <CodeIcon size={20} />
              <span>Open source, from the browser to the media server.</span>
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
