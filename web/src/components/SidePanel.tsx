/** The side panel: the participant list (ParticipantsPanel) or the chat. */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { MeetingSession } from '../../../src/client/MeetingSession.js';
import type { ChatEntry, SessionState } from '../../../src/client/types.js';
import type { Panel } from './ControlBar.js';
import { CloseIcon, SendIcon } from './Icons.js';
import type { Act } from './ParticipantMenu.js';
import { ParticipantsPanel } from './ParticipantsPanel.js';

interface Props {
  panel: Exclude<Panel, null>;
  session: MeetingSession;
  state: SessionState;
  speaking: ReadonlySet<string>;
  act: Act;
  onCopyLink: () => void;
  onClose: () => void;
}

export function SidePanel(props: Props) {
  const title = props.panel === 'chat' ? 'In-call messages' : 'People';
  return (
    <aside className="side-panel" aria-label={title}>
      <header className="side-header">
        <h2>{title}</h2>
        <button
          type="button"
          className="icon-button small"
          aria-label="Close panel"
          title="Close"
          onClick={props.onClose}
        >
          <CloseIcon size={20} />
        </button>
      </header>
      {props.panel === 'chat' ? (
        <ChatPanel chat={props.state.chat} onSend={(text) => props.session.sendChat(text)} />
      ) : (
        <ParticipantsPanel
          session={props.session}
          state={props.state}
          speaking={props.speaking}
          act={props.act}
          onCopyLink={props.onCopyLink}
        />
      )}
    </aside>
  );
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

function ChatPanel({ chat, onSend }: { chat: readonly ChatEntry[]; onSend: (text: string) => void }) {
  const [text, setText] = useState('');
  const listRef = useRef<HTMLOListElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    inputRef.current?.focus();
  }, []);
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [chat.length]);
  const submit = (event?: FormEvent): void => {
    event?.preventDefault();
    if (!text.trim()) return;
    onSend(text);
    setText('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };
  return (
    <div className="chat">
      {chat.length === 0 ? (
        <div className="chat-empty">
          <p>Messages can be seen only by people in the call and are deleted when the call ends.</p>
        </div>
      ) : null}
      <ol className="chat-list" ref={listRef}>
        {chat.map((entry, index) => {
          const previous = chat[index - 1];
          const grouped =
            previous !== undefined &&
            previous.fromId === entry.fromId &&
            entry.sentAt - previous.sentAt < 120_000;
          return (
            <li
              key={entry.id}
              className={`chat-message${grouped ? ' grouped' : ''}${entry.isLocal ? ' mine' : ''}`}
              data-testid="chat-message"
              data-from-name={entry.fromName}
            >
              {grouped ? null : (
                <div className="chat-meta">
                  <span className="chat-from">{entry.isLocal ? 'You' : entry.fromName}</span>
                  <time dateTime={new Date(entry.sentAt).toISOString()}>
                    {timeFormat.format(entry.sentAt)}
                  </time>
                </div>
              )}
              <p className="chat-text">{entry.text}</p>
            </li>
          );
        })}
      </ol>
      <form className="chat-form" onSubmit={submit}>
        <textarea
          ref={inputRef}
          data-testid="chat-input"
          className="chat-input"
          placeholder="Send a message"
          aria-label="Message"
          rows={1}
          maxLength={4000}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button
          type="submit"
          className="chat-send"
          data-testid="chat-send"
          aria-label="Send message"
          title="Send"
          disabled={!text.trim()}
        >
          <SendIcon size={20} />
        </button>
      </form>
    </div>
  );
}
